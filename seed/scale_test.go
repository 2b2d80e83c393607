package seed_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/seed"
)

func TestScaleGeneratesACatalogueOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		if err := seed.Reference(ctx, g); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := seed.Scale(ctx, g, 200, &out); err != nil {
			t.Fatal(err)
		}
		if err := seed.Scale(ctx, g, 200, &out); err != nil {
			t.Fatalf("second run: %v", err)
		}
		var products, producers, provinces int64
		g.Table("products").Count(&products)
		g.Table("producers").Where("slug LIKE 'scale-%'").Count(&producers)
		g.Table("producers").Distinct("province_code").Count(&provinces)
		if products != 200 || producers != 100 || provinces != 34 {
			t.Errorf("generated %d products of %d producers in %d provinces; want 200, 100, 34\n%s", products, producers, provinces, out.String())
		}
	})
}
