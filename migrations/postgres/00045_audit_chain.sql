-- The audit logs become tamper-evident: each row of registry_audit and of
-- payment_audit carries the SHA-256 of the previous row of its table
-- (prev_hash) and its own (hash), written by internal/platform/auditchain.
-- Rows written before this migration keep empty hashes: `ocop audit verify`
-- accepts them only as the leading run, before the first chained row.
-- A chained row has one successor at most (the partial unique index), so
-- the chain cannot fork even if two writers raced past the lock.
-- (payment_audit's append-only triggers come with the payments' own
-- migration, 00053.)

-- +goose Up
ALTER TABLE registry_audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX registry_audit_chain_uq ON registry_audit (prev_hash) WHERE hash <> '';

ALTER TABLE payment_audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payment_audit_chain_uq ON payment_audit (prev_hash) WHERE hash <> '';

-- +goose Down
DROP INDEX payment_audit_chain_uq;
ALTER TABLE payment_audit DROP COLUMN hash;
ALTER TABLE payment_audit DROP COLUMN prev_hash;
DROP INDEX registry_audit_chain_uq;
ALTER TABLE registry_audit DROP COLUMN hash;
ALTER TABLE registry_audit DROP COLUMN prev_hash;
