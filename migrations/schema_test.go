package migrations_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
)

// models lists every GORM model. A new model must be added here so the test
// proves the migrations create exactly the columns it maps.
var models = []any{
	&account.User{}, &account.Session{}, &account.APIToken{},
	&region.Province{}, &region.Commune{}, &region.Bank{},
	&producer.Producer{}, &producer.Member{},
	&catalog.Group{}, &catalog.Product{}, &catalog.Variant{},
	&registry.Certificate{},
}

func TestMigrationsUpDownUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		p, err := db.Provider(g, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 0); err != nil {
			t.Fatalf("down to zero: %v", err)
		}
		if v, _ := p.GetDBVersion(ctx); v != 0 {
			t.Fatalf("version after down = %d, want 0", v)
		}
		if tables := userTables(t, g); len(tables) != 0 {
			t.Fatalf("tables left after migrating down: %v", tables)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		if pending, _ := p.HasPending(ctx); pending {
			t.Fatal("migrations still pending after up")
		}
	})
}

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		seen := map[string]bool{}
		for _, m := range models {
			s, err := schema.Parse(m, &sync.Map{}, g.NamingStrategy)
			if err != nil {
				t.Fatalf("parse %T: %v", m, err)
			}
			seen[s.Table] = true
			cols, err := g.Migrator().ColumnTypes(s.Table)
			if err != nil || len(cols) == 0 {
				t.Errorf("%T: table %q missing from the schema (%v)", m, s.Table, err)
				continue
			}
			inTable := map[string]bool{}
			for _, c := range cols {
				inTable[c.Name()] = true
			}
			inModel := map[string]bool{}
			for _, f := range s.Fields {
				if f.DBName == "" {
					continue
				}
				inModel[f.DBName] = true
				if !inTable[f.DBName] {
					t.Errorf("%T: field %s maps to column %s.%s, which no migration creates", m, f.Name, s.Table, f.DBName)
				}
			}
			for name := range inTable {
				if !inModel[name] {
					t.Errorf("%T: column %s.%s exists in the schema but not in the model", m, s.Table, name)
				}
			}
		}
		for _, table := range userTables(t, g) {
			if !seen[table] {
				t.Errorf("table %q has no GORM model listed in this test", table)
			}
		}
	})
}

func userTables(t *testing.T, g *gorm.DB) []string {
	t.Helper()
	tables, err := g.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range tables {
		// River's tables (migration 60) are River's own schema, mapped by
		// River and not by GORM models.
		if name == "goose_db_version" || name == "sqlite_sequence" || strings.HasPrefix(name, "river_") {
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
