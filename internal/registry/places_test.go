package registry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed/seedtest"
)

// closedRegions is a region store whose every read fails.
func closedRegions(t *testing.T) *region.Store {
	t.Helper()
	g := dbtest.SQLite(t)
	if err := db.Close(g); err != nil {
		t.Fatal(err)
	}
	return region.NewStore(g)
}

// TestVerifyReportsAPlaceItCannotRead: the verify page names the
// certificate's commune and province; when they cannot be read, Verify
// fails with that error (a 500, not a 404 and not a page without its place).
func TestVerifyReportsAPlaceItCannotRead(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		var c registry.Certificate
		if err := g.Where("commune_code IS NOT NULL AND import_pending = ?", false).Order("id").First(&c).Error; err != nil {
			t.Fatal(err)
		}
		svc := registry.NewService(g, nil, nil)
		v, err := svc.Verify(ctx, c.Code)
		if err != nil || v.Commune == "" || v.Province == "" {
			t.Fatalf("verify %s: commune %q, province %q, %v; want both names", c.Code, v.Commune, v.Province, err)
		}
		svc.SetRegionsForTest(closedRegions(t))
		if _, err := svc.Verify(ctx, c.Code); err == nil || errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("verify with the places unreadable: %v, want the read's error", err)
		}
	})
}

// TestDecisionNeverPrintsAnIncompleteOwnerAddress: a certificate prints
// its owner's address with the commune and province names; when those
// cannot be read, the decision fails with the read's error and nothing is
// issued, instead of a certificate whose address silently lacks them.
func TestDecisionNeverPrintsAnIncompleteOwnerAddress(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		var a registry.Application
		if err := g.Where("status = ?", registry.StatusScored).Order("id").First(&a).Error; err != nil {
			t.Fatal(err)
		}
		var officer account.User
		if err := g.Where("email = ?", "officer@example.com").First(&officer).Error; err != nil {
			t.Fatal(err)
		}
		in := registry.DecisionInput{Number: "ADDR-1/QĐ-UBND", Date: day.Today(), Applications: []string{a.Code}}
		svc := registry.NewService(g, nil, nil)
		svc.SetRegionsForTest(closedRegions(t))
		if _, _, err := svc.Decide(ctx, &officer, in); err == nil || errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("decision with the places unreadable: %v, want the read's error", err)
		}
		var issued int64
		if err := g.Model(&registry.Certificate{}).Where("decision_no = ?", in.Number).Count(&issued).Error; err != nil {
			t.Fatal(err)
		}
		var after registry.Application
		if err := g.First(&after, a.ID).Error; err != nil {
			t.Fatal(err)
		}
		if issued != 0 || after.Status != registry.StatusScored || after.CertificateID != nil {
			t.Fatalf("after the failed decision: %d certificates, application %s: nothing may change", issued, after.Status)
		}

		// With the places readable, the same decision prints both names.
		_, res, err := registry.NewService(g, nil, nil).Decide(ctx, &officer, in)
		if err != nil || len(res) != 1 || res[0].Certificate == nil {
			t.Fatalf("decision: %+v, %v; want one certificate", res, err)
		}
		var p struct{ CommuneCode, ProvinceCode string }
		if err := g.Table("producers").Select("commune_code, province_code").Where("id = ?", a.ProducerID).Scan(&p).Error; err != nil {
			t.Fatal(err)
		}
		cm, err := region.NewStore(g).Commune(ctx, p.CommuneCode)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := region.NewStore(g).Province(ctx, p.ProvinceCode)
		if err != nil {
			t.Fatal(err)
		}
		if addr := res[0].Certificate.OwnerAddress; !strings.HasSuffix(addr, cm.FullName+", "+pr.FullName) {
			t.Fatalf("owner address %q, want it to end with %q", addr, cm.FullName+", "+pr.FullName)
		}
	})
}
