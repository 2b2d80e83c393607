-- +goose Up
-- A shopper's address book (issue 13): saved delivery addresses, one of
-- them the default the checkout starts from. The public code is what URLs
-- show; the id never leaves the server.

CREATE TABLE shopper_addresses (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    user_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    recipient_name TEXT NOT NULL,
    phone          TEXT NOT NULL,
    province_code  TEXT NOT NULL REFERENCES provinces(code),
    commune_code   TEXT NOT NULL REFERENCES communes(code),
    street         TEXT NOT NULL,
    is_default     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX shopper_addresses_user_idx ON shopper_addresses (user_id, id);
-- At most one default per shopper, whatever two requests do at once.
CREATE UNIQUE INDEX shopper_addresses_default_idx ON shopper_addresses (user_id) WHERE is_default;

-- +goose Down
DROP TABLE shopper_addresses;
