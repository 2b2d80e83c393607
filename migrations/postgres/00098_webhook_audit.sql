-- +goose Up
-- Who registered or disabled an outgoing webhook endpoint (a URL that
-- receives order and certificate events), appended to a chained,
-- append-only log like job_audit (internal/platform/auditchain).
CREATE TABLE webhook_audit (
    id         BIGSERIAL PRIMARY KEY,
    actor_id   BIGINT NOT NULL REFERENCES users(id),
    action     TEXT NOT NULL,          -- webhook.register, webhook.disable
    subject    TEXT NOT NULL,          -- the endpoint's id
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    prev_hash  TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX webhook_audit_chain_uq ON webhook_audit (prev_hash) WHERE hash <> '';

-- +goose StatementBegin
CREATE FUNCTION webhook_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'webhook_audit is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER webhook_audit_no_change BEFORE UPDATE OR DELETE ON webhook_audit
    FOR EACH ROW EXECUTE FUNCTION webhook_audit_append_only();
CREATE TRIGGER webhook_audit_no_truncate BEFORE TRUNCATE ON webhook_audit
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_audit_append_only();

-- +goose Down
DROP TABLE webhook_audit;
DROP FUNCTION webhook_audit_append_only();
