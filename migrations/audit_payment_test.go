package migrations_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/dbtest"
)

// The payment audit log is append-only in the database itself too (00045).
func TestPaymentAuditIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		u := account.User{Email: "admin@example.com", Name: "Admin", PasswordHash: "x", Role: account.RoleAdmin, CreatedAt: time.Now().UTC()}
		if err := g.Create(&u).Error; err != nil {
			t.Fatalf("user: %v", err)
		}
		a := payment.Audit{ActorID: u.ID, Action: "payout.record", Subject: "x", After: "100", CreatedAt: time.Now().UTC()}
		if err := g.Create(&a).Error; err != nil {
			t.Fatalf("insert: %v", err)
		}
		if err := g.Model(&payment.Audit{}).Where("id = ?", a.ID).Update("after", "1").Error; err == nil {
			t.Error("UPDATE of a payment audit row succeeded")
		}
		if err := g.Where("id = ?", a.ID).Delete(&payment.Audit{}).Error; err == nil {
			t.Error("DELETE of a payment audit row succeeded")
		}
		var got payment.Audit
		if err := g.First(&got, a.ID).Error; err != nil || got.After != "100" {
			t.Fatalf("row after attempts = %+v, %v; want it unchanged", got, err)
		}
	})
}
