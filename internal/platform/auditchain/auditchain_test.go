package auditchain_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
)

// TestCanonNeverConfusesTwoRows: the serialisation tags and measures every
// value, so moving characters between fields, or NULL against 0, changes it.
func TestCanonNeverConfusesTwoRows(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	one, zero := int64(1), int64(0)
	rows := []registry.AuditEntry{
		{At: at, Action: "ab", Outcome: "c"},
		{At: at, Action: "a", Outcome: "bc"},
		{At: at, Action: "a", Outcome: "bc", ActorID: &zero},
		{At: at, Action: "a", Outcome: "bc", ActorID: &one},
		{At: at, Action: "a", Outcome: "bc", ApplicationID: &one},
		{At: at.Add(time.Microsecond), Action: "a", Outcome: "bc", ApplicationID: &one},
	}
	seen := map[string]int{}
	for i := range rows {
		h := auditchain.Hash("registry_audit", "", &rows[i])
		if j, dup := seen[h]; dup {
			t.Errorf("rows %d and %d hash alike", j, i)
		}
		seen[h] = i
	}
	// Below a microsecond nothing counts: neither database keeps it.
	a, b := registry.AuditEntry{At: at}, registry.AuditEntry{At: at.Truncate(time.Microsecond)}
	if auditchain.Hash("t", "", &a) != auditchain.Hash("t", "", &b) {
		t.Error("nanoseconds change the hash, but the databases drop them")
	}
	if auditchain.Hash("t", "", &a) == auditchain.Hash("t", "x", &a) || auditchain.Hash("t", "", &a) == auditchain.Hash("u", "", &a) {
		t.Error("the previous hash and the table name must be part of the hash")
	}
}

// TestConcurrentAppendsKeepOneChain: many writers appending to both chained
// tables at once, on both databases, leave one unbroken chain per table
// with every row in it.
func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		u, err := account.NewService(g, nil).Create(ctx, account.NewUser{Email: "admin@example.com", Name: "Admin", Password: "chain-test-password",
			Role: account.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		const writers, each = 8, 6
		var wg sync.WaitGroup
		errc := make(chan error, 2*writers*each)
		for w := 0; w < writers; w++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					e := registry.AuditEntry{ActorEmail: "writer", Action: "application.remark", Outcome: "ok", Note: fmt.Sprintf("w%d-%d", w, i)}
					errc <- registry.AppendAudit(g.WithContext(ctx), &e)
				}
			}()
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					errc <- g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
						// A little work before the append, as a real action does,
						// after taking the chain as Lock's contract asks.
						if err := auditchain.Lock(tx, "payment_audit"); err != nil {
							return err
						}
						var n int64
						if err := tx.Model(&payment.Audit{}).Count(&n).Error; err != nil {
							return err
						}
						return auditchain.Append(tx, "payment_audit", &payment.Audit{ActorID: u.ID, Action: "test.append", Subject: fmt.Sprintf("w%d-%d", w, i),
							After: fmt.Sprint(n), CreatedAt: auditchain.Now()})
					})
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatalf("append: %v", err)
			}
		}
		for _, verify := range []func(context.Context, *gorm.DB) (auditchain.Report, error){registry.VerifyAudit, payment.VerifyAudit} {
			rep, err := verify(ctx, g)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Broken != nil || rep.Rows != writers*each || rep.Unchained != 0 || rep.Head == "" {
				t.Errorf("%s after %d concurrent appends: %+v (broken: %v)", rep.Table, writers*each, rep, rep.Broken)
			}
		}
	})
}
