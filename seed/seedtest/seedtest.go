// Package seedtest fills a test database with the seed data, so that
// domain tests share one way of doing it.
package seedtest

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/seed"
)

// Demo loads the reference data (provinces, communes, banks, product
// groups) and the Lạng Sơn demo data (users, producers, products,
// certificates) into g, failing the test if either cannot be loaded.
func Demo(t testing.TB, g *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	if err := seed.Reference(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := seed.Demo(ctx, g, account.NewService(g, nil)); err != nil {
		t.Fatal(err)
	}
}
