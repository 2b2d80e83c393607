-- +goose Up
-- Core schema: accounts, administrative units, producers, and the catalog and
-- certificate tables that the storefront, registry and orders all build on.

CREATE TABLE provinces (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    full_name    TEXT NOT NULL,
    full_name_en TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE
);

CREATE TABLE communes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code           TEXT NOT NULL UNIQUE,
    province_code  TEXT NOT NULL REFERENCES provinces(code),
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    full_name_en   TEXT NOT NULL,
    name_folded    TEXT NOT NULL,
    effective_from DATE NOT NULL,
    retired_on     DATE
);
CREATE INDEX communes_province_idx ON communes (province_code);

CREATE TABLE banks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    bin        TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL,
    name       TEXT NOT NULL
);

CREATE TABLE users (
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

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    expires_at   DATETIME NOT NULL,
    revoked_at   DATETIME,
    last_used_at DATETIME,
    created_at   DATETIME NOT NULL
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE producers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('enterprise', 'cooperative', 'cooperative_group', 'household')),
    legal_name      TEXT NOT NULL,
    name_folded     TEXT NOT NULL,
    tax_code        TEXT,
    registration_no TEXT NOT NULL DEFAULT '',
    representative  TEXT NOT NULL DEFAULT '',
    province_code   TEXT NOT NULL REFERENCES provinces(code),
    commune_code    TEXT NOT NULL REFERENCES communes(code),
    street          TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    story           TEXT NOT NULL DEFAULT '',
    bank_bin        TEXT NOT NULL DEFAULT '',
    bank_account    TEXT NOT NULL DEFAULT '',
    bank_holder     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'suspended')),
    is_demo         BOOLEAN NOT NULL DEFAULT 0,
    approved_at     DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX producers_tax_code_key ON producers (tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX producers_province_idx ON producers (province_code, status);

CREATE TABLE producer_members (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    producer_id BIGINT NOT NULL REFERENCES producers(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'staff')),
    created_at  DATETIME NOT NULL
);
CREATE INDEX producer_members_producer_idx ON producer_members (producer_id);

CREATE TABLE product_groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    parent_code TEXT REFERENCES product_groups(code),
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    is_service  BOOLEAN NOT NULL DEFAULT 0,
    adult_only  BOOLEAN NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE products (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    producer_id         BIGINT NOT NULL REFERENCES producers(id),
    slug                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    name_en             TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    description_en      TEXT NOT NULL DEFAULT '',
    story               TEXT NOT NULL DEFAULT '',
    group_code          TEXT NOT NULL REFERENCES product_groups(code),
    origin_commune_code TEXT REFERENCES communes(code),
    unit                TEXT NOT NULL DEFAULT '',
    is_service          BOOLEAN NOT NULL DEFAULT 0,
    adult_only          BOOLEAN NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished', 'archived')),
    search_text         TEXT NOT NULL DEFAULT '',
    published_at        DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);
CREATE INDEX products_producer_idx ON products (producer_id);
CREATE INDEX products_status_idx ON products (status, id);

CREATE TABLE variants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id   BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    producer_id  BIGINT NOT NULL REFERENCES producers(id),
    sku          TEXT NOT NULL,
    name         TEXT NOT NULL,
    price        BIGINT NOT NULL CHECK (price > 0),
    stock        BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    weight_grams INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    position     INTEGER NOT NULL DEFAULT 0,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (producer_id, sku)
);
CREATE INDEX variants_product_idx ON variants (product_id);

-- A certificate is the registry's record of a recognition decision. Its
-- status on a given day is derived from its dates, revocation and
-- supersession; there is no status column to forget to update.
CREATE TABLE certificates (
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
    UNIQUE (authority_name, number)
);
CREATE INDEX certificates_product_idx ON certificates (product_id, valid_from, valid_until);
CREATE INDEX certificates_province_idx ON certificates (province_code, stars);
CREATE INDEX certificates_producer_idx ON certificates (producer_id);

-- +goose Down
DROP TABLE certificates;
DROP TABLE variants;
DROP TABLE products;
DROP TABLE product_groups;
DROP TABLE producer_members;
DROP TABLE producers;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE banks;
DROP TABLE communes;
DROP TABLE provinces;
