-- +goose Up
-- The officers' certificate list pages newest decision first within a
-- province (keyset on decision date, then id).
CREATE INDEX certificates_province_decided_idx ON certificates (province_code, decision_date, id);
CREATE INDEX certificates_decided_idx ON certificates (decision_date, id);

-- A renewal of a certificate that had already expired (or been revoked)
-- used to leave no link, so its verify page could not point to the
-- renewal. Link each such certificate to the one its renewal or upgrade
-- application produced (the latest, if several); its status is unchanged,
-- since superseded_on stays empty.
UPDATE certificates SET superseded_by_id = (
    SELECT a.certificate_id FROM registry_applications a
    WHERE a.previous_certificate_id = certificates.id AND a.certificate_id IS NOT NULL AND a.certificate_id <> certificates.id
    ORDER BY a.id DESC LIMIT 1)
WHERE superseded_by_id IS NULL AND EXISTS (
    SELECT 1 FROM registry_applications a
    WHERE a.previous_certificate_id = certificates.id AND a.certificate_id IS NOT NULL AND a.certificate_id <> certificates.id);

-- +goose Down
-- The links added above stay: they are true, and the previous code reads them too.
DROP INDEX certificates_decided_idx;
DROP INDEX certificates_province_decided_idx;
