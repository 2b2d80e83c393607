// Package dbtest gives tests real, freshly migrated databases: SQLite always,
// and PostgreSQL when OCOP_TEST_POSTGRES_URL points at a server (CI sets it,
// and sets OCOP_TEST_REQUIRE_POSTGRES=1 so that a missing server fails
// instead of skipping). There is no mock of the database anywhere.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
)

// The dialects the tests run on, as the names of their subtests.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// EachDialect is the one loop over the dialects: it runs fn once per
// available dialect, as subtests named "sqlite" and "postgres" (the latter
// when OCOP_TEST_POSTGRES_URL is set). Each, EachURL, Template.Each and
// webtest.Each are this loop with a database made for fn.
func EachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	t.Run(DialectSQLite, func(t *testing.T) { fn(t, DialectSQLite) })
	if PostgresURL(t) != "" {
		t.Run(DialectPostgres, func(t *testing.T) { fn(t, DialectPostgres) })
	}
}

// Each runs fn once per available dialect, each on its own fresh migrated
// database, as subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, g *gorm.DB)) {
	t.Helper()
	EachURL(t, func(t *testing.T, u string) { fn(t, open(t, u)) })
}

// EachURL runs fn once per available dialect with the URL of a fresh, empty
// (not migrated) database, dropped after the test: for tests of migrating and
// of the command line, which open the database themselves.
func EachURL(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	EachDialect(t, func(t *testing.T, dialect string) {
		if dialect == DialectSQLite {
			fn(t, SQLiteURL(t))
			return
		}
		fn(t, NewPostgresDatabase(t))
	})
}

// SQLite returns a migrated SQLite database in a temporary file, removed after the test.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// SQLiteURL returns a fresh SQLite URL (not yet migrated) in a temporary directory.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// PostgresURL returns OCOP_TEST_POSTGRES_URL, failing the test when it is
// unset but required.
func PostgresURL(t testing.TB) string {
	u := os.Getenv("OCOP_TEST_POSTGRES_URL")
	if u == "" && os.Getenv("OCOP_TEST_REQUIRE_POSTGRES") == "1" {
		t.Fatal("OCOP_TEST_REQUIRE_POSTGRES=1 but OCOP_TEST_POSTGRES_URL is unset")
	}
	return u
}

// Postgres returns a migrated database on a new PostgreSQL database, dropped
// after the test. It skips when no server is configured.
func Postgres(t testing.TB) *gorm.DB {
	t.Helper()
	u := NewPostgresDatabase(t)
	return open(t, u)
}

// NewPostgresDatabase creates an empty PostgreSQL database for the test and
// returns its URL; the database is dropped when the test ends.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	return NewPostgresDatabaseFrom(t, "")
}

// NewPostgresDatabaseFrom is NewPostgresDatabase with the new database a copy
// of template (CREATE DATABASE ... TEMPLATE), or empty when template is "".
func NewPostgresDatabaseFrom(t testing.TB, template string) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		t.Skip("OCOP_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	name := DatabaseName("ocop_t_")
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if err := adminExec(ctx, base, create); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := DropDatabase(ctx, base, name); err != nil {
			t.Errorf("dbtest: %v", err)
		}
	})
	return withDatabase(t, base, name)
}

// MaxConns is the pool size of every test database handle: the suite runs
// beside other work on a PostgreSQL server with 100 connections, with two
// test binaries at a time, so each handle holds few.
const MaxConns = 4

// Run names this test run in the names of the PostgreSQL databases it makes:
// $OCOP_TEST_RUN when set (.ci/run sets it, then drops what is left of its
// run when it ends, even after a crash), else a random name per test binary.
// A run drops only its own databases, never another run's.
// It starts with a letter and holds only [a-z0-9_] (it is part of an SQL
// identifier); the letter also keeps older copies of this package, which
// dropped ocop_tpl_<pid>_* databases of ended processes, off these names.
func Run() string { return run() }

var run = sync.OnceValue(func() string {
	r := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' {
			return c
		}
		return -1
	}, strings.ToLower(os.Getenv("OCOP_TEST_RUN")))
	if r == "" {
		r = randomHex(4)
	}
	return "r" + r[:min(len(r), 24)]
})

// DatabaseName returns a new database name: prefix, this run's name and a
// random part.
func DatabaseName(prefix string) string { return prefix + Run() + "_" + randomHex(6) }

// DropDatabase drops the database name on the server of base, ending its
// connections (they are this run's own).
func DropDatabase(ctx context.Context, base, name string) error {
	if err := adminExec(ctx, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// adminExec runs one statement on the server's own database of base, on a
// connection of its own.
func adminExec(ctx context.Context, base, stmt string) error {
	admin, err := db.Open(ctx, base, db.MaxConns(2))
	if err != nil {
		return err
	}
	return errors.Join(admin.WithContext(ctx).Exec(stmt).Error, db.Close(admin))
}

func withDatabase(t testing.TB, base, name string) string {
	t.Helper()
	pu, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: bad OCOP_TEST_POSTGRES_URL: %v", err)
	}
	pu.Path = "/" + name
	return pu.String()
}

func open(t testing.TB, u string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	g, err := db.Open(ctx, u, db.MaxConns(MaxConns))
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(g) }) // teardown of a throwaway database: nothing to recover
	if err := db.Migrate(ctx, g, nil); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return g
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (it crashes the program instead)
	return strings.ToLower(hex.EncodeToString(b))
}
