-- +goose Up
-- Whole-word search (issue 13 speed; internal/catalog/words.go): a GIN
-- index over the words of each product's folded search text, a word being
-- a run of a-z and 0-9. The trigram index stays for the typo-tolerant
-- fallback. The search spells this expression exactly (wordsTSVector).
CREATE INDEX products_search_words ON products
    USING gin (to_tsvector('simple', regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g')));

-- +goose Down
DROP INDEX products_search_words;
