-- +goose Up
-- What admins do to jobs (retry one), appended to a chained, append-only
-- log like payment_audit (internal/platform/auditchain). River's own tables
-- come with migration 60 (a Go migration, internal/platform/db/river.go).
CREATE TABLE job_audit (
    id         BIGSERIAL PRIMARY KEY,
    actor_id   BIGINT NOT NULL REFERENCES users(id),
    action     TEXT NOT NULL,          -- e.g. job.retry
    subject    TEXT NOT NULL,          -- the job's id
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    prev_hash  TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX job_audit_chain_uq ON job_audit (prev_hash) WHERE hash <> '';

-- +goose StatementBegin
CREATE FUNCTION job_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'job_audit is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER job_audit_no_change BEFORE UPDATE OR DELETE ON job_audit
    FOR EACH ROW EXECUTE FUNCTION job_audit_append_only();
CREATE TRIGGER job_audit_no_truncate BEFORE TRUNCATE ON job_audit
    FOR EACH STATEMENT EXECUTE FUNCTION job_audit_append_only();

-- +goose Down
DROP TABLE job_audit;
DROP FUNCTION job_audit_append_only();
