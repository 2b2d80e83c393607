package order_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/seed/seedtest"
)

// errRollBack undoes each trial cancellation.
var errRollBack = errors.New("roll back")

// TestCanCancelIsTheRuleCancelApplies: for every group status and every
// pair of order statuses, Group.CanCancel (what the page offers) says yes
// exactly when CancelGroupTx succeeds, so no offered button ends on a 409.
func TestCanCancelIsTheRuleCancelApplies(t *testing.T) {
	statuses := []order.Status{order.StatusPending, order.StatusPaid, order.StatusConfirmed, order.StatusPacked, order.StatusShipped,
		order.StatusDelivered, order.StatusRefunded, order.StatusCancelled}
	// Cancelled groups behave as expired ones, and expired orders as cancelled ones (neither moves again).
	groups := []order.GroupStatus{order.GroupPending, order.GroupPaid, order.GroupExpired}
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		svc, u, v := setup(t, g)
		cs, err := region.NewStore(g).Communes(ctx, region.LangSon)
		if err != nil || len(cs) == 0 {
			t.Fatalf("communes: %v", err)
		}
		now := time.Now().UTC()
		n := 0
		for _, gs := range groups {
			for _, s1 := range statuses {
				for _, s2 := range statuses {
					n++
					code := fmt.Sprintf("CANCEL%03d", n)
					gr := order.Group{Code: code, UserID: u.ID, Status: gs, PaymentMethod: order.MethodVietQR, ItemsTotal: 1000, Total: 1000,
						RecipientName: "Lan", Phone: "0912345678", ProvinceCode: region.LangSon, CommuneCode: cs[0].Code, Street: "1 Lê Lợi",
						ExpiresAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
					if err := g.Create(&gr).Error; err != nil {
						t.Fatal(err)
					}
					for i, s := range []order.Status{s1, s2} {
						o := order.Order{Code: fmt.Sprintf("%s-%d", code, i+1), GroupID: gr.ID, ProducerID: v.ProducerID, Status: s, CreatedAt: now, UpdatedAt: now}
						if err := g.Create(&o).Error; err != nil {
							t.Fatal(err)
						}
					}
					loaded, err := svc.GroupByCode(ctx, code, u.ID)
					if err != nil {
						t.Fatal(err)
					}
					var cancelErr error
					err = g.Transaction(func(tx *gorm.DB) error {
						_, _, cancelErr = svc.CancelGroupTx(ctx, tx, code, u.ID)
						return errRollBack
					})
					if !errors.Is(err, errRollBack) {
						t.Fatal(err)
					}
					if offered, works := loaded.CanCancel(), cancelErr == nil; offered != works {
						t.Errorf("group %s with orders %s, %s: CanCancel %v, cancelling gives %v", gs, s1, s2, offered, cancelErr)
					}
				}
			}
		}
	})
}
