package db_test

import (
	"reflect"
	"sort"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestLikeEscape: a typed wildcard or backslash matches only itself, on
// both dialects, with ESCAPE '\' (SQLite has no default escape character).
func TestLikeEscape(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		if err := g.Exec("CREATE TABLE like_probe (v TEXT NOT NULL)").Error; err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"a%b", "axb", "a_b", `a\b`, "ab"} {
			if err := g.Exec("INSERT INTO like_probe (v) VALUES (?)", v).Error; err != nil {
				t.Fatal(err)
			}
		}
		for typed, want := range map[string][]string{"%": {"a%b"}, "_": {"a_b"}, `\`: {`a\b`}, "a": {"a%b", "a_b", `a\b`, "ab", "axb"}} {
			var got []string
			if err := g.Raw(`SELECT v FROM like_probe WHERE v LIKE ? ESCAPE '\'`, "%"+db.LikeEscape(typed)+"%").Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			sort.Strings(got) // in Go: the server's collation may order punctuation otherwise
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q: %q, want %q", typed, got, want)
			}
		}
	})
}
