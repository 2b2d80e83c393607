package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestEachRow reads the same rows on both dialects, outside and inside a
// transaction (PostgreSQL takes the pgx path outside one only), with a
// named string type both as argument and as destination, and an error
// from the caller that stops the reading.
func TestEachRow(t *testing.T) {
	type status string
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		if err := g.Exec(`CREATE TABLE rows_probe (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, ok BOOLEAN NOT NULL)`).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			id   int64
			name string
			st   status
			ok   bool
		}{{1, "Na Chi Lăng", "published", true}, {2, "why?", "published", false}, {3, "Vịt quay", "draft", true}} {
			if err := g.Exec("INSERT INTO rows_probe (id, name, status, ok) VALUES (?, ?, ?, ?)", r.id, r.name, r.st, r.ok).Error; err != nil {
				t.Fatal(err)
			}
		}
		query := `SELECT id, name, status, ok, 'x' AS mark FROM rows_probe WHERE status = ? AND name <> 'it''s' ORDER BY id DESC`
		read := func(g *gorm.DB) []string {
			var got []string
			err := db.EachRow(ctx, g, query, []any{status("published")}, func(scan func(dest ...any) error) error {
				var (
					id         int64
					name, mark string
					st         status
					ok         bool
				)
				if err := scan(&id, &name, &st, &ok, &mark); err != nil {
					return err
				}
				got = append(got, strings.Join([]string{name, string(st), map[bool]string{true: "ok", false: "no"}[ok], mark}, "|"))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		want := "[why?|published|no|x Na Chi Lăng|published|ok|x]"
		if got := read(g); strings.Join(got, " ") != strings.Trim(want, "[]") {
			t.Errorf("outside a transaction: %q, want %s", got, want)
		}
		if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
			if got := read(tx); strings.Join(got, " ") != strings.Trim(want, "[]") {
				t.Errorf("in a transaction: %q, want %s", got, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		stop := errors.New("enough")
		n := 0
		err := db.EachRow(ctx, g, "SELECT id FROM rows_probe ORDER BY id", nil, func(scan func(dest ...any) error) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("a caller's error: %v after %d rows, want it after 1", err, n)
		}
		// The connection went back to the pool in a usable state.
		if got := read(g); len(got) != 2 {
			t.Errorf("after a stopped read: %q", got)
		}
		if err := db.EachRow(ctx, g, "SELECT id FROM rows_probe WHERE id = ?", nil, func(func(...any) error) error { return nil }); err == nil {
			t.Error("a placeholder without its argument was not an error")
		}
	})
}
