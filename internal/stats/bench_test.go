package stats_test

import (
	"context"
	"os"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
)

// BenchmarkAreaQueries times each area's statistics query for the whole
// country on a database given by OCOP_STATS_BENCH_URL (the national-scale
// seed: ocop seed --demo --scale 20000), to see which one a request waits
// for. Skipped without it.
func BenchmarkAreaQueries(b *testing.B) {
	u := os.Getenv("OCOP_STATS_BENCH_URL")
	if u == "" {
		b.Skip("OCOP_STATS_BENCH_URL is not set")
	}
	g, err := db.Open(context.Background(), u)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	d := day.Today()
	bs := registry.NewBadgeStore(g)
	sc := registry.StatsScope{}
	run := func(name string, fn func() error) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("products", func() error { _, err := bs.Products(ctx, sc, d); return err })
	run("trend", func() error { _, err := bs.Trend(ctx, sc, d); return err })
	run("expiring", func() error { _, err := bs.Expiring(ctx, sc, d); return err })
	run("owners", func() error {
		q, a := bs.OwnersSQL(sc, d)
		_, err := producer.NewStore(g).CountKinds(ctx, q, a...)
		return err
	})
	run("listed", func() error { _, err := catalog.NewService(g, bs).ListedIn(ctx, "", ""); return err })
	run("sales", func() error { _, err := order.NewService(g, 0, nil).SalesIn(ctx, "", "", d); return err })
}
