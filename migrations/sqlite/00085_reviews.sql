-- +goose Up
-- Verified-purchase reviews (issue 13): one review per delivered order
-- line (the unique order_item_id), with up to three photos, one reply of
-- the product's producer, and an admin's hiding, recorded with its reason
-- in the chained, append-only review_audit. review_stats keeps each
-- product's count and sum of visible ratings, written in the transaction
-- that creates or hides a review, so cards read an average by primary key.

CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL UNIQUE,
    product_id    BIGINT NOT NULL REFERENCES products(id),
    producer_id   BIGINT NOT NULL REFERENCES producers(id),
    order_item_id BIGINT NOT NULL UNIQUE REFERENCES order_items(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    author_name   TEXT NOT NULL,
    product_name  TEXT NOT NULL DEFAULT '',  -- as the order line named it
    variant_name  TEXT NOT NULL DEFAULT '',
    rating        SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body          TEXT NOT NULL DEFAULT '',
    reply         TEXT NOT NULL DEFAULT '',
    replied_at    DATETIME,
    replied_by    BIGINT REFERENCES users(id),
    hidden_at     DATETIME,
    hidden_reason TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    CHECK ((reply = '') = (replied_at IS NULL)),
    CHECK ((hidden_at IS NULL) = (hidden_reason = ''))
);
CREATE INDEX reviews_product_visible_idx ON reviews (product_id, id) WHERE hidden_at IS NULL;
CREATE INDEX reviews_producer_idx ON reviews (producer_id, id);

CREATE TABLE review_photos (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id BIGINT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    key       TEXT NOT NULL UNIQUE,
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX review_photos_review_idx ON review_photos (review_id);

CREATE TABLE review_stats (
    product_id   BIGINT PRIMARY KEY REFERENCES products(id),
    review_count BIGINT NOT NULL CHECK (review_count >= 0),
    rating_sum   BIGINT NOT NULL CHECK (rating_sum >= 0)
);

CREATE TABLE review_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id   BIGINT NOT NULL REFERENCES users(id),
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    prev_hash  TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX review_audit_chain_uq ON review_audit (prev_hash) WHERE hash <> '';

-- +goose StatementBegin
CREATE TRIGGER review_audit_no_update BEFORE UPDATE ON review_audit
BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_audit_no_delete BEFORE DELETE ON review_audit
BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END;
-- +goose StatementEnd

-- Units sold on the product page sum order lines by variant.
CREATE INDEX order_items_variant_sold_idx ON order_items (variant_id);

-- +goose Down
DROP INDEX order_items_variant_sold_idx;
DROP TRIGGER review_audit_no_delete;
DROP TRIGGER review_audit_no_update;
DROP TABLE review_audit;
DROP TABLE review_stats;
DROP TABLE review_photos;
DROP TABLE reviews;
