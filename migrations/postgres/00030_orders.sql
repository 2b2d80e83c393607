-- +goose Up
-- Orders and payments: carts, order groups split into one order per producer,
-- the shipping table, webhook events, payment issues for an admin, the
-- append-only double-entry ledger and payouts.

CREATE TABLE platform_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE shipping_rates (
    id                 BIGSERIAL PRIMARY KEY,
    from_province_code TEXT NOT NULL, -- a province code, or '*' for any
    to_province_code   TEXT NOT NULL, -- a province code, or '*' for any
    max_grams          INTEGER NOT NULL CHECK (max_grams > 0),
    fee                BIGINT NOT NULL CHECK (fee >= 0),
    UNIQUE (from_province_code, to_province_code, max_grams)
);

CREATE TABLE carts (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT UNIQUE, -- guest carts: SHA-256 of the cookie token
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (user_id IS NOT NULL OR token_hash IS NOT NULL)
);

CREATE TABLE cart_items (
    id         BIGSERIAL PRIMARY KEY,
    cart_id    BIGINT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    variant_id BIGINT NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price > 0), -- the price the shopper was shown
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (cart_id, variant_id)
);

CREATE TABLE order_groups (
    id                BIGSERIAL PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    user_id           BIGINT NOT NULL REFERENCES users(id),
    status            TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'cancelled')),
    payment_method    TEXT NOT NULL CHECK (payment_method IN ('vietqr', 'card')),
    items_total       BIGINT NOT NULL,
    shipping_total    BIGINT NOT NULL,
    total             BIGINT NOT NULL CHECK (total > 0),
    recipient_name    TEXT NOT NULL,
    phone             TEXT NOT NULL,
    province_code     TEXT NOT NULL REFERENCES provinces(code),
    commune_code      TEXT NOT NULL REFERENCES communes(code),
    street            TEXT NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    adult_confirmed   BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_session_id TEXT NOT NULL DEFAULT '',
    payment_ref       TEXT NOT NULL DEFAULT '', -- bank transaction or Stripe payment intent
    expires_at        TIMESTAMPTZ NOT NULL,
    paid_at           TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_groups_user_idx ON order_groups (user_id, id);
CREATE INDEX order_groups_expiry_idx ON order_groups (status, expires_at);

CREATE TABLE orders (
    id              BIGSERIAL PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    group_id        BIGINT NOT NULL REFERENCES order_groups(id),
    producer_id     BIGINT NOT NULL REFERENCES producers(id),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'confirmed', 'packed', 'shipped', 'delivered', 'cancelled', 'refunded', 'expired')),
    items_total     BIGINT NOT NULL,
    shipping        BIGINT NOT NULL,
    total           BIGINT NOT NULL,
    commission_bp   INTEGER NOT NULL,
    commission      BIGINT NOT NULL,
    is_service      BOOLEAN NOT NULL DEFAULT FALSE,
    voucher_code    TEXT NOT NULL DEFAULT '',
    carrier         TEXT NOT NULL DEFAULT '',
    tracking_code   TEXT NOT NULL DEFAULT '',
    cancel_reason   TEXT NOT NULL DEFAULT '',
    stock_released  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_group_idx ON orders (group_id);
CREATE INDEX orders_producer_idx ON orders (producer_id, id);

CREATE TABLE order_items (
    id           BIGSERIAL PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders(id),
    variant_id   BIGINT NOT NULL REFERENCES variants(id),
    product_name TEXT NOT NULL,
    variant_name TEXT NOT NULL,
    sku          TEXT NOT NULL,
    unit_price   BIGINT NOT NULL,
    quantity     BIGINT NOT NULL CHECK (quantity > 0),
    weight_grams INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_items_order_idx ON order_items (order_id);

CREATE TABLE order_events (
    id          BIGSERIAL PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- Every webhook is stored by its provider's event id before it acts, so a
-- replay or a concurrent duplicate finds the row and changes nothing.
CREATE TABLE webhook_events (
    id         BIGSERIAL PRIMARY KEY,
    provider   TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (provider, event_id)
);

CREATE TABLE payment_issues (
    id          BIGSERIAL PRIMARY KEY,
    provider    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('underpaid', 'overpaid', 'unknown_code', 'paid_expired', 'refund_due', 'refund_failed')),
    group_code  TEXT NOT NULL DEFAULT '',
    amount      BIGINT NOT NULL DEFAULT 0,
    reference   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    resolved_at TIMESTAMPTZ,
    resolved_by BIGINT REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL
);

-- Who did what to money by hand (manual confirmations, payouts, settings).
CREATE TABLE payment_audit (
    id         BIGSERIAL PRIMARY KEY,
    actor_id   BIGINT NOT NULL REFERENCES users(id),
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE payouts (
    id           BIGSERIAL PRIMARY KEY,
    producer_id  BIGINT NOT NULL REFERENCES producers(id),
    amount       BIGINT NOT NULL CHECK (amount > 0),
    bank_bin     TEXT NOT NULL,
    bank_account TEXT NOT NULL,
    bank_holder  TEXT NOT NULL,
    reference    TEXT NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX payouts_producer_idx ON payouts (producer_id, id);

-- Double entry: debits positive, credits negative. The entries of one order
-- group (and of one payout) sum to zero.
CREATE TABLE ledger_entries (
    id          BIGSERIAL PRIMARY KEY,
    group_id    BIGINT REFERENCES order_groups(id),
    order_id    BIGINT REFERENCES orders(id),
    payout_id   BIGINT REFERENCES payouts(id),
    producer_id BIGINT REFERENCES producers(id),
    account     TEXT NOT NULL CHECK (account IN ('cash', 'commission', 'payable')),
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'sale', 'commission', 'refund', 'payout')),
    amount      BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_entries_group_idx ON ledger_entries (group_id);
CREATE INDEX ledger_entries_producer_idx ON ledger_entries (producer_id, account);

-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TABLE ledger_entries;
DROP FUNCTION ledger_append_only();
DROP TABLE payouts;
DROP TABLE payment_audit;
DROP TABLE payment_issues;
DROP TABLE webhook_events;
DROP TABLE order_events;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE order_groups;
DROP TABLE cart_items;
DROP TABLE carts;
DROP TABLE shipping_rates;
DROP TABLE platform_settings;
