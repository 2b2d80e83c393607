package stats_test

import (
	"context"
	"net/url"
	"reflect"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/stats"
	"github.com/chocop/ocop/internal/stats/statstest"
	"github.com/chocop/ocop/seed/seedtest"
)

func newService(g *gorm.DB, today day.Date) *stats.Service {
	badges := registry.NewBadgeStore(g)
	return stats.NewService(badges, producer.NewStore(g), catalog.NewService(g, badges), order.NewService(g, 0, nil), region.NewStore(g),
		func() day.Date { return today })
}

// asMap keeps the non-zero tallies: the expected figures list only what exists.
func asMap[T any](xs []T, key func(T) string, n func(T) int64) map[string]int64 {
	out := map[string]int64{}
	for _, x := range xs {
		if v := n(x); v != 0 {
			out[key(x)] = v
		}
	}
	return out
}

func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// TestFiguresEqualCountsFromTheRows: every figure, for the country, a
// province and a commune, equals what the test counts itself from the rows
// (StatusOn per certificate, a product once at its current stars), on the
// demo data plus a generated national catalogue with expired, revoked and
// superseded certificates and orders in every state.
func TestFiguresEqualCountsFromTheRows(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		today := day.Today()
		statstest.Fill(t, g, today)
		svc := newService(g, today)
		var commune string
		g.Table("certificates").Select("commune_code").Where("province_code = ? AND commune_code IS NOT NULL", "20").Order("id").Limit(1).Scan(&commune)
		for _, f := range []stats.Filter{{}, {Province: "20"}, {Province: "01"}, {Province: "20", Commune: commune}} {
			got, err := svc.Public(ctx, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			want := statstest.Count(t, g, f.Province, f.Commune, today)
			tally := func(x registry.Tally) string { return x.Key }
			count := func(x registry.Tally) int64 { return x.N }
			checks := []struct {
				name      string
				got, want any
			}{
				{"valid products", got.Products, want.Products},
				{"by stars", asMap(got.ByStars, tally, count), nonZero(want.ByStars)},
				{"by group", asMap(got.ByGroup, func(x stats.Group) string { return x.Code }, func(x stats.Group) int64 { return x.N }), nonZero(want.ByGroup)},
				{"by place", asMap(got.ByPlace, func(x stats.Place) string { return x.Code }, func(x stats.Place) int64 { return x.N }), nonZero(want.ByPlace)},
				{"by year", asMap(got.ByYear, tally, count), nonZero(want.ByYear)},
				{"trend", asMap(got.Trend, tally, count), nonZero(want.Trend)},
				{"owners", asMap(got.Owners, func(x producer.KindCount) string { return string(x.Kind) }, func(x producer.KindCount) int64 { return x.N }), nonZero(want.Owners)},
				{"expiring", asMap(got.Expiring, tally, count), nonZero(want.Expiring)},
				{"listed products", got.ListedProducts, want.ListedProducts},
				{"producers selling", got.Sellers, want.Sellers},
				{"orders by month", asMap(got.SalesByMonth, func(x order.SalesCount) string { return x.Key }, func(x order.SalesCount) int64 { return x.Orders }), nonZero(want.Orders)},
				{"sales by month", asMap(got.SalesByMonth, func(x order.SalesCount) string { return x.Key }, func(x order.SalesCount) int64 { return x.Sales }), nonZero(want.Sales)},
				{"sales by place", asMap(got.SalesByPlace, func(x stats.SalesPlace) string { return x.Code }, func(x stats.SalesPlace) int64 { return x.Sales }), nonZero(want.PlaceSales)},
			}
			for _, c := range checks {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%+v %s: got %v, counted %v", f, c.name, c.got, c.want)
				}
			}
			if f.Province == "" && (want.Products == 0 || len(want.Orders) == 0 || len(want.Trend) < 3) {
				t.Errorf("the data proves little: %d products, %d months of orders, %d years", want.Products, len(want.Orders), len(want.Trend))
			}
		}
	})
}

// TestOnlyKnownFiltersPass: anything but a known province and a commune
// inside it is a validation error naming the field.
func TestOnlyKnownFiltersPass(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		svc := newService(g, day.Today())
		var commune, elsewhere string
		g.Table("communes").Select("code").Where("province_code = ?", "20").Order("code").Limit(1).Scan(&commune)
		g.Table("communes").Select("code").Where("province_code = ?", "01").Order("code").Limit(1).Scan(&elsewhere)
		for _, tc := range []struct {
			query, field string
		}{
			{"", ""}, {"province=20", ""}, {"commune=" + commune, ""}, {"province=20&commune=" + commune, ""},
			{"year=2025", "year"}, {"province=99", "province"}, {"province=2O", "province"}, {"province=123456789", "province"},
			{"province=20&province=01", "province"}, {"commune=99999", "commune"}, {"province=01&commune=" + commune, "commune"},
			{"province=20&commune=" + elsewhere, "commune"}, {"province=%20", ""},
		} {
			q, _ := url.ParseQuery(tc.query)
			_, err := svc.ParseFilter(context.Background(), q)
			field := ""
			if ve, ok := errs.AsValidation(err); ok {
				field = ve.Fields[0].Field
			} else if err != nil {
				t.Errorf("%q: %v is not a validation error", tc.query, err)
			}
			if field != tc.field {
				t.Errorf("%q: refused field %q, want %q", tc.query, field, tc.field)
			}
		}
	})
}
