package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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

// templatePrefix names template databases ocop_tpl_<pid>_<random>, so that a
// later run can drop those whose process has ended (there is no hook at the
// end of a test binary to drop its own).
const templatePrefix = "ocop_tpl_"

// PostgresTemplate creates a PostgreSQL database on the server of baseURL,
// migrates it, fills it with fill and returns its name, for
// NewPostgresDatabaseFrom. Templates left by test processes that have ended
// are dropped first.
func PostgresTemplate(ctx context.Context, baseURL string, fill func(ctx context.Context, g *gorm.DB) error) (string, error) {
	admin, err := db.Open(ctx, baseURL)
	if err != nil {
		return "", err
	}
	defer db.Close(admin)
	dropStaleTemplates(ctx, admin)
	name := templatePrefix + strconv.Itoa(os.Getpid()) + "_" + randomHex(4)
	if err := admin.WithContext(ctx).Exec("CREATE DATABASE " + name).Error; err != nil {
		return "", fmt.Errorf("dbtest: create template: %w", err)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	g, err := db.Open(ctx, u.String())
	if err != nil {
		return "", err
	}
	// The template must have no open connection when it is copied.
	defer db.Close(g)
	if err := db.Migrate(ctx, g, nil); err != nil {
		return "", err
	}
	if err := fill(ctx, g); err != nil {
		return "", err
	}
	return name, nil
}

func dropStaleTemplates(ctx context.Context, admin *gorm.DB) {
	var names []string
	if err := admin.WithContext(ctx).Raw("SELECT datname FROM pg_database WHERE datname LIKE ?", templatePrefix+"%").Scan(&names).Error; err != nil {
		return
	}
	for _, n := range names {
		pidStr, _, _ := strings.Cut(strings.TrimPrefix(n, templatePrefix), "_")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid <= 0 {
			continue
		}
		// Signal 0 checks whether the process exists; another live test
		// binary's template is left alone.
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			admin.WithContext(ctx).Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)")
		}
	}
}
