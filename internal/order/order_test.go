package order_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/seed/seedtest"
)

// fixedCommission is a 5% order.Commission.
type fixedCommission struct{}

func (fixedCommission) RateBP(context.Context, *gorm.DB) (int, error) { return 500, nil }

// setup puts a product on sale in g, a database with the demo data
// (seedtest.Each), and returns the order service, the demo shopper and the
// product's variant.
func setup(t *testing.T, g *gorm.DB) (*order.Service, account.User, catalog.Variant) {
	t.Helper()
	ctx := context.Background()
	u, err := account.NewService(g, nil).UserByEmail(ctx, "shopper@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var p producer.Producer
	g.Where("status = ?", producer.StatusApproved).Order("id").Take(&p)
	now := time.Now().UTC()
	prod := catalog.Product{ProducerID: p.ID, Slug: "merge-test", Name: "Na Chi Lăng", GroupCode: "I.1.a", Status: catalog.StatusPublished, CreatedAt: now, UpdatedAt: now}
	if err := g.Create(&prod).Error; err != nil {
		t.Fatal(err)
	}
	v := catalog.Variant{ProductID: prod.ID, ProducerID: p.ID, SKU: "NA-1", Name: "1 kg", Price: 70000, Stock: 5, WeightGrams: 1000, CreatedAt: now, UpdatedAt: now}
	if err := g.Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	return order.NewService(g, 30*time.Minute, fixedCommission{}), u, v
}

// TestGuestCartJoinsAtSignIn: the guest's lines move into the account's
// cart, quantities add up capped at the stock, and the guest cart is gone.
func TestGuestCartJoinsAtSignIn(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		svc, u, v := setup(t, g)
		guest := order.Owner{Token: "guest-token-0123456789abcdef0123456789"}
		if err := svc.Add(ctx, guest, v.ID, 4); err != nil {
			t.Fatal(err)
		}
		if err := svc.Add(ctx, order.Owner{UserID: u.ID}, v.ID, 3); err != nil {
			t.Fatal(err)
		}
		if err := svc.Merge(ctx, u.ID, guest.Token); err != nil {
			t.Fatal(err)
		}
		q, err := svc.View(ctx, order.Owner{UserID: u.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		if q.Count != 5 {
			t.Fatalf("merged quantity = %d, want 5 (4 + 3 capped at the stock)", q.Count)
		}
		gq, _ := svc.View(ctx, guest, "")
		if len(gq.Parts) != 0 {
			t.Fatal("the guest cart survived the merge")
		}
		if err := svc.Merge(ctx, u.ID, guest.Token); err != nil {
			t.Fatalf("merging again: %v", err)
		}
	})
}

// TestShippingFeeBands: the exact province pair beats "*", the lightest
// band that carries the weight wins, and no band is a 409.
func TestShippingFeeBands(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		svc, _, _ := setup(t, g)
		cases := []struct {
			from, to string
			grams    int
			fee      int64
		}{
			{"20", "20", 1000, 18000},
			{"20", "20", 1001, 25000},
			{"20", "01", 200, 30000},
			{"01", "79", 6000, 110000},
		}
		for _, c := range cases {
			fee, err := svc.ShippingFee(ctx, g, c.from, c.to, c.grams)
			if err != nil || fee != c.fee {
				t.Errorf("%s→%s %dg = %d, %v; want %d", c.from, c.to, c.grams, fee, err, c.fee)
			}
		}
		if _, err := svc.ShippingFee(ctx, g, "20", "20", 30001); err == nil {
			t.Fatal("a parcel heavier than every band should have no fee")
		}
	})
}

func TestStateMachine(t *testing.T) {
	legal := [][2]order.Status{
		{order.StatusPending, order.StatusPaid}, {order.StatusPending, order.StatusExpired}, {order.StatusPaid, order.StatusConfirmed},
		{order.StatusConfirmed, order.StatusPacked}, {order.StatusPacked, order.StatusShipped}, {order.StatusShipped, order.StatusDelivered},
		{order.StatusPaid, order.StatusRefunded}, {order.StatusPacked, order.StatusRefunded},
	}
	illegal := [][2]order.Status{
		{order.StatusPending, order.StatusShipped}, {order.StatusShipped, order.StatusRefunded}, {order.StatusDelivered, order.StatusRefunded},
		{order.StatusExpired, order.StatusPaid}, {order.StatusRefunded, order.StatusRefunded}, {order.StatusCancelled, order.StatusPaid},
	}
	for _, m := range legal {
		if !order.CanMove(m[0], m[1]) {
			t.Errorf("%s → %s should be legal", m[0], m[1])
		}
	}
	for _, m := range illegal {
		if order.CanMove(m[0], m[1]) {
			t.Errorf("%s → %s should be illegal", m[0], m[1])
		}
	}
}
