package catalog_test

import (
	"context"
	"io"
	"os"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed"
)

// benchDB returns a database with the reference data and a generated
// catalogue of n products: PostgreSQL when OCOP_TEST_POSTGRES_URL is set,
// else SQLite. Run: go test -bench Search -benchtime 2s ./internal/catalog/
func benchDB(b *testing.B, n int) *gorm.DB {
	b.Helper()
	var g *gorm.DB
	if os.Getenv("OCOP_TEST_POSTGRES_URL") != "" {
		g = dbtest.Postgres(b)
	} else {
		g = dbtest.SQLite(b)
	}
	ctx := context.Background()
	if err := seed.Reference(ctx, g); err != nil {
		b.Fatal(err)
	}
	if err := seed.Scale(ctx, g, n, io.Discard); err != nil {
		b.Fatal(err)
	}
	g.Exec("ANALYZE")
	return g
}

func BenchmarkSearch(b *testing.B) {
	g := benchDB(b, 20_000)
	svc := catalog.NewService(g, registry.NewBadgeStore(g))
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    catalog.Query
	}{
		{"list newest", catalog.Query{}},
		{"text vit quay", catalog.Query{Text: "Vịt quay"}},
		{"text with typo", catalog.Query{Text: "vit quya"}},
		{"group and price", catalog.Query{Group: "I.3", PriceMin: 100_000, Sort: catalog.SortPriceAsc}},
		{"4 stars and up by stars", catalog.Query{MinStars: 4, Sort: catalog.SortStars}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Search(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Deep pages cost what the first page costs (keyset, no OFFSET).
	b.Run("page 50 by price", func(b *testing.B) {
		q := catalog.Query{Sort: catalog.SortPriceAsc, Limit: 24}
		for range 50 {
			p, err := svc.Search(ctx, q)
			if err != nil || p.Next == nil {
				b.Fatal(err)
			}
			q.After = p.Next
		}
		for b.Loop() {
			if _, err := svc.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
