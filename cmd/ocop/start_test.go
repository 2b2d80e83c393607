package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/seed"
)

// TestInstancesStartTogetherOnOneFreshDatabase: two servers' start-up path
// (migrate, reference data, demo seed in dev), each on its own connection
// pool as two processes would be, and an `ocop seed --demo` all start at
// once on one empty database, on both dialects. All succeed, each migration
// is applied once and the demo data is written once. Before the start-up
// lock, SQLite failed with "table ... already exists" or a duplicate column,
// and the seed with producer.duplicate (both counted zero users, then seeded).
func TestInstancesStartTogetherOnOneFreshDatabase(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		cfg, err := config.Load(env(map[string]string{"OCOP_DATABASE_URL": url}))
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		handles := make([]*gorm.DB, 2)
		for i := range handles {
			g, err := db.Open(ctx, url, db.MaxConns(dbtest.MaxConns))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close(g) }) // teardown of a throwaway database: nothing to recover
			handles[i] = g
		}
		errs := make([]error, len(handles)+1)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, g := range handles {
			wg.Add(1)
			go func() { defer wg.Done(); <-start; errs[i] = prepare(ctx, cfg, log, g) }()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[len(handles)] = ocop(t, map[string]string{"OCOP_DATABASE_URL": url}, "seed", "--demo")
		}()
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("starter %d: %v", i+1, err)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		g := handles[0]
		var twice int64
		if err := g.Raw(`SELECT COUNT(*) FROM (SELECT version_id FROM goose_db_version WHERE version_id > 0 GROUP BY version_id HAVING COUNT(*) > 1) d`).Scan(&twice).Error; err != nil || twice != 0 {
			t.Errorf("%d migrations applied twice (%v)", twice, err)
		}
		counts := []struct {
			what, query string
			want        int64
		}{
			{"demo accounts", "SELECT COUNT(*) FROM users", int64(len(seed.DemoAccounts))},
			{"provinces", "SELECT COUNT(*) FROM provinces", 34},
			{"demo producers twice", "SELECT COUNT(*) FROM (SELECT legal_name FROM producers GROUP BY legal_name HAVING COUNT(*) > 1) d", 0},
		}
		for _, c := range counts {
			var n int64
			if err := g.Raw(c.query).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != c.want {
				t.Errorf("%s: %d, want %d", c.what, n, c.want)
			}
		}
	})
}
