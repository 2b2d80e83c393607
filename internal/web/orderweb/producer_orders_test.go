package orderweb

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/seed/seedtest"
)

// approvedProducer returns the first approved producer of the demo data in g.
func approvedProducer(t *testing.T, g *gorm.DB) producer.Producer {
	t.Helper()
	var p producer.Producer
	if err := g.Where("status = ?", producer.StatusApproved).Order("id").Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProducerOrdersReadAddressesAtOnce proves a producer's order list
// costs the same number of queries for 2 orders as for 12 (no query per
// order), that every order carries where it ships to with the commune and
// province names, and that a database error is returned rather than
// orders shown without their addresses.
func TestProducerOrdersReadAddressesAtOnce(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		p := approvedProducer(t, g)
		shopper, err := account.NewService(g, nil).UserByEmail(ctx, "shopper@example.com")
		if err != nil {
			t.Fatal(err)
		}
		regions := region.NewStore(g)
		communes, err := regions.Communes(ctx, region.LangSon)
		if err != nil || len(communes) < 12 {
			t.Fatalf("communes of Lạng Sơn: %d, %v", len(communes), err)
		}
		province, err := regions.Province(ctx, region.LangSon)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		var orders []order.Order
		for i := range 12 { // one group each, every one to another commune
			gr := order.Group{Code: fmt.Sprintf("NPLUS%02d", i), UserID: shopper.ID, Status: order.GroupPaid, PaymentMethod: order.MethodVietQR,
				ItemsTotal: 70000, Total: 70000, RecipientName: "Chị Lan", Phone: "0912345678", ProvinceCode: region.LangSon,
				CommuneCode: communes[i].Code, Street: fmt.Sprintf("%d Lê Lợi", i+1), ExpiresAt: now, CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&gr).Error; err != nil {
				t.Fatal(err)
			}
			o := order.Order{Code: fmt.Sprintf("NPLUS%02d-1", i), GroupID: gr.ID, ProducerID: p.ID, Status: order.StatusPaid,
				ItemsTotal: 70000, Total: 70000, CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&o).Error; err != nil {
				t.Fatal(err)
			}
			orders = append(orders, o)
		}
		var queries atomic.Int64
		count := func(*gorm.DB) { queries.Add(1) }
		if err := g.Callback().Query().After("gorm:query").Register("test:count_queries", count); err != nil {
			t.Fatal(err)
		}
		if err := g.Callback().Row().After("gorm:row").Register("test:count_rows", count); err != nil {
			t.Fatal(err)
		}
		h := &Handlers{Orders: order.NewService(g, time.Hour, payment.CommissionBP), Regions: regions}
		cost := func(os []order.Order) int64 {
			t.Helper()
			queries.Store(0)
			vs, err := h.producerOrders(ctx, p, os)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range vs {
				want := fmt.Sprintf("%d Lê Lợi, %s, %s", i+1, communes[i].FullName, province.FullName)
				if v.ShipTo == nil || v.ShipTo.Street != want || v.ProducerSlug != p.Slug || v.Commission == nil {
					t.Fatalf("order %s: ship to %+v, producer %q; want street %q", v.Code, v.ShipTo, v.ProducerSlug, want)
				}
			}
			return queries.Load()
		}
		few, many := cost(orders[:2]), cost(orders)
		if few == 0 || many != few {
			t.Errorf("2 orders cost %d queries, 12 orders cost %d: want the same, whatever the number of orders", few, many)
		}
		gone, cancel := context.WithCancel(ctx)
		cancel()
		if vs, err := h.producerOrders(gone, p, orders); err == nil || !strings.Contains(err.Error(), "canceled") {
			t.Errorf("with the database unreachable: %d orders, err %v; want the error", len(vs), err)
		}
	})
}
