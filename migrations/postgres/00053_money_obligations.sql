-- +goose Up
-- Money obligations are written with the money (issue 9):
-- provider_calls holds the calls to a payment provider that a change owes
-- (a card refund), written in the same transaction as the change and made
-- after commit by a retried job; payment_issues gains foreign_account (a
-- bank notification for a transfer to another account); payment_audit
-- becomes append-only like registry_audit, and neither it nor the ledger
-- can be truncated.

CREATE TABLE provider_calls (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT NOT NULL,           -- what to call, e.g. stripe.refund: one function per kind
    idempotency_key TEXT NOT NULL UNIQUE,    -- sent to the provider: a retry never acts twice
    payload         TEXT NOT NULL,           -- JSON arguments of the call
    group_code      TEXT NOT NULL DEFAULT '', -- the order group it is for, to show an admin
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,    -- due time; also the lease of a running attempt
    last_error      TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL DEFAULT '', -- the provider's id of what it did (a refund id)
    done_at         TIMESTAMPTZ,
    failed_at       TIMESTAMPTZ,             -- given up: the provider refused, or too many attempts
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX provider_calls_due_idx ON provider_calls (next_attempt_at) WHERE done_at IS NULL AND failed_at IS NULL;

ALTER TABLE payment_issues DROP CONSTRAINT payment_issues_kind_check;
ALTER TABLE payment_issues ADD CONSTRAINT payment_issues_kind_check
    CHECK (kind IN ('underpaid', 'overpaid', 'unknown_code', 'paid_expired', 'refund_due', 'refund_failed', 'foreign_account'));

-- +goose StatementBegin
CREATE FUNCTION payment_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'payment_audit is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER payment_audit_no_change BEFORE UPDATE OR DELETE ON payment_audit
    FOR EACH ROW EXECUTE FUNCTION payment_audit_append_only();
CREATE TRIGGER payment_audit_no_truncate BEFORE TRUNCATE ON payment_audit
    FOR EACH STATEMENT EXECUTE FUNCTION payment_audit_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TRIGGER ledger_entries_no_truncate ON ledger_entries;
DROP TRIGGER payment_audit_no_truncate ON payment_audit;
DROP TRIGGER payment_audit_no_change ON payment_audit;
DROP FUNCTION payment_audit_append_only();
ALTER TABLE payment_issues DROP CONSTRAINT payment_issues_kind_check;
UPDATE payment_issues SET kind = 'unknown_code' WHERE kind = 'foreign_account';
ALTER TABLE payment_issues ADD CONSTRAINT payment_issues_kind_check
    CHECK (kind IN ('underpaid', 'overpaid', 'unknown_code', 'paid_expired', 'refund_due', 'refund_failed'));
DROP TABLE provider_calls;
