-- +goose Up
-- Who registered or disabled an outgoing webhook endpoint (a URL that
-- receives order and certificate events), appended to a chained,
-- append-only log like job_audit (internal/platform/auditchain).
CREATE TABLE webhook_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id   INTEGER NOT NULL REFERENCES users(id),
    action     TEXT NOT NULL,          -- webhook.register, webhook.disable
    subject    TEXT NOT NULL,          -- the endpoint's id
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    prev_hash  TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX webhook_audit_chain_uq ON webhook_audit (prev_hash) WHERE hash <> '';
-- +goose StatementBegin
CREATE TRIGGER webhook_audit_no_update BEFORE UPDATE ON webhook_audit
BEGIN SELECT RAISE(ABORT, 'webhook_audit is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_audit_no_delete BEFORE DELETE ON webhook_audit
BEGIN SELECT RAISE(ABORT, 'webhook_audit is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER webhook_audit_no_delete;
DROP TRIGGER webhook_audit_no_update;
DROP TABLE webhook_audit;
