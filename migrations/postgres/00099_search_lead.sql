-- +goose Up
-- The first tier of a text search (internal/catalog/rank.go): the products
-- whose search text begins with the query's words share its first word, so
-- this index returns them newest first and the search stops at a page
-- instead of ranking every match. It carries status and the search text
-- so that the rest of the test needs no row from the table (an index-only
-- scan). The search text is bounded by the catalogue's validation (name and
-- English name 200 characters each, producer and group names), far under
-- the 2,704 bytes of a B-tree entry. The search spells the expression
-- exactly (leadWordSQL).
CREATE INDEX products_search_lead ON products (split_part(search_text, ' ', 1), id DESC)
    INCLUDE (status, search_text);

-- +goose Down
DROP INDEX products_search_lead;
