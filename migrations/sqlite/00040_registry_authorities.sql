-- +goose NO TRANSACTION
-- Issuing authorities become records, historic imports wait for a second
-- officer, and provinces may propose the revocation of central certificates.
--
-- SQLite cannot drop the old UNIQUE (authority_name, number) of certificates
-- (a table constraint), so the table is rebuilt the way SQLite documents it:
-- foreign keys off on this one connection (goose runs a NO TRANSACTION file on
-- a single connection), everything else in one immediate transaction.
-- Dropping the old table keeps the references of other tables: they name
-- "certificates", which the rebuilt table is then called.
--
-- Authorities: one central row and one per province, named "UBND tỉnh X" or
-- "UBND thành phố X" from the province's full name (provinces loaded later,
-- on a fresh database, get theirs from the reference seed). A district
-- certificate (02/2023 to 06/2025) points at its province's authority and
-- keeps the level "district"; authority_name keeps the issuer as printed.
--
-- Numbers are unique per authority on number_key: the number with its
-- whitespace collapsed, ASCII letters and "đ" upper-cased (registry.NumberKey
-- computes the same). Rows that collide once normalised (the defect this
-- fixes) keep their number; all but the oldest get " #<code>" appended to
-- their key, so they can be found (number_key LIKE '% #%') and corrected.
--
-- Certificates recorded through the old import API (an ok "certificate.import"
-- audit entry) were never checked by a second person: they become pending
-- imports and stop counting as badges until an officer confirms them.

-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE registry_authorities (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    level         TEXT NOT NULL CHECK (level IN ('central', 'province')),
    province_code TEXT UNIQUE REFERENCES provinces(code),
    name          TEXT NOT NULL UNIQUE,
    go_live_on    DATE,
    updated_at    DATETIME NOT NULL,
    CHECK ((level = 'central') = (province_code IS NULL))
);
CREATE UNIQUE INDEX registry_authorities_one_central_idx ON registry_authorities (level) WHERE level = 'central';
INSERT INTO registry_authorities (level, province_code, name, updated_at)
    VALUES ('central', NULL, 'Bộ Nông nghiệp và Môi trường', strftime('%Y-%m-%d %H:%M:%f', 'now'));
INSERT INTO registry_authorities (level, province_code, name, updated_at)
    SELECT 'province', code, 'UBND ' || lower(substr(full_name, 1, 1)) || substr(full_name, 2), strftime('%Y-%m-%d %H:%M:%f', 'now')
    FROM provinces ORDER BY code;

CREATE TABLE registry_certificate_keys (
    id           BIGINT PRIMARY KEY,
    authority_id BIGINT NOT NULL,
    number       TEXT NOT NULL,
    number_key   TEXT NOT NULL
);
INSERT INTO registry_certificate_keys (id, authority_id, number, number_key)
    SELECT id,
           CASE WHEN authority_level = 'central' THEN (SELECT a.id FROM registry_authorities a WHERE a.level = 'central')
                ELSE (SELECT a.id FROM registry_authorities a WHERE a.province_code = certificates.province_code) END,
           trim(replace(replace(replace(replace(replace(replace(
               replace(replace(replace(replace(number, char(9), ' '), char(10), ' '), char(13), ' '), char(160), ' '),
               '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')),
           ''
    FROM certificates;
UPDATE registry_certificate_keys SET number_key = upper(replace(number, 'đ', 'Đ'));
UPDATE registry_certificate_keys SET number_key = number_key || ' #' || (SELECT c.code FROM certificates c WHERE c.id = registry_certificate_keys.id)
    WHERE EXISTS (SELECT 1 FROM registry_certificate_keys k
                  WHERE k.authority_id = registry_certificate_keys.authority_id AND k.number_key = registry_certificate_keys.number_key
                    AND k.id < registry_certificate_keys.id);

CREATE TABLE certificates_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    number              TEXT NOT NULL,
    number_key          TEXT NOT NULL,
    authority_id        BIGINT NOT NULL REFERENCES registry_authorities(id),
    authority_level     TEXT NOT NULL CHECK (authority_level IN ('central', 'province', 'district')),
    authority_name      TEXT NOT NULL,
    decision_no         TEXT NOT NULL,
    decision_date       DATE NOT NULL,
    signatory           TEXT NOT NULL DEFAULT '',
    producer_id         BIGINT NOT NULL REFERENCES producers(id),
    product_id          BIGINT REFERENCES products(id),
    product_name        TEXT NOT NULL,
    group_code          TEXT NOT NULL REFERENCES product_groups(code),
    owner_name          TEXT NOT NULL,
    owner_address       TEXT NOT NULL,
    province_code       TEXT NOT NULL REFERENCES provinces(code),
    commune_code        TEXT REFERENCES communes(code),
    stars               INTEGER NOT NULL CHECK (stars BETWEEN 3 AND 5),
    score               NUMERIC NOT NULL,
    criteria_version    TEXT NOT NULL CHECK (criteria_version IN ('1048', '148')),
    valid_from          DATE NOT NULL,
    valid_until         DATE NOT NULL,
    revoked_on          DATE,
    revocation_decision TEXT NOT NULL DEFAULT '',
    revocation_reason   TEXT NOT NULL DEFAULT '',
    superseded_by_id    BIGINT REFERENCES certificates(id),
    superseded_on       DATE,
    import_pending      BOOLEAN NOT NULL DEFAULT 0,
    is_demo             BOOLEAN NOT NULL DEFAULT 0,
    search_folded       TEXT NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    UNIQUE (authority_id, number_key)
);
INSERT INTO certificates_new (id, code, number, number_key, authority_id, authority_level, authority_name, decision_no, decision_date,
        signatory, producer_id, product_id, product_name, group_code, owner_name, owner_address, province_code, commune_code, stars,
        score, criteria_version, valid_from, valid_until, revoked_on, revocation_decision, revocation_reason, superseded_by_id,
        superseded_on, import_pending, is_demo, search_folded, created_at)
    SELECT c.id, c.code, k.number, k.number_key, k.authority_id, c.authority_level, c.authority_name, c.decision_no, c.decision_date,
        c.signatory, c.producer_id, c.product_id, c.product_name, c.group_code, c.owner_name, c.owner_address, c.province_code, c.commune_code, c.stars,
        c.score, c.criteria_version, c.valid_from, c.valid_until, c.revoked_on, c.revocation_decision, c.revocation_reason, c.superseded_by_id,
        c.superseded_on, 0, c.is_demo, c.search_folded, c.created_at
    FROM certificates c JOIN registry_certificate_keys k ON k.id = c.id;
DROP TABLE registry_certificate_keys;
DROP TABLE certificates;
ALTER TABLE certificates_new RENAME TO certificates;
CREATE INDEX certificates_product_idx ON certificates (product_id, valid_from, valid_until);
CREATE INDEX certificates_province_idx ON certificates (province_code, stars);
CREATE INDEX certificates_producer_idx ON certificates (producer_id);
CREATE INDEX certificates_province_page_idx ON certificates (province_code, id);
CREATE INDEX certificates_province_until_idx ON certificates (province_code, valid_until);
CREATE INDEX certificates_pending_idx ON certificates (province_code) WHERE import_pending;

-- Decisions are numbered per authority: the province (or the central level when NULL).
UPDATE registry_decisions SET authority_name = (SELECT a.name FROM registry_authorities a WHERE a.province_code = registry_decisions.province_code)
    WHERE province_code IS NOT NULL;
UPDATE registry_decisions SET authority_name = (SELECT a.name FROM registry_authorities a WHERE a.level = 'central')
    WHERE province_code IS NULL;
CREATE UNIQUE INDEX registry_decisions_authority_number_idx ON registry_decisions (COALESCE(province_code, ''), number);

-- A historic certificate recorded from paper: who recorded it, and the
-- second officer who confirmed it against the scanned original decision.
CREATE TABLE registry_imports (
    certificate_id         BIGINT PRIMARY KEY REFERENCES certificates(id),
    imported_by            BIGINT NOT NULL REFERENCES users(id),
    imported_at            DATETIME NOT NULL,
    supersedes_id          BIGINT REFERENCES certificates(id),
    confirmed_by           BIGINT REFERENCES users(id),
    confirmed_at           DATETIME,
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
UPDATE certificates SET import_pending = 1 WHERE id IN (SELECT certificate_id FROM registry_imports);

-- A province's proposal that the central level revoke a central certificate.
CREATE TABLE registry_revocation_proposals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    certificate_id BIGINT NOT NULL REFERENCES certificates(id),
    proposed_by    BIGINT NOT NULL REFERENCES users(id),
    province_code  TEXT NOT NULL REFERENCES provinces(code),
    reason         TEXT NOT NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX registry_revocation_proposals_certificate_idx ON registry_revocation_proposals (certificate_id, id);

COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE registry_revocation_proposals;
DROP TABLE registry_imports;
DROP INDEX registry_decisions_authority_number_idx;
CREATE TABLE certificates_old (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    number              TEXT NOT NULL,
    authority_level     TEXT NOT NULL CHECK (authority_level IN ('central', 'province', 'district')),
    authority_name      TEXT NOT NULL,
    decision_no         TEXT NOT NULL,
    decision_date       DATE NOT NULL,
    signatory           TEXT NOT NULL DEFAULT '',
    producer_id         BIGINT NOT NULL REFERENCES producers(id),
    product_id          BIGINT REFERENCES products(id),
    product_name        TEXT NOT NULL,
    group_code          TEXT NOT NULL REFERENCES product_groups(code),
    owner_name          TEXT NOT NULL,
    owner_address       TEXT NOT NULL,
    province_code       TEXT NOT NULL REFERENCES provinces(code),
    commune_code        TEXT REFERENCES communes(code),
    stars               INTEGER NOT NULL CHECK (stars BETWEEN 3 AND 5),
    score               NUMERIC NOT NULL,
    criteria_version    TEXT NOT NULL CHECK (criteria_version IN ('1048', '148')),
    valid_from          DATE NOT NULL,
    valid_until         DATE NOT NULL,
    revoked_on          DATE,
    revocation_decision TEXT NOT NULL DEFAULT '',
    revocation_reason   TEXT NOT NULL DEFAULT '',
    superseded_by_id    BIGINT REFERENCES certificates(id),
    superseded_on       DATE,
    is_demo             BOOLEAN NOT NULL DEFAULT 0,
    created_at          DATETIME NOT NULL,
    search_folded       TEXT NOT NULL DEFAULT '',
    UNIQUE (authority_name, number)
);
INSERT INTO certificates_old (id, code, number, authority_level, authority_name, decision_no, decision_date, signatory, producer_id,
        product_id, product_name, group_code, owner_name, owner_address, province_code, commune_code, stars, score, criteria_version,
        valid_from, valid_until, revoked_on, revocation_decision, revocation_reason, superseded_by_id, superseded_on, is_demo,
        created_at, search_folded)
    SELECT id, code, number, authority_level, authority_name, decision_no, decision_date, signatory, producer_id,
        product_id, product_name, group_code, owner_name, owner_address, province_code, commune_code, stars, score, criteria_version,
        valid_from, valid_until, revoked_on, revocation_decision, revocation_reason, superseded_by_id, superseded_on, is_demo,
        created_at, search_folded
    FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_old RENAME TO certificates;
CREATE INDEX certificates_product_idx ON certificates (product_id, valid_from, valid_until);
CREATE INDEX certificates_province_idx ON certificates (province_code, stars);
CREATE INDEX certificates_producer_idx ON certificates (producer_id);
CREATE INDEX certificates_province_page_idx ON certificates (province_code, id);
CREATE INDEX certificates_province_until_idx ON certificates (province_code, valid_until);
DROP TABLE registry_authorities;
COMMIT;
PRAGMA foreign_keys = ON;
