package region_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/seed"
)

// TestCommunesByCodeReadsManyAtOnce: every known code comes back with its
// unit, an unknown one is absent, and no codes is an empty map.
func TestCommunesByCodeReadsManyAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		if err := seed.Reference(ctx, g); err != nil {
			t.Fatal(err)
		}
		s := region.NewStore(g)
		cs, err := s.Communes(ctx, region.LangSon)
		if err != nil || len(cs) < 3 {
			t.Fatalf("communes of Lạng Sơn: %d, %v", len(cs), err)
		}
		codes := []string{cs[0].Code, cs[1].Code, cs[2].Code, "no-such-code", cs[0].Code}
		got, err := s.CommunesByCode(ctx, codes)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("got %d communes, want the 3 known ones", len(got))
		}
		for _, c := range cs[:3] {
			if got[c.Code].FullName != c.FullName {
				t.Errorf("commune %s: got %q, want %q", c.Code, got[c.Code].FullName, c.FullName)
			}
		}
		if none, err := s.CommunesByCode(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no codes: %v, %v", none, err)
		}
		ps, err := s.ProvincesByCode(ctx)
		if err != nil || len(ps) != 34 || ps[region.LangSon].Code != region.LangSon {
			t.Errorf("provinces by code: %d, %v", len(ps), err)
		}
	})
}
