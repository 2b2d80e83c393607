package registry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed/seedtest"
)

// BenchmarkRegistryAtNationalScale measures verification, search and the
// officer overview with 20,000 certificates (the country has about 18,000):
//
//	go test ./internal/registry -run XXX -bench NationalScale -benchtime 2s
func BenchmarkRegistryAtNationalScale(b *testing.B) {
	b.Run(dbtest.DialectSQLite, func(b *testing.B) { benchRegistry(b, seedtest.Copy(b, dbtest.DialectSQLite)) })
	if dbtest.PostgresURL(b) != "" {
		b.Run(dbtest.DialectPostgres, func(b *testing.B) { benchRegistry(b, seedtest.Copy(b, dbtest.DialectPostgres)) })
	}
}

func benchRegistry(b *testing.B, g *gorm.DB) {
	ctx := context.Background()
	var producerID int64
	g.Table("producers").Select("id").Limit(1).Scan(&producerID)
	const n = 20000
	codes := make([]string, 0, n)
	batch := make([]registry.Certificate, 0, 500)
	for i := 0; i < n; i++ {
		from := day.New(2020+i%6, time.Month(1+i%12), 1+i%28)
		name := fmt.Sprintf("Sản phẩm %d vịt quay", i)
		c := registry.Certificate{Code: registry.NewCode(), Number: fmt.Sprintf("BENCH-%d", i), AuthorityLevel: registry.AuthorityProvince,
			AuthorityName: "UBND tỉnh Lạng Sơn", DecisionNo: "BENCH", DecisionDate: from, ProducerID: producerID, ProductName: name,
			GroupCode: "I.3.d", OwnerName: "Demo", OwnerAddress: "Demo", ProvinceCode: "20", Stars: 3 + i%2, Score: 60,
			CriteriaVersion: "148", ValidFrom: from, ValidUntil: registry.ValidUntilFor(from), IsDemo: true,
			SearchFolded: text.Fold(name), CreatedAt: time.Now()}
		batch = append(batch, c)
		codes = append(codes, c.Code)
		if len(batch) == cap(batch) {
			if err := g.Create(&batch).Error; err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	svc := registry.NewService(g, nil, nil)
	b.Run("verify", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := svc.Verify(ctx, codes[i%n]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("search-active-page", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Search(ctx, registry.Filter{Province: "20", Status: registry.CertActive, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("search-folded-text", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Search(ctx, registry.Filter{Query: "vit quay 1999", Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	var officer account.User
	if err := g.Where("email = ?", "officer@example.com").First(&officer).Error; err != nil {
		b.Fatal(err)
	}
	b.Run("officer-list-first-page", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.OfficerCertificates(ctx, &officer, registry.CertQuery{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	deep := registry.CertQuery{}
	for i := 0; i < 100; i++ { // the cursor of page 101
		p, err := svc.OfficerCertificates(ctx, &officer, deep)
		if err != nil || p.Next == nil {
			b.Fatal(err)
		}
		deep.After = p.Next
	}
	b.Run("officer-list-page-101", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.OfficerCertificates(ctx, &officer, deep); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("officer-list-filtered", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.OfficerCertificates(ctx, &officer, registry.CertQuery{Status: registry.CertActive, Stars: 4, Group: "I.3", Year: 2024}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("officer-export-province", func(b *testing.B) {
		for b.Loop() {
			recs, err := svc.ExportCertificates(ctx, &officer, registry.CertQuery{})
			if err != nil || len(recs) < n {
				b.Fatal(len(recs), err)
			}
		}
	})
	b.Run("overview", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Overview(ctx, "20"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
