-- +goose Up
-- Catalog: photos of products and producers, and the lowest variant price
-- kept on the product so that price filters and sorts use one index.
ALTER TABLE products ADD COLUMN min_price BIGINT NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN cover_key TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN story_en TEXT NOT NULL DEFAULT '';
CREATE INDEX products_price_idx ON products (status, min_price, id);
CREATE INDEX products_group_idx ON products (group_code, status, id);
CREATE INDEX variants_stock_idx ON variants (product_id, stock);

CREATE TABLE photos (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    producer_id BIGINT NOT NULL REFERENCES producers(id),
    product_id  BIGINT REFERENCES products(id) ON DELETE CASCADE,
    key         TEXT NOT NULL UNIQUE,
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL
);
CREATE INDEX photos_product_idx ON photos (product_id, position);
CREATE INDEX photos_producer_idx ON photos (producer_id);

-- +goose Down
DROP TABLE photos;
DROP INDEX variants_stock_idx;
DROP INDEX products_group_idx;
DROP INDEX products_price_idx;
ALTER TABLE products DROP COLUMN cover_key;
ALTER TABLE products DROP COLUMN story_en;
ALTER TABLE products DROP COLUMN min_price;
