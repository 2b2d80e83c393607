-- +goose NO TRANSACTION
-- Commune officers (Decision 1489, 2025: the commune checks the dossier and
-- proposes the product to the province): an officer level scoped to one
-- commune, and the proposal's author on the application.
--
-- SQLite cannot change the CHECK on users.officer_level, so the table is
-- rebuilt the way SQLite documents it (as migration 00040 does for
-- certificates): foreign keys off on this one connection, the rest in one
-- immediate transaction; the other tables' references name "users", which
-- the rebuilt table is then called.

-- +goose Up
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    email                 TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('shopper', 'producer', 'officer', 'admin')),
    officer_level         TEXT NOT NULL DEFAULT '' CHECK (officer_level IN ('', 'province', 'central', 'commune')),
    officer_province_code TEXT REFERENCES provinces(code),
    locale                TEXT NOT NULL DEFAULT 'vi',
    disabled_at           DATETIME,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL,
    officer_commune_code  TEXT REFERENCES communes(code),
    -- security: a commune officer has their commune, and only they have one
    CHECK ((officer_level = 'commune') = (officer_commune_code IS NOT NULL))
);
INSERT INTO users_new (id, email, name, password_hash, role, officer_level, officer_province_code, locale, disabled_at, created_at, updated_at)
    SELECT id, email, name, password_hash, role, officer_level, officer_province_code, locale, disabled_at, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- No REFERENCES here: SQLite could not drop the column again (Down).
ALTER TABLE registry_applications ADD COLUMN proposed_by BIGINT;
ALTER TABLE registry_applications ADD COLUMN proposed_at DATETIME;
CREATE INDEX registry_applications_commune_idx ON registry_applications (commune_code, status);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP INDEX registry_applications_commune_idx;
ALTER TABLE registry_applications DROP COLUMN proposed_at;
ALTER TABLE registry_applications DROP COLUMN proposed_by;
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE officer_level = 'commune');
CREATE TABLE users_old (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    email                 TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('shopper', 'producer', 'officer', 'admin')),
    officer_level         TEXT NOT NULL DEFAULT '' CHECK (officer_level IN ('', 'province', 'central')),
    officer_province_code TEXT REFERENCES provinces(code),
    locale                TEXT NOT NULL DEFAULT 'vi',
    disabled_at           DATETIME,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL
);
-- A commune officer has no rights in the older schema: kept disabled, as a shopper.
INSERT INTO users_old (id, email, name, password_hash, role, officer_level, officer_province_code, locale, disabled_at, created_at, updated_at)
    SELECT id, email, name, password_hash,
           CASE WHEN officer_level = 'commune' THEN 'shopper' ELSE role END,
           CASE WHEN officer_level = 'commune' THEN '' ELSE officer_level END,
           officer_province_code, locale,
           CASE WHEN officer_level = 'commune' THEN COALESCE(disabled_at, CURRENT_TIMESTAMP) ELSE disabled_at END,
           created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
COMMIT;
PRAGMA foreign_keys = ON;
