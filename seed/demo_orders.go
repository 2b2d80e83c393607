package seed

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
)

// DemoShippingRates is the demo shipping table: within Lạng Sơn, from Lạng
// Sơn to anywhere, and a fallback from anywhere to anywhere, by weight band.
// The fees are plausible round figures, not any carrier's tariff.
func DemoShippingRates() []order.ShippingRate {
	var out []order.ShippingRate
	bands := []struct {
		from, to string
		fees     [3]int64
	}{
		{"20", "20", [3]int64{18000, 25000, 45000}},
		{"20", "*", [3]int64{30000, 45000, 90000}},
		{"*", "*", [3]int64{35000, 55000, 110000}},
	}
	for _, b := range bands {
		for i, g := range []int{1000, 5000, 30000} {
			out = append(out, order.ShippingRate{FromProvinceCode: b.from, ToProvinceCode: b.to, MaxGrams: g, Fee: b.fees[i]})
		}
	}
	return out
}

// demoOrders writes the orders demo data: the commission rate and the
// shipping table. It runs inside Demo, after the demo producers and
// accounts exist.
func demoOrders(ctx context.Context, g *gorm.DB) error {
	st := payment.Setting{Key: "commission_bp", Value: "500", UpdatedAt: time.Now().UTC()}
	if err := g.WithContext(ctx).Save(&st).Error; err != nil {
		return err
	}
	for _, r := range DemoShippingRates() {
		if err := g.WithContext(ctx).Create(&r).Error; err != nil {
			return err
		}
	}
	return nil
}
