package db_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
)

func open(t *testing.T, url string) *gorm.DB {
	t.Helper()
	g, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) }) // teardown of a throwaway database: nothing to recover
	return g
}

// TestConcurrentMigrate starts two "instances" migrating one empty database
// at once: both must succeed and each migration must be applied once (on
// PostgreSQL the advisory lock serialises them; SQLite serialises writers).
func TestConcurrentMigrate(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		a, b := open(t, url), open(t, url)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, g := range []*gorm.DB{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = db.Migrate(context.Background(), g, nil) }()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("instance %d: %v", i+1, err)
			}
		}
		var dup int64
		err := a.Raw(`SELECT COUNT(*) FROM (SELECT version_id FROM goose_db_version WHERE version_id > 0 GROUP BY version_id HAVING COUNT(*) > 1) d`).Scan(&dup).Error
		if err != nil || dup != 0 {
			t.Fatalf("migrations applied twice: %d versions (%v)", dup, err)
		}
		if !a.Migrator().HasTable("users") {
			t.Fatal("no users table after migrating")
		}
	})
}

// TestTxRollsBackOnError proves Tx commits on nil and rolls back on error,
// and that a unique violation is recognised by IsDuplicate.
func TestTxRollsBackOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		insert := func(tx *gorm.DB, code string) error {
			return tx.Exec(`INSERT INTO provinces (code, name, name_en, full_name, full_name_en, slug) VALUES (?, 'X', 'X', 'X', 'X', ?)`, code, "x"+code).Error
		}
		boom := errors.New("boom")
		if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
			if err := insert(tx, "T1"); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("Tx returned %v, want the function's error", err)
		}
		if err := db.Tx(ctx, g, func(tx *gorm.DB) error { return insert(tx, "T2") }); err != nil {
			t.Fatal(err)
		}
		var n int64
		g.Table("provinces").Where("code IN ?", []string{"T1", "T2"}).Count(&n)
		if n != 1 {
			t.Fatalf("%d rows after one rolled-back and one committed transaction, want 1", n)
		}
		if err := insert(g, "T2"); !db.IsDuplicate(err) {
			t.Errorf("second insert of the same key: %v, want IsDuplicate", err)
		}
		if err := db.Ping(ctx, g); err != nil {
			t.Errorf("ping: %v", err)
		}
	})
}

// TestExclusiveSerialisesPools: two pools on one database (two processes)
// never run their Exclusive functions at the same time, on both dialects,
// and a wait for the lock ends with its context.
func TestExclusiveSerialisesPools(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		a, b := open(t, url), open(t, url)
		var inside, overlaps atomic.Int32
		var wg sync.WaitGroup
		for _, g := range []*gorm.DB{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Exclusive(ctx, g, func() error {
					if inside.Add(1) > 1 {
						overlaps.Add(1)
					}
					time.Sleep(30 * time.Millisecond)
					inside.Add(-1)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if overlaps.Load() != 0 {
			t.Fatalf("%d Exclusive functions ran while another held the lock", overlaps.Load())
		}

		held, release, holder := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			holder <- db.Exclusive(ctx, a, func() error { close(held); <-release; return nil })
		}()
		<-held
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		ran := false
		err := db.Exclusive(short, b, func() error { ran = true; return nil })
		close(release)
		if ran || err == nil {
			t.Fatalf("Exclusive ran (%v) or returned %v while another pool held the lock, want the context's error", ran, err)
		}
		if err := <-holder; err != nil {
			t.Fatalf("the holder: %v", err)
		}
		if err := db.Exclusive(ctx, b, func() error { return nil }); err != nil {
			t.Fatalf("after the holder released the lock: %v", err)
		}
	})
}

// TestPoolSize: PostgreSQL pools hold at most MaxConns connections
// (DefaultMaxConns when not given, never below 2); SQLite keeps its own small pool.
func TestPoolSize(t *testing.T) {
	ctx := context.Background()
	maxOpen := func(url string, opts ...db.Option) int {
		g, err := db.Open(ctx, url, opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close(g)
		sqlDB, err := g.DB()
		if err != nil {
			t.Fatal(err)
		}
		return sqlDB.Stats().MaxOpenConnections
	}
	if n := maxOpen(dbtest.SQLiteURL(t), db.MaxConns(50)); n != 4 {
		t.Errorf("SQLite pool: %d connections, want 4", n)
	}
	if dbtest.PostgresURL(t) == "" {
		return
	}
	url := dbtest.NewPostgresDatabase(t)
	for _, tc := range []struct {
		opts []db.Option
		want int
	}{{nil, db.DefaultMaxConns}, {[]db.Option{db.MaxConns(7)}, 7}, {[]db.Option{db.MaxConns(1)}, 2}} {
		if n := maxOpen(url, tc.opts...); n != tc.want {
			t.Errorf("PostgreSQL pool with %d options: %d connections, want %d", len(tc.opts), n, tc.want)
		}
	}
}
