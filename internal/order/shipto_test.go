package order_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestShipToReadsEveryGroupAtOnce: each order maps to its own group's
// address (two orders of one group share it), and an order whose group
// cannot be found is an error rather than an order without an address.
func TestShipToReadsEveryGroupAtOnce(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		svc, u, v := setup(t, g)
		cs, err := region.NewStore(g).Communes(ctx, region.LangSon)
		if err != nil || len(cs) == 0 {
			t.Fatalf("communes: %v", err)
		}
		now := time.Now().UTC()
		var orders []order.Order
		for i := range 3 {
			gr := order.Group{Code: fmt.Sprintf("SHIPTO%d", i), UserID: u.ID, Status: order.GroupPending, PaymentMethod: order.MethodVietQR,
				ItemsTotal: 70000, Total: 70000, RecipientName: fmt.Sprintf("Người nhận %d", i), Phone: "0912345678", ProvinceCode: region.LangSon, CommuneCode: cs[0].Code,
				Street: fmt.Sprintf("%d Lê Lợi", i+1), Note: "giao giờ hành chính", ExpiresAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
			if err := g.Create(&gr).Error; err != nil {
				t.Fatal(err)
			}
			for j := range 2 {
				o := order.Order{Code: fmt.Sprintf("SHIPTO%d-%d", i, j), GroupID: gr.ID, ProducerID: v.ProducerID, Status: order.StatusPending,
					CreatedAt: now, UpdatedAt: now}
				if err := g.Create(&o).Error; err != nil {
					t.Fatal(err)
				}
				orders = append(orders, o)
			}
		}
		got, err := svc.ShipTo(ctx, orders)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("got %d addresses for 3 groups", len(got))
		}
		for i, o := range orders {
			a := got[o.GroupID]
			if want := fmt.Sprintf("%d Lê Lợi", i/2+1); a.Street != want || a.RecipientName != fmt.Sprintf("Người nhận %d", i/2) || a.Note != "giao giờ hành chính" {
				t.Errorf("order %s ships to %+v, want street %q", o.Code, a, want)
			}
		}
		lost := append(orders, order.Order{Code: "LOST", GroupID: 1 << 40})
		if _, err := svc.ShipTo(ctx, lost); err == nil {
			t.Error("an order whose group is missing got no error")
		}
		if none, err := svc.ShipTo(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no orders: %v, %v", none, err)
		}
	})
}
