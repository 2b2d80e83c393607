-- +goose Up
-- The OCOP registry: applications with their dossiers, council score sheets,
-- recognition decisions, recorded expiries, and the append-only audit log.

ALTER TABLE certificates ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';

CREATE TABLE registry_decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    number         TEXT NOT NULL,
    decision_date  DATE NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('central', 'province')),
    authority_name TEXT NOT NULL,
    signatory      TEXT NOT NULL DEFAULT '',
    province_code  TEXT REFERENCES provinces(code),
    created_by     BIGINT NOT NULL REFERENCES users(id),
    is_demo        BOOLEAN NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    UNIQUE (authority_name, number)
);

CREATE TABLE registry_applications (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    code                    TEXT NOT NULL UNIQUE,
    kind                    TEXT NOT NULL CHECK (kind IN ('new', 'renewal', 'upgrade')),
    status                  TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'proposed', 'scored', 'forwarded', 'decided')),
    producer_id             BIGINT NOT NULL REFERENCES producers(id),
    product_id              BIGINT REFERENCES products(id),
    product_name            TEXT NOT NULL,
    group_code              TEXT NOT NULL REFERENCES product_groups(code),
    description             TEXT NOT NULL DEFAULT '',
    province_code           TEXT NOT NULL REFERENCES provinces(code),
    commune_code            TEXT NOT NULL REFERENCES communes(code),
    self_part_a             NUMERIC NOT NULL DEFAULT 0,
    self_part_b             NUMERIC NOT NULL DEFAULT 0,
    self_part_c             NUMERIC NOT NULL DEFAULT 0,
    previous_certificate_id BIGINT REFERENCES certificates(id),
    proposal_note           TEXT NOT NULL DEFAULT '',
    council_score           NUMERIC,
    mandatory_passed        BOOLEAN,
    result_stars            INTEGER,
    no_certificate_reason   TEXT NOT NULL DEFAULT '',
    decision_id             BIGINT REFERENCES registry_decisions(id),
    central_decision_id     BIGINT REFERENCES registry_decisions(id),
    certificate_id          BIGINT REFERENCES certificates(id),
    is_demo                 BOOLEAN NOT NULL DEFAULT 0,
    submitted_at            DATETIME,
    created_at              DATETIME NOT NULL,
    updated_at              DATETIME NOT NULL
);
CREATE INDEX registry_applications_queue_idx ON registry_applications (province_code, status, commune_code);
CREATE INDEX registry_applications_producer_idx ON registry_applications (producer_id);

CREATE TABLE registry_documents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES registry_applications(id),
    kind           TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    blob_key       TEXT NOT NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX registry_documents_application_idx ON registry_documents (application_id);

CREATE TABLE registry_score_sheets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id   BIGINT NOT NULL REFERENCES registry_applications(id),
    level            TEXT NOT NULL CHECK (level IN ('central', 'province')),
    member_id        BIGINT NOT NULL REFERENCES users(id),
    criteria_version TEXT NOT NULL CHECK (criteria_version IN ('1048', '148')),
    part_a           NUMERIC NOT NULL CHECK (part_a >= 0),
    part_b           NUMERIC NOT NULL CHECK (part_b >= 0),
    part_c           NUMERIC NOT NULL CHECK (part_c >= 0),
    bonus            NUMERIC NOT NULL CHECK (bonus >= 0),
    mandatory_passed BOOLEAN NOT NULL,
    total            NUMERIC NOT NULL CHECK (total BETWEEN 0 AND 100),
    created_at       DATETIME NOT NULL,
    UNIQUE (application_id, level, member_id)
);

CREATE TABLE registry_expiries (
    certificate_id BIGINT PRIMARY KEY REFERENCES certificates(id),
    expired_on     DATE NOT NULL,
    recorded_at    DATETIME NOT NULL
);

CREATE TABLE registry_audit (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             DATETIME NOT NULL,
    actor_id       BIGINT REFERENCES users(id),
    actor_email    TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
    application_id BIGINT REFERENCES registry_applications(id),
    certificate_id BIGINT REFERENCES certificates(id),
    before_json    TEXT NOT NULL DEFAULT '',
    after_json     TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX registry_audit_application_idx ON registry_audit (application_id, id);
CREATE INDEX registry_audit_certificate_idx ON registry_audit (certificate_id, id);

-- +goose StatementBegin
CREATE TRIGGER registry_audit_no_update BEFORE UPDATE ON registry_audit
BEGIN
    SELECT RAISE(ABORT, 'registry_audit is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER registry_audit_no_delete BEFORE DELETE ON registry_audit
BEGIN
    SELECT RAISE(ABORT, 'registry_audit is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE registry_audit;
DROP TABLE registry_expiries;
DROP TABLE registry_score_sheets;
DROP TABLE registry_documents;
DROP TABLE registry_applications;
DROP TABLE registry_decisions;
ALTER TABLE certificates DROP COLUMN search_folded;
