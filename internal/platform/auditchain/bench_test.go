package auditchain_test

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
)

// BenchmarkChain measures one chained append (its own transaction: lock,
// read the last hash, insert) and a full verify of 10,000 rows:
//
//	go test ./internal/platform/auditchain -run XXX -bench Chain
func BenchmarkChain(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchChain(b, dbtest.SQLite(b)) })
	if dbtest.PostgresURL(b) != "" {
		b.Run("postgres", func(b *testing.B) { benchChain(b, dbtest.Postgres(b)) })
	}
}

func benchChain(b *testing.B, g *gorm.DB) {
	ctx := context.Background()
	b.Run("append", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			e := registry.AuditEntry{ActorEmail: "bench", Action: "application.remark", Outcome: "ok", Note: fmt.Sprint(i)}
			if err := registry.AppendAudit(g.WithContext(ctx), &e); err != nil {
				b.Fatal(err)
			}
		}
	})
	var n int64
	g.Model(&registry.AuditEntry{}).Count(&n)
	for ; n < 10000; n++ {
		e := registry.AuditEntry{ActorEmail: "bench", Action: "application.remark", Outcome: "ok", Note: fmt.Sprint(n)}
		if err := registry.AppendAudit(g.WithContext(ctx), &e); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("verify-10k", func(b *testing.B) {
		for b.Loop() {
			rep, err := registry.VerifyAudit(ctx, g)
			if err != nil || rep.Broken != nil || rep.Rows < 10000 {
				b.Fatalf("%+v %v", rep, err)
			}
		}
	})
}
