-- +goose Up
-- Money obligations are written with the money (issue 9):
-- provider_calls holds the calls to a payment provider that a change owes
-- (a card refund), written in the same transaction as the change and made
-- after commit by a retried job; payment_issues gains foreign_account (a
-- bank notification for a transfer to another account); payment_audit
-- becomes append-only like registry_audit. SQLite has no TRUNCATE: its
-- DELETE without WHERE is refused by the delete triggers.

CREATE TABLE provider_calls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    group_code      TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL DEFAULT '',
    done_at         DATETIME,
    failed_at       DATETIME,
    created_at      DATETIME NOT NULL
);
CREATE INDEX provider_calls_due_idx ON provider_calls (next_attempt_at) WHERE done_at IS NULL AND failed_at IS NULL;

-- A CHECK cannot be altered in SQLite: the table is rebuilt (nothing references it).
CREATE TABLE payment_issues_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    provider    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('underpaid', 'overpaid', 'unknown_code', 'paid_expired', 'refund_due', 'refund_failed', 'foreign_account')),
    group_code  TEXT NOT NULL DEFAULT '',
    amount      BIGINT NOT NULL DEFAULT 0,
    reference   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    resolved_at DATETIME,
    resolved_by BIGINT REFERENCES users(id),
    created_at  DATETIME NOT NULL
);
INSERT INTO payment_issues_new (id, provider, kind, group_code, amount, reference, detail, resolved_at, resolved_by, created_at)
    SELECT id, provider, kind, group_code, amount, reference, detail, resolved_at, resolved_by, created_at FROM payment_issues;
DROP TABLE payment_issues;
ALTER TABLE payment_issues_new RENAME TO payment_issues;

-- +goose StatementBegin
CREATE TRIGGER payment_audit_no_update BEFORE UPDATE ON payment_audit
BEGIN SELECT RAISE(ABORT, 'payment_audit is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_audit_no_delete BEFORE DELETE ON payment_audit
BEGIN SELECT RAISE(ABORT, 'payment_audit is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER payment_audit_no_delete;
DROP TRIGGER payment_audit_no_update;
CREATE TABLE payment_issues_old (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    provider    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('underpaid', 'overpaid', 'unknown_code', 'paid_expired', 'refund_due', 'refund_failed')),
    group_code  TEXT NOT NULL DEFAULT '',
    amount      BIGINT NOT NULL DEFAULT 0,
    reference   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    resolved_at DATETIME,
    resolved_by BIGINT REFERENCES users(id),
    created_at  DATETIME NOT NULL
);
INSERT INTO payment_issues_old (id, provider, kind, group_code, amount, reference, detail, resolved_at, resolved_by, created_at)
    SELECT id, provider, CASE kind WHEN 'foreign_account' THEN 'unknown_code' ELSE kind END, group_code, amount, reference, detail, resolved_at, resolved_by, created_at
    FROM payment_issues;
DROP TABLE payment_issues;
ALTER TABLE payment_issues_old RENAME TO payment_issues;
DROP TABLE provider_calls;
