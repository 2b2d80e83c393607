-- +goose Up
-- Stored statistics (issue 12): one row per filter (the country, a
-- province, a commune) holding its figures as JSON, computed for one day at
-- one point of the registry's audit chain. A request reads the row by
-- primary key and uses it while the day, the registry's last certificate
-- change and its age (OCOP_STATS_SNAPSHOT) still match, so the national
-- figures cost one lookup instead of a scan of every certificate.
CREATE TABLE stats_snapshots (
    filter_key  TEXT PRIMARY KEY,          -- "" country, "20" province, "20/06184" commune
    day         TEXT NOT NULL,             -- YYYY-MM-DD the figures are for
    watermark   INTEGER NOT NULL,             -- registry_audit id of the last certificate change seen
    figures     TEXT NOT NULL,             -- stats.Figures as JSON
    computed_at DATETIME NOT NULL
);

-- The watermark: the newest successful certificate action of the registry,
-- read backwards from this partial index in one step.
CREATE INDEX registry_audit_cert_changes_idx ON registry_audit (id)
    WHERE outcome = 'ok' AND action LIKE 'certificate.%';

-- +goose Down
DROP INDEX registry_audit_cert_changes_idx;
DROP TABLE stats_snapshots;
