package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
)

// TestPeriodicJobRunsOncePerPeriodAcrossInstances: two instances (two
// engines, each with its own pool, on one database: PostgreSQL, or one
// SQLite file) register the same sweep; it runs on the leader only, once
// per period, never twice in one.
func TestPeriodicJobRunsOncePerPeriodAcrossInstances(t *testing.T) {
	const period = time.Second // River's smallest unique period
	const want = 3
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var (
			mu   sync.Mutex
			runs []time.Time
			done = make(chan struct{})
		)
		instance := func(name string) *jobs.Engine {
			g, err := db.Open(ctx, url, db.MaxConns(dbtest.MaxConns))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close(g) }) // a throwaway database
			if err := db.Migrate(ctx, g, nil); err != nil {
				t.Fatal(err)
			}
			e := jobstest.New(t, g, jobs.Options{ID: name})
			e.Sweep("test.tick", period, func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				runs = append(runs, time.Now())
				if len(runs) == want {
					close(done)
				}
				return nil
			})
			return e
		}
		a, b := instance("a"), instance("b")
		for _, e := range []*jobs.Engine{a, b} {
			if err := e.Start(ctx); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("the sweep ran %d times in 30 s, want %d", len(runs), want)
		}
		for _, e := range []*jobs.Engine{a, b} {
			if err := e.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		// Every job inserted was run once, and no period got two jobs.
		page, err := a.List(ctx, jobs.FilterAll, "", jobs.MaxPage)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]int64{}
		for _, j := range page.Jobs {
			bucket := j.CreatedAt.UnixNano() / int64(period)
			if other, dup := seen[bucket]; dup {
				t.Errorf("jobs %d and %d of one period (%v)", other, j.ID, j.CreatedAt)
			}
			seen[bucket] = j.ID
		}
		mu.Lock()
		defer mu.Unlock()
		if len(runs) < want || len(runs) > len(page.Jobs) {
			t.Errorf("%d runs of %d jobs: a periodic job ran twice", len(runs), len(page.Jobs))
		}
	})
}

// TestSQLiteWritersQueue: River's writes go through the same pool as the
// application's, whose SQLite transactions begin IMMEDIATE (db.openSQLite),
// so a burst of enqueues inside application transactions while the engine
// works never meets "database is locked".
func TestSQLiteWritersQueue(t *testing.T) {
	g := dbtest.SQLite(t)
	ctx := context.Background()
	e, w := newEngine(t, g)
	var mode string
	if err := g.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v): River shares the pool and its pragmas", mode, err)
	}
	jobstest.Drain(t, e) // the engine runs during the burst
	var wg sync.WaitGroup
	errc := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- db.Tx(ctx, g, func(tx *gorm.DB) error {
				return e.EnqueueTx(ctx, tx, noteArgs{Key: string(rune('a' + i%26))}, nil)
			})
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("enqueue during a burst: %v", err)
		}
	}
	jobstest.Drain(t, e)
	total := 0
	for i := range 26 {
		total += w.count(string(rune('a' + i)))
	}
	if total != 64 {
		t.Errorf("%d jobs ran, want 64", total)
	}
	c, err := e.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c[jobs.FilterCompleted] != 64 {
		t.Errorf("counts = %v", c)
	}
}
