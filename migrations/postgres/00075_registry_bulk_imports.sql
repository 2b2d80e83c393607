-- +goose Up
-- Bulk imports of historic certificates from a CSV or XLSX file: the dry
-- run of each row is kept with the batch, so the import (a job) creates
-- exactly the rows the officer saw as valid, each through the single
-- import's rules, and the page can follow its progress.
CREATE TABLE registry_bulk_imports (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    scope        TEXT NOT NULL,               -- the importer's province code, or 'central'
    created_by   BIGINT NOT NULL REFERENCES users(id),
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    status       TEXT NOT NULL CHECK (status IN ('checked', 'queued', 'running', 'done')),
    total_rows   INTEGER NOT NULL,
    valid_rows   INTEGER NOT NULL,
    done_rows    INTEGER NOT NULL DEFAULT 0,
    created_rows INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX registry_bulk_imports_scope_idx ON registry_bulk_imports (scope, id);

CREATE TABLE registry_bulk_rows (
    id             BIGSERIAL PRIMARY KEY,
    bulk_id        BIGINT NOT NULL REFERENCES registry_bulk_imports(id),
    line           INTEGER NOT NULL,
    input_json     TEXT NOT NULL,
    errors_json    TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL CHECK (outcome IN ('valid', 'invalid', 'created', 'failed')),
    certificate_id BIGINT UNIQUE REFERENCES certificates(id),
    UNIQUE (bulk_id, line)
);

-- +goose Down
DROP TABLE registry_bulk_rows;
DROP TABLE registry_bulk_imports;
