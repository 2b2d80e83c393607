package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
)

// Templates make expensive fixtures cheap: a database is migrated and filled
// once per test binary, and each test gets a copy of it. Filling the demo
// data hashes passwords with argon2id and loads thousands of communes, which
// takes seconds; a copy takes milliseconds (SQLite) or a fraction of a second
// (PostgreSQL).

// SQLiteTemplate migrates a new SQLite database, fills it with fill and
// returns its bytes, for SQLiteFrom. No file is left behind.
func SQLiteTemplate(ctx context.Context, fill func(ctx context.Context, g *gorm.DB) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "ocop-dbtest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	g, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "template.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close(g)
	if err := db.Migrate(ctx, g, nil); err != nil {
		return nil, err
	}
	if err := fill(ctx, g); err != nil {
		return nil, err
	}
	// VACUUM INTO writes one consistent file, WAL included.
	out := filepath.Join(dir, "copy.db")
	if err := g.WithContext(ctx).Exec("VACUUM INTO ?", out).Error; err != nil {
		return nil, fmt.Errorf("dbtest: copy template: %w", err)
	}
	return os.ReadFile(out)
}

// SQLiteFrom returns a database that is a copy of template (from
// SQLiteTemplate) in a temporary directory, removed after the test.
func SQLiteFrom(t testing.TB, template []byte) *gorm.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, template, 0o600); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	g, err := db.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(g) }) // teardown of a throwaway database: nothing to recover
	return g
}

// PostgresTemplate creates a PostgreSQL database on the server of baseURL,
// migrates it, fills it with fill and returns its name, for
// NewPostgresDatabaseFrom. A template outlives single tests: the test binary
// drops it when its tests end (webtest.Main), and .ci/run drops whatever its
// run left behind.
func PostgresTemplate(ctx context.Context, baseURL string, fill func(ctx context.Context, g *gorm.DB) error) (name string, err error) {
	name = DatabaseName("ocop_tpl_")
	if err := adminExec(ctx, baseURL, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("dbtest: create template: %w", err)
	}
	defer func() {
		if err != nil { // a half-made template is of no use to anyone
			err = errors.Join(err, DropDatabase(ctx, baseURL, name))
			name = ""
		}
	}()
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	g, err := db.Open(ctx, u.String(), db.MaxConns(MaxConns))
	if err != nil {
		return "", err
	}
	if err := db.Migrate(ctx, g, nil); err != nil {
		return "", errors.Join(err, db.Close(g))
	}
	if err := fill(ctx, g); err != nil {
		return "", errors.Join(err, db.Close(g))
	}
	// The template must have no open connection when it is copied.
	if err := db.Close(g); err != nil {
		return "", err
	}
	return name, nil
}
