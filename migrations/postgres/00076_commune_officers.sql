-- +goose Up
-- Commune officers (Decision 1489, 2025: the commune checks the dossier and
-- proposes the product to the province): an officer level scoped to one
-- commune, and the proposal's author on the application.
ALTER TABLE users DROP CONSTRAINT users_officer_level_check;
ALTER TABLE users ADD CONSTRAINT users_officer_level_check CHECK (officer_level IN ('', 'province', 'central', 'commune'));
ALTER TABLE users ADD COLUMN officer_commune_code TEXT REFERENCES communes(code);
-- security: a commune officer has their commune, and only they have one
ALTER TABLE users ADD CONSTRAINT users_officer_commune_check CHECK ((officer_level = 'commune') = (officer_commune_code IS NOT NULL));

ALTER TABLE registry_applications ADD COLUMN proposed_by BIGINT REFERENCES users(id);
ALTER TABLE registry_applications ADD COLUMN proposed_at TIMESTAMPTZ;
CREATE INDEX registry_applications_commune_idx ON registry_applications (commune_code, status);

-- +goose Down
DROP INDEX registry_applications_commune_idx;
ALTER TABLE registry_applications DROP COLUMN proposed_at;
ALTER TABLE registry_applications DROP COLUMN proposed_by;
ALTER TABLE users DROP CONSTRAINT users_officer_commune_check;
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE officer_level = 'commune');
UPDATE users SET disabled_at = COALESCE(disabled_at, NOW()), officer_level = '', role = 'shopper' WHERE officer_level = 'commune';
ALTER TABLE users DROP COLUMN officer_commune_code;
ALTER TABLE users DROP CONSTRAINT users_officer_level_check;
ALTER TABLE users ADD CONSTRAINT users_officer_level_check CHECK (officer_level IN ('', 'province', 'central'));
