package db_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	gosqlite "github.com/glebarez/go-sqlite"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// sqliteBusy is SQLite's primary result code SQLITE_BUSY, "database is
// locked" (modernc.org/sqlite/lib is not imported beside the driver).
const sqliteBusy = 5

// isBusy reports whether err is SQLITE_BUSY or one of its extended codes.
func isBusy(err error) bool {
	var e *gosqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqliteBusy
}

// impatient returns a connection of another pool on url that gives up at
// once when the write lock is taken, to probe who holds it.
func impatient(t *testing.T, url string) *sql.Conn {
	t.Helper()
	sqlDB, err := open(t, url).DB()
	if err != nil {
		t.Fatal(err)
	}
	c, err := sqlDB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() }) // teardown of a throwaway connection: nothing to recover
	if _, err := c.ExecContext(context.Background(), "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSQLiteWriteTransactionLocksAtBegin: a read-write transaction holds
// SQLite's write lock from BEGIN, before any statement, so concurrent writers
// queue on busy_timeout at BEGIN instead of failing with SQLITE_BUSY at their
// first write. A read-only transaction takes no lock, so readers never queue.
// (The driver's _txlock=immediate DSN option was silently ignored: this test
// failed on it.)
func TestSQLiteWriteTransactionLocksAtBegin(t *testing.T) {
	ctx := context.Background()
	url := dbtest.SQLiteURL(t)
	sqlDB, err := open(t, url).DB()
	if err != nil {
		t.Fatal(err)
	}
	probe := impatient(t, url)

	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = probe.ExecContext(ctx, "BEGIN IMMEDIATE")
	if !isBusy(err) {
		t.Fatalf("another writer's BEGIN IMMEDIATE while a fresh read-write transaction is open: %v, want SQLITE_BUSY (the transaction did not take the write lock at BEGIN)", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	ro, err := sqlDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Rollback()
	var n int
	if err := ro.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := probe.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatalf("a read-only transaction blocks writers: %v", err)
	}
	if _, err := probe.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteWritersQueue: goroutines that each read a counter and write it
// back in a transaction (the shape of a checkout: read stock, then write)
// all succeed and lose no update. With deferred transactions SQLite refuses
// the second writer's upgrade with SQLITE_BUSY without waiting.
func TestSQLiteWritersQueue(t *testing.T) {
	ctx := context.Background()
	g := open(t, dbtest.SQLiteURL(t))
	if err := g.Exec("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				errs <- func() error {
					tx, err := sqlDB.BeginTx(ctx, nil)
					if err != nil {
						return err
					}
					defer tx.Rollback()
					var n int
					if err := tx.QueryRowContext(ctx, "SELECT n FROM counter").Scan(&n); err != nil {
						return err
					}
					time.Sleep(100 * time.Microsecond) // let others start theirs
					if _, err := tx.ExecContext(ctx, "UPDATE counter SET n = ?", n+1); err != nil {
						return err
					}
					return tx.Commit()
				}()
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := map[string]int{}
	for err := range errs {
		if err != nil {
			failed[err.Error()]++
		}
	}
	if len(failed) > 0 {
		t.Fatalf("concurrent read-then-write transactions failed: %v", failed)
	}
	var n int
	if err := sqlDB.QueryRowContext(ctx, "SELECT n FROM counter").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != workers*rounds {
		t.Fatalf("counter = %d, want %d (updates lost)", n, workers*rounds)
	}
}

// TestSQLitePragmasOnEveryPooledConnection reads back, on every connection
// of a full pool, the settings the DSN asks for: a pragma the driver did not
// apply would otherwise fail silently, as _txlock did.
func TestSQLitePragmasOnEveryPooledConnection(t *testing.T) {
	ctx := context.Background()
	g := open(t, dbtest.SQLiteURL(t))
	sqlDB, err := g.DB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.ExecContext(ctx, "CREATE TABLE times (at TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	max := sqlDB.Stats().MaxOpenConnections
	if max < 1 {
		t.Fatalf("the SQLite pool is unbounded (MaxOpenConnections = %d)", max)
	}
	conns := make([]*sql.Conn, max) // all held at once: each is a distinct connection
	for i := range conns {
		c, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	want := map[string]string{"foreign_keys": "1", "journal_mode": "wal", "busy_timeout": "10000", "synchronous": "1"}
	for i, c := range conns {
		for pragma, w := range want {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("connection %d: PRAGMA %s: %v", i, pragma, err)
			}
			if !strings.EqualFold(got, w) {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, pragma, got, w)
			}
		}
		// _time_format=sqlite: times are stored as SQLite's own text form.
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		if _, err := c.ExecContext(ctx, "INSERT INTO times VALUES (?)", at); err != nil {
			t.Fatal(err)
		}
		var text string
		if err := c.QueryRowContext(ctx, "SELECT CAST(at AS TEXT) FROM times ORDER BY rowid DESC LIMIT 1").Scan(&text); err != nil {
			t.Fatal(err)
		}
		if text != "2026-01-02 03:04:05+00:00" {
			t.Errorf("connection %d stores a time as %q, want SQLite's format 2026-01-02 03:04:05+00:00", i, text)
		}
	}
}
