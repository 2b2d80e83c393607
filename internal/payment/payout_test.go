package payment_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestRacingPayoutsPayABalanceOnce: several admins pay one producer's whole
// balance at the same moment; the payouts to one producer take turns, so
// exactly one is recorded and the others are refused (409), and the
// producer is never paid more than owed. Balances lists the producer while
// owed, and not once paid.
func TestRacingPayoutsPayABalanceOnce(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		admin, err := account.NewService(g, nil).UserByEmail(ctx, "admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		ps, err := producer.NewStore(g).Approved(ctx, "", 2)
		if err != nil || len(ps) < 2 {
			t.Fatalf("two approved demo producers: %d, %v", len(ps), err)
		}
		const owed = 250_000
		for i, p := range ps {
			// A sale's share owed to each producer (payable credit), different sizes.
			id := p.ID
			if err := g.Create(&payment.Entry{ProducerID: &id, Account: payment.AccountPayable, Kind: payment.KindSale, Amount: -owed * int64(i+1), CreatedAt: time.Now().UTC()}).Error; err != nil {
				t.Fatal(err)
			}
		}
		svc := payment.NewService(g, nil, payment.Config{})
		bal, err := svc.Balances(ctx)
		if err != nil || len(bal) != 2 || bal[0].ProducerID != ps[1].ID || bal[0].Amount != 2*owed || bal[1].Slug != ps[0].Slug || bal[1].Amount != owed {
			t.Fatalf("balances: %+v, %v; want %s owed %d first, then %s owed %d", bal, err, ps[1].Slug, 2*owed, ps[0].Slug, owed)
		}

		const racers = 6
		var wg sync.WaitGroup
		errsOf := make([]error, racers)
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errsOf[i] = svc.RecordPayout(ctx, admin.ID, ps[0].Slug, owed, "UNC-race")
			}()
		}
		wg.Wait()
		paid := 0
		for _, err := range errsOf {
			switch {
			case err == nil:
				paid++
			case errors.Is(err, errs.ErrConflict) && errs.Reason(err) == "payout.exceeds_balance":
			default:
				t.Errorf("a racing payout failed with %v, want success or payout.exceeds_balance", err)
			}
		}
		st, err := svc.StatementOf(ctx, ps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if paid != 1 || st.Balance != 0 || st.Payouts != owed {
			t.Fatalf("%d of %d racing payouts recorded, balance %d, paid out %d; want exactly one, 0 and %d", paid, racers, st.Balance, st.Payouts, owed)
		}
		if bal, err := svc.Balances(ctx); err != nil || len(bal) != 1 || bal[0].ProducerID != ps[1].ID {
			t.Fatalf("balances after the payout: %+v, %v; want only %s", bal, err, ps[1].Slug)
		}
	})
}
