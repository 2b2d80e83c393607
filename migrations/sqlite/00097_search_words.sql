-- +goose Up
-- Whole-word search (internal/catalog/words.go) needs an index on
-- PostgreSQL only (migration 00097 there); SQLite compares the words with
-- GLOB over the embedded catalogue. The number is kept so both dialects
-- have the same migrations.
SELECT 1;

-- +goose Down
SELECT 1;
