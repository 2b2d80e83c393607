package catalog

import (
	"strings"

	"github.com/chocop/ocop/internal/platform/db"
)

// A text search matches whole words: every word of the query must be a
// word of the product's search text (its folded name, English name,
// producer and group). A word is a run of the letters a–z and digits 0–9
// of the folded text, so "na" finds "Na Chi Lăng" but not "nấm" or "Nam",
// and "500g" finds "Mật ong (500g)". Vietnamese writes every syllable as a
// word, so a part of one is rarely what a shopper means; a query that
// matches no whole word falls back to the typo-tolerant trigram search
// (PostgreSQL), which finds "vit qua" and "vịt quya".
//
// Both dialects decide a match the same way, which the search tests check
// on each:
//   - PostgreSQL asks a GIN index over the words (migration 00097): an
//     index answer needs no recheck of the rows, so a common word costs
//     the rows it finds, not every row holding its letters, as the
//     trigram index's LIKE did (which also could not index "na");
//   - SQLite compares each word with GLOB, bounded by a character that is
//     not a letter or digit on either side.

// searchWords returns the words of folded text (see above), at most
// maxWords of them: a longer query asks nothing more of any product.
func searchWords(folded string) []string {
	words := strings.FieldsFunc(folded, func(r rune) bool { return !isWordByte(r) })
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	return words
}

// maxWords bounds the words of one search (a query is at most 200 bytes).
const maxWords = 16

func isWordByte(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }

// wordsTSVector is the expression migration 00097 indexes on PostgreSQL;
// the query must spell it exactly so the planner uses the index.
const wordsTSVector = `to_tsvector('simple', regexp_replace(products.search_text, '[^a-z0-9]+', ' ', 'g'))`

// wordsCond is the condition that a product's search text holds every
// word, with its arguments, in dialect d. No words (a query of symbols
// only) matches nothing.
func wordsCond(d db.Dialect, words []string) (string, []any) {
	if len(words) == 0 {
		return "1 = 0", nil
	}
	if d == db.Postgres {
		// Words are [a-z0-9]+, so they cannot spell tsquery operators.
		return wordsTSVector + " @@ to_tsquery('simple', ?)", []any{strings.Join(words, " & ")}
	}
	conds := make([]string, len(words))
	args := make([]any, len(words))
	for i, w := range words {
		// GLOB is case-sensitive and the search text is lower case; the
		// padding gives the first and last word a boundary too.
		conds[i] = `(' ' || products.search_text || ' ') GLOB ?`
		args[i] = "*[^a-z0-9]" + w + "[^a-z0-9]*"
	}
	return "(" + strings.Join(conds, " AND ") + ")", args
}
