-- +goose Up
-- Issuing authorities become records, historic imports wait for a second
-- officer, and provinces may propose the revocation of central certificates.
--
-- Authorities: one central row and one per province, named "UBND tỉnh X" or
-- "UBND thành phố X" from the province's full name (provinces loaded later,
-- on a fresh database, get theirs from the reference seed). A district
-- certificate (02/2023 to 06/2025) points at its province's authority and
-- keeps the level "district"; authority_name keeps the issuer as printed.
--
-- Numbers are unique per authority on number_key: the number with its
-- whitespace collapsed, ASCII letters and "đ" upper-cased (registry.NumberKey
-- computes the same; COLLATE "C" keeps upper() to ASCII as in SQLite). Rows
-- that collide once normalised (the defect this fixes) keep their number;
-- all but the oldest get " #<code>" appended to their key, so they can be
-- found (number_key LIKE '% #%') and corrected.
--
-- Certificates recorded through the old import API (an ok "certificate.import"
-- audit entry) were never checked by a second person: they become pending
-- imports and stop counting as badges until an officer confirms them.

CREATE TABLE registry_authorities (
    id            BIGSERIAL PRIMARY KEY,
    level         TEXT NOT NULL CHECK (level IN ('central', 'province')),
    province_code TEXT UNIQUE REFERENCES provinces(code),
    name          TEXT NOT NULL UNIQUE,
    go_live_on    DATE,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK ((level = 'central') = (province_code IS NULL))
);
CREATE UNIQUE INDEX registry_authorities_one_central_idx ON registry_authorities (level) WHERE level = 'central';
INSERT INTO registry_authorities (level, province_code, name, updated_at)
    VALUES ('central', NULL, 'Bộ Nông nghiệp và Môi trường', now());
INSERT INTO registry_authorities (level, province_code, name, updated_at)
    SELECT 'province', code, 'UBND ' || lower(substr(full_name, 1, 1)) || substr(full_name, 2), now()
    FROM provinces ORDER BY code;

ALTER TABLE certificates ADD COLUMN authority_id BIGINT REFERENCES registry_authorities(id);
ALTER TABLE certificates ADD COLUMN number_key TEXT;
ALTER TABLE certificates ADD COLUMN import_pending BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE certificates SET
    authority_id = CASE WHEN authority_level = 'central' THEN (SELECT a.id FROM registry_authorities a WHERE a.level = 'central')
                        ELSE (SELECT a.id FROM registry_authorities a WHERE a.province_code = certificates.province_code) END,
    number = btrim(regexp_replace(number, '[ ' || chr(9) || chr(10) || chr(13) || chr(160) || ']+', ' ', 'g'), ' ');
UPDATE certificates SET number_key = upper(replace(number, 'đ', 'Đ') COLLATE "C");
UPDATE certificates c SET number_key = c.number_key || ' #' || c.code
    WHERE EXISTS (SELECT 1 FROM certificates k WHERE k.authority_id = c.authority_id AND k.number_key = c.number_key AND k.id < c.id);
ALTER TABLE certificates ALTER COLUMN authority_id SET NOT NULL;
ALTER TABLE certificates ALTER COLUMN number_key SET NOT NULL;
ALTER TABLE certificates DROP CONSTRAINT certificates_authority_name_number_key;
ALTER TABLE certificates ADD CONSTRAINT certificates_authority_id_number_key_key UNIQUE (authority_id, number_key);
CREATE INDEX certificates_pending_idx ON certificates (province_code) WHERE import_pending;

-- Decisions are numbered per authority: the province (or the central level when NULL).
UPDATE registry_decisions d SET authority_name = a.name FROM registry_authorities a WHERE a.province_code = d.province_code;
UPDATE registry_decisions SET authority_name = (SELECT a.name FROM registry_authorities a WHERE a.level = 'central')
    WHERE province_code IS NULL;
CREATE UNIQUE INDEX registry_decisions_authority_number_idx ON registry_decisions (COALESCE(province_code, ''), number);

-- A historic certificate recorded from paper: who recorded it, and the
-- second officer who confirmed it against the scanned original decision.
CREATE TABLE registry_imports (
    certificate_id         BIGINT PRIMARY KEY REFERENCES certificates(id),
    imported_by            BIGINT NOT NULL REFERENCES users(id),
    imported_at            TIMESTAMPTZ NOT NULL,
    supersedes_id          BIGINT REFERENCES certificates(id),
    confirmed_by           BIGINT REFERENCES users(id),
    confirmed_at           TIMESTAMPTZ,
    confirmer_authority_id BIGINT REFERENCES registry_authorities(id),
    scan_file_name         TEXT NOT NULL DEFAULT '',
    scan_content_type      TEXT NOT NULL DEFAULT '',
    scan_size              BIGINT NOT NULL DEFAULT 0,
    scan_sha256            TEXT NOT NULL DEFAULT '',
    scan_blob_key          TEXT NOT NULL DEFAULT '',
    -- security: the database itself refuses a self-confirmation or a confirmation without a scan
    CHECK (confirmed_by IS NULL OR (confirmed_by <> imported_by AND confirmed_at IS NOT NULL AND scan_blob_key <> ''))
);
INSERT INTO registry_imports (certificate_id, imported_by, imported_at)
    SELECT certificate_id, MIN(actor_id), MIN(at) FROM registry_audit
    WHERE action = 'certificate.import' AND outcome = 'ok' AND certificate_id IS NOT NULL AND actor_id IS NOT NULL
    GROUP BY certificate_id;
UPDATE certificates SET import_pending = TRUE WHERE id IN (SELECT certificate_id FROM registry_imports);

-- A province's proposal that the central level revoke a central certificate.
CREATE TABLE registry_revocation_proposals (
    id             BIGSERIAL PRIMARY KEY,
    certificate_id BIGINT NOT NULL REFERENCES certificates(id),
    proposed_by    BIGINT NOT NULL REFERENCES users(id),
    province_code  TEXT NOT NULL REFERENCES provinces(code),
    reason         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX registry_revocation_proposals_certificate_idx ON registry_revocation_proposals (certificate_id, id);

-- +goose Down
DROP TABLE registry_revocation_proposals;
DROP TABLE registry_imports;
DROP INDEX registry_decisions_authority_number_idx;
DROP INDEX certificates_pending_idx;
ALTER TABLE certificates DROP CONSTRAINT certificates_authority_id_number_key_key;
ALTER TABLE certificates ADD CONSTRAINT certificates_authority_name_number_key UNIQUE (authority_name, number);
ALTER TABLE certificates DROP COLUMN import_pending;
ALTER TABLE certificates DROP COLUMN number_key;
ALTER TABLE certificates DROP COLUMN authority_id;
DROP TABLE registry_authorities;
