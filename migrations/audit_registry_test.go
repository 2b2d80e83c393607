package migrations_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
)

// The audit log is append-only in the database itself, whatever the code does.
func TestRegistryAuditIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		e := registry.AuditEntry{At: time.Now().UTC(), ActorEmail: "officer@example.com", Action: "certificate.revoke", Outcome: "ok", Note: "x"}
		if err := g.Create(&e).Error; err != nil {
			t.Fatalf("insert: %v", err)
		}
		if err := g.Model(&registry.AuditEntry{}).Where("id = ?", e.ID).Update("note", "rewritten").Error; err == nil {
			t.Error("UPDATE of an audit entry succeeded")
		}
		if err := g.Where("id = ?", e.ID).Delete(&registry.AuditEntry{}).Error; err == nil {
			t.Error("DELETE of an audit entry succeeded")
		}
		var got registry.AuditEntry
		if err := g.First(&got, e.ID).Error; err != nil || got.Note != "x" {
			t.Fatalf("entry after attempts = %+v, %v; want it unchanged", got, err)
		}
	})
}
