package dbtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
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
// drops it when its tests end (Main), and .ci/run drops whatever its
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

// Template is a fixture database migrated and filled once per test binary
// and dialect, on first use; each test gets a copy of it. A package whose
// tests use a Template calls Main from TestMain, which drops the
// PostgreSQL template when the tests end.
type Template struct {
	fill   func(ctx context.Context, g *gorm.DB) error
	sqlite struct {
		once sync.Once
		data []byte
		err  error
	}
	pg struct {
		once sync.Once
		name string
		err  error
	}
}

// NewTemplate returns a template that fill fills on first use.
func NewTemplate(fill func(ctx context.Context, g *gorm.DB) error) *Template {
	return &Template{fill: fill}
}

// Each runs fn once per available dialect (EachDialect) on a fresh copy of
// the template.
func (tp *Template) Each(t *testing.T, fn func(t *testing.T, g *gorm.DB)) {
	t.Helper()
	EachDialect(t, func(t *testing.T, dialect string) { fn(t, tp.Copy(t, dialect)) })
}

// Copy returns a new database of dialect holding the template's data,
// removed (SQLite) or dropped (PostgreSQL) after the test.
func (tp *Template) Copy(t testing.TB, dialect string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	if dialect == DialectSQLite {
		tp.sqlite.once.Do(func() { tp.sqlite.data, tp.sqlite.err = SQLiteTemplate(ctx, tp.fill) })
		if tp.sqlite.err != nil {
			t.Fatalf("dbtest: SQLite template: %v", tp.sqlite.err)
		}
		return SQLiteFrom(t, tp.sqlite.data)
	}
	base := PostgresURL(t)
	if base == "" {
		t.Skip("OCOP_TEST_POSTGRES_URL is not set")
	}
	tp.pg.once.Do(func() {
		tp.pg.name, tp.pg.err = PostgresTemplate(ctx, base, tp.fill)
		if tp.pg.err == nil {
			templates.add(base, tp.pg.name)
		}
	})
	if tp.pg.err != nil {
		t.Fatalf("dbtest: PostgreSQL template: %v", tp.pg.err)
	}
	g, err := db.Open(ctx, NewPostgresDatabaseFrom(t, tp.pg.name), db.MaxConns(MaxConns))
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(g) }) // teardown of a throwaway database: nothing to recover
	return g
}

// templates are the PostgreSQL templates this test binary made, for Main.
var templates madeTemplates

type madeTemplates struct {
	mu   sync.Mutex
	made [][2]string // base URL and name
}

func (m *madeTemplates) add(base, name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.made = append(m.made, [2]string{base, name})
}

// Main runs the package's tests and then drops the PostgreSQL templates
// they made, which outlive every single test. A package whose tests use a
// Template (or webtest) calls it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	templates.mu.Lock()
	defer templates.mu.Unlock()
	for _, tpl := range templates.made {
		if err := DropDatabase(context.Background(), tpl[0], tpl[1]); err != nil {
			fmt.Fprintln(os.Stderr, "dbtest:", err)
			code = max(code, 1)
		}
	}
	templates.made = nil
	return code
}
