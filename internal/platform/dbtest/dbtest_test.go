package dbtest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestRunsCleanUpOnlyTheirOwnDatabases: the databases a run makes carry its
// name, a test's database is dropped when the test ends, a template is
// dropped by its maker, and making one never drops another run's database
// (an earlier version dropped ocop_tpl_<pid>_* when no process <pid> existed
// on this machine, which is wrong when the run is on another machine).
func TestRunsCleanUpOnlyTheirOwnDatabases(t *testing.T) {
	base := dbtest.PostgresURL(t)
	if base == "" {
		t.Skip("OCOP_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base, db.MaxConns(2))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(admin)
	exists := func(name string) bool {
		var n int64
		if err := admin.Raw("SELECT COUNT(*) FROM pg_database WHERE datname = ?", name).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n == 1
	}

	// Another run's template, named as the PID-checking version named them,
	// after a process id that does not exist here.
	foreign := fmt.Sprintf("ocop_tpl_%d_0badc0de", 1<<22+os.Getpid()%1000)
	if err := admin.Exec("CREATE DATABASE " + foreign).Error; err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := admin.Exec("DROP DATABASE IF EXISTS " + foreign).Error; err != nil {
			t.Error(err)
		}
	}()

	var made string
	t.Run("a test's database", func(t *testing.T) {
		u := dbtest.NewPostgresDatabase(t)
		made = u[strings.LastIndex(u, "/")+1:]
		if i := strings.IndexByte(made, '?'); i >= 0 {
			made = made[:i]
		}
		if !strings.HasPrefix(made, "ocop_t_"+dbtest.Run()+"_") || !exists(made) {
			t.Fatalf("database %q: want a live ocop_t_%s_* database", made, dbtest.Run())
		}
	})
	if made == "" || exists(made) {
		t.Fatalf("database %q still exists after its test", made)
	}

	tpl, err := dbtest.PostgresTemplate(ctx, base, func(context.Context, *gorm.DB) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tpl, "ocop_tpl_"+dbtest.Run()+"_") {
		t.Errorf("template %q is not named after the run %s", tpl, dbtest.Run())
	}
	if !exists(foreign) {
		t.Errorf("making a template dropped another run's database %s", foreign)
	}
	if err := dbtest.DropDatabase(ctx, base, tpl); err != nil || exists(tpl) {
		t.Fatalf("drop template %s: %v", tpl, err)
	}
}

// TestTemplateCopiesAreIndependent: a Template is filled once per dialect,
// and each test gets a copy of its own: what one test writes, the next
// does not see.
func TestTemplateCopiesAreIndependent(t *testing.T) {
	fills := map[string]int{}
	tpl := dbtest.NewTemplate(func(ctx context.Context, g *gorm.DB) error {
		fills[fmt.Sprint(db.DialectOf(g))]++
		return errors.Join(g.WithContext(ctx).Exec("CREATE TABLE template_test (note TEXT NOT NULL)").Error,
			g.WithContext(ctx).Exec("INSERT INTO template_test (note) VALUES ('filled')").Error)
	})
	for i := range 2 {
		tpl.Each(t, func(t *testing.T, g *gorm.DB) {
			var n int64
			if err := g.Raw("SELECT COUNT(*) FROM template_test").Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("copy %d holds %d template rows, want exactly the one the template was filled with", i, n)
			}
			if err := g.Exec("INSERT INTO template_test (note) VALUES ('written by a test')").Error; err != nil {
				t.Fatal(err)
			}
		})
	}
	for dialect, n := range fills {
		if n != 1 {
			t.Errorf("%s template filled %d times, want once", dialect, n)
		}
	}
	if len(fills) == 0 {
		t.Fatal("the template was never filled")
	}
}
