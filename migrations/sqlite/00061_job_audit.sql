-- +goose Up
-- What admins do to jobs (retry one), appended to a chained, append-only
-- log like payment_audit (internal/platform/auditchain). River's own tables
-- come with migration 60 (a Go migration, internal/platform/db/river.go).
CREATE TABLE job_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id   INTEGER NOT NULL REFERENCES users(id),
    action     TEXT NOT NULL,          -- e.g. job.retry
    subject    TEXT NOT NULL,          -- the job's id
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    prev_hash  TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX job_audit_chain_uq ON job_audit (prev_hash) WHERE hash <> '';
-- +goose StatementBegin
CREATE TRIGGER job_audit_no_update BEFORE UPDATE ON job_audit
BEGIN SELECT RAISE(ABORT, 'job_audit is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER job_audit_no_delete BEFORE DELETE ON job_audit
BEGIN SELECT RAISE(ABORT, 'job_audit is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER job_audit_no_delete;
DROP TRIGGER job_audit_no_update;
DROP TABLE job_audit;
