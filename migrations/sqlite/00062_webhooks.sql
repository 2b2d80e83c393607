-- +goose Up
-- Outgoing webhooks (internal/webhook): URLs an admin registers to receive
-- events (for a province's Zalo OA or SMS gateway), each with the secret
-- that signs its deliveries and the event kinds it wants. Deliveries are
-- River jobs, one per (event, endpoint).
CREATE TABLE webhook_endpoints (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,            -- HMAC key, shown to the admin once
    kinds       TEXT NOT NULL,            -- event kinds, comma-separated; '*' for every kind
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  DATETIME NOT NULL,
    disabled_at DATETIME
);

-- +goose Down
DROP TABLE webhook_endpoints;
