// Package dbtest gives tests real, freshly migrated databases: SQLite always,
// and PostgreSQL when OCOP_TEST_POSTGRES_URL points at a server (CI sets it,
// and sets OCOP_TEST_REQUIRE_POSTGRES=1 so that a missing server fails
// instead of skipping). There is no mock of the database anywhere.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
)

// Each runs fn once per available dialect, each on its own fresh migrated
// database, as subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, g *gorm.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if PostgresURL(t) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
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
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: connect to %s: %v", base, err)
	}
	defer db.Close(admin)
	name := "ocop_t_" + randomHex(6)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if err := admin.Exec(create).Error; err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := db.Open(ctx, base)
		if err != nil {
			return
		}
		defer db.Close(admin)
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return withDatabase(t, base, name)
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
	g, err := db.Open(ctx, u)
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

// Name returns a short description of g's dialect for failure messages.
func Name(g *gorm.DB) string { return fmt.Sprint(db.DialectOf(g)) }
