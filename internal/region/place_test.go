package region_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/seed"
)

// TestPlacesAndAddresses: Place names what it knows and leaves out what it
// does not; Address, printed on documents, refuses an unknown unit; both
// return a failed read as an error, never as a shorter text.
func TestPlacesAndAddresses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		if err := seed.Reference(ctx, g); err != nil {
			t.Fatal(err)
		}
		code, err := seed.CommuneCode(ctx, g, "Xã Chi Lăng")
		if err != nil {
			t.Fatal(err)
		}
		s := region.NewStore(g)
		cm, err := s.CurrentCommune(ctx, code, region.LangSon)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := s.Province(ctx, region.LangSon)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, commune, province, lang, want string
		}{
			{"vietnamese", code, region.LangSon, "vi", cm.FullName + ", " + pr.FullName},
			{"english", code, region.LangSon, "en", cm.FullNameEn + ", " + pr.FullNameEn},
			{"unknown commune left out", "00000", region.LangSon, "vi", pr.FullName},
			{"no codes", "", "", "vi", ""},
		} {
			if got, err := s.Place(ctx, tc.commune, tc.province, tc.lang); err != nil || got != tc.want {
				t.Errorf("%s: Place = %q, %v; want %q", tc.name, got, err, tc.want)
			}
		}
		if got, err := s.Address(ctx, "12 Trần Đăng Ninh", code, region.LangSon); err != nil || got != "12 Trần Đăng Ninh, "+cm.FullName+", "+pr.FullName {
			t.Errorf("Address = %q, %v", got, err)
		}
		if _, err := s.Address(ctx, "12 Trần Đăng Ninh", "00000", region.LangSon); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Address with an unknown commune: %v, want not found", err)
		}
		if _, err := s.CurrentCommune(ctx, code, "01"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("a commune asked for in another province: %v, want not found", err)
		}

		closed := dbtest.SQLite(t)
		if err := db.Close(closed); err != nil {
			t.Fatal(err)
		}
		broken := region.NewStore(closed)
		if got, err := broken.Place(ctx, code, region.LangSon, "vi"); err == nil || errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Place on a closed database = %q, %v; want the read's error", got, err)
		}
		if got, err := broken.Address(ctx, "", code, region.LangSon); err == nil || errors.Is(err, errs.ErrNotFound) || strings.TrimSpace(got) != "" {
			t.Errorf("Address on a closed database = %q, %v; want the read's error", got, err)
		}
	})
}
