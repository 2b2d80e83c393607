// Package seedtest gives tests databases that hold the reference and demo
// data (seed.Reference and seed.Demo): the one seeded-database helper, which
// webtest builds its apps on and domain tests use directly.
//
// The data is loaded once per test binary and dialect into a template
// (dbtest.Template); each test gets a copy. Loading hashes the demo
// passwords with argon2id and reads thousands of communes, which takes
// seconds; a copy takes milliseconds (SQLite) or a fraction of a second
// (PostgreSQL). A package whose tests use it calls dbtest.Main from TestMain
// so that the PostgreSQL template is dropped when its tests end.
package seedtest

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/seed"
)

var demo = dbtest.NewTemplate(Fill)

// Each runs fn once per available dialect (dbtest.EachDialect) on a fresh,
// migrated database holding the reference and demo data.
func Each(t *testing.T, fn func(t *testing.T, g *gorm.DB)) {
	t.Helper()
	demo.Each(t, fn)
}

// Copy returns a fresh, migrated database of dialect (dbtest.DialectSQLite
// or dbtest.DialectPostgres) holding the reference and demo data, removed
// after the test.
func Copy(t testing.TB, dialect string) *gorm.DB {
	t.Helper()
	return demo.Copy(t, dialect)
}

// Fill loads the reference and demo data into g, a migrated database.
func Fill(ctx context.Context, g *gorm.DB) error {
	if err := seed.Reference(ctx, g); err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	if err := seed.Demo(ctx, g, account.NewService(g, nil)); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	return nil
}
