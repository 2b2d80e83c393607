-- +goose Up
-- Indexes for the public search (province, then id for cursor pages) and for
-- the officers' overview and expiry lists (province, then end date).
CREATE INDEX certificates_province_page_idx ON certificates (province_code, id);
CREATE INDEX certificates_province_until_idx ON certificates (province_code, valid_until);

-- +goose Down
DROP INDEX certificates_province_until_idx;
DROP INDEX certificates_province_page_idx;
