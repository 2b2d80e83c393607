package catalog

import (
	"strconv"
	"strings"

	"github.com/chocop/ocop/internal/platform/db"
)

// A text search ranks its matches in three tiers, newest first within
// each (the sort key of a relevance cursor is the tier):
//
//   - tierLead: the search text begins with the query's words, whole, as
//     "vit quay" begins "vit quay lang son ..." (a name that begins with
//     what the shopper typed);
//   - tierPhrase: the phrase begins a word of the text, elsewhere or not
//     ending at a word's end ("banh chung," for "banh chung");
//   - tierWords: the words are all there, anywhere.
//
// Most searches are answered by the first tier alone, and it is the one
// tier an index can return in rank order: a product in it has the query's
// first word as its own first word, so the index on (first word, id DESC)
// of migration 00099 walks the newest products beginning with that word and
// stops at a page (leadCond). The others need every match ranked.
const (
	tierLead   = 2
	tierPhrase = 1
)

// leadTierSQL is true when the search text is the folded query or begins
// with it followed by a space: the query's words are its first words. The
// stored text and the query are both text.Fold output (words split by one
// space), so such a text's first word is the query's first word.
const leadTierSQL = `(products.search_text = ? OR products.search_text LIKE ? ESCAPE '\')`

func leadTierArgs(folded string) []any { return []any{folded, db.LikeEscape(folded) + " %"} }

// relevanceCase is the tier of a product (relevanceSQL gives its
// arguments). It needs the whole-word condition beside it: tierWords means
// only "matched".
var relevanceCase = `(CASE WHEN ` + leadTierSQL + ` THEN ` + strconv.Itoa(tierLead) +
	` WHEN products.search_text LIKE ? ESCAPE '\' OR products.search_text LIKE ? ESCAPE '\' THEN ` + strconv.Itoa(tierPhrase) + ` ELSE 0 END)`

// relevanceSQL is the tier of a product for the folded query, with its
// arguments.
func relevanceSQL(folded string) (string, []any) {
	e := db.LikeEscape(folded)
	return relevanceCase, append(leadTierArgs(folded), e+"%", "% "+e+"%")
}

// leadWordSQL is the first word of the search text, spelled exactly as the
// index of migration 00099 spells it in dialect d, so the planner uses it.
func leadWordSQL(d db.Dialect) string {
	if d == db.Postgres {
		return `split_part(products.search_text, ' ', 1)`
	}
	return `substr(products.search_text, 1, instr(products.search_text || ' ', ' ') - 1)`
}

// leadCond selects the products of tierLead for the folded query: those
// whose first word is the query's first word (the index) and whose text
// begins with the query's words. Such a text holds every word of the query
// whole, so the whole-word condition is implied and not asked.
//
// The second test is wrapped in a CASE on purpose: PostgreSQL then
// estimates it at half the rows, as it is for most searches, instead of
// multiplying the first word's selectivity by the prefix's as if they were
// independent (they are not: the prefix implies the word). With the
// product of the two it planned a bitmap of every match and a sort, ten
// times slower than walking the index and stopping at a page.
func leadCond(d db.Dialect, folded string) (string, []any) {
	first, _, _ := strings.Cut(folded, " ")
	return leadWordSQL(d) + ` = ? AND (CASE WHEN ` + leadTierSQL + ` THEN true ELSE false END)`,
		append([]any{first}, leadTierArgs(folded)...)
}
