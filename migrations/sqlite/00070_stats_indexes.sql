-- +goose Up
-- The statistics page and API (issue 12) answer from these indexes.
-- Certificates valid on a day are found by valid_until >= day; SQLite has
-- no INCLUDE, so the columns the figures read follow the key.
CREATE INDEX certificates_stats_until_idx ON certificates (valid_until, valid_from, revoked_on, superseded_on, import_pending, product_id, stars, group_code, province_code, commune_code, decision_date, producer_id);
CREATE INDEX certificates_stats_province_idx ON certificates (province_code, valid_until, valid_from, revoked_on, superseded_on, import_pending, product_id, stars, group_code, commune_code, decision_date, producer_id);
CREATE INDEX order_groups_paid_idx ON order_groups (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX registry_decisions_date_idx ON registry_decisions (province_code, decision_date);
CREATE INDEX registry_applications_submitted_idx ON registry_applications (province_code, submitted_at);

-- +goose Down
DROP INDEX registry_applications_submitted_idx;
DROP INDEX registry_decisions_date_idx;
DROP INDEX order_groups_paid_idx;
DROP INDEX certificates_stats_province_idx;
DROP INDEX certificates_stats_until_idx;
