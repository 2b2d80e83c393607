-- +goose Up
-- The first tier of a text search (internal/catalog/rank.go): the products
-- whose search text begins with the query's words share its first word, so
-- this index returns them newest first and the search stops at a page
-- instead of ranking every match. SQLite has no split_part; the search
-- spells this expression exactly (leadWordSQL).
CREATE INDEX products_search_lead ON products (substr(search_text, 1, instr(search_text || ' ', ' ') - 1), id DESC);

-- +goose Down
DROP INDEX products_search_lead;
