package stats_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/stats"
	"github.com/chocop/ocop/internal/stats/statstest"
	"github.com/chocop/ocop/seed/seedtest"
)

// same compares two answers without when they were counted.
func same(t *testing.T, what string, got, want stats.Figures) {
	t.Helper()
	got.ComputedAt, want.ComputedAt = time.Time{}, time.Time{}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func public(t *testing.T, s *stats.Service, f stats.Filter) stats.Figures {
	t.Helper()
	figs, err := s.Public(context.Background(), f)
	if err != nil {
		t.Fatalf("Public(%+v): %v", f, err)
	}
	return figs
}

// TestSnapshots: stored figures equal counted ones; they are reused while
// nothing they depend on moved (a listing archived inside the age limit is
// not seen yet, by design), and counted again at once after a certificate
// is revoked through the registry, on a new day, past the age limit, and
// when the stored row does not read back. Both dialects.
func TestSnapshots(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		today := day.Today()
		statstest.Fill(t, g, today)
		live := newService(g, today)
		kept := newService(g, today).Snapshots(g, time.Hour)
		var commune string
		g.Model(&registry.Certificate{}).Select("commune_code").Where("province_code = ? AND commune_code IS NOT NULL", "20").Order("id").Limit(1).Scan(&commune)
		filters := []stats.Filter{{}, {Province: "20"}, {Province: "20", Commune: commune}}
		for _, f := range filters {
			same(t, "first answer", public(t, kept, f), public(t, live, f))
		}
		var rows int64
		g.Model(&stats.Snapshot{}).Count(&rows)
		if rows != int64(len(filters)) {
			t.Fatalf("%d snapshot rows, want %d", rows, len(filters))
		}

		// A listing archived: within the age limit the snapshot stands.
		before := public(t, kept, stats.Filter{})
		var pid int64
		g.Model(&catalog.Product{}).Select("id").Where("status = ?", catalog.StatusPublished).Order("id").Limit(1).Scan(&pid)
		if err := g.Model(&catalog.Product{}).Where("id = ?", pid).Update("status", catalog.StatusArchived).Error; err != nil {
			t.Fatal(err)
		}
		now := public(t, live, stats.Filter{})
		if now.ListedProducts != before.ListedProducts-1 {
			t.Fatalf("listed products %d after archiving one of %d", now.ListedProducts, before.ListedProducts)
		}
		same(t, "within the age limit", public(t, kept, stats.Filter{}), before)
		// Past the age limit it is counted again, and stored for the others.
		same(t, "past the age limit", public(t, newService(g, today).Snapshots(g, time.Nanosecond), stats.Filter{}), now)
		same(t, "after a recount", public(t, kept, stats.Filter{}), now)

		// A certificate revoked by an officer: seen at once, whatever the age.
		cert := soleValid(t, g, "20", today)
		officer, err := account.NewService(g, nil).UserByEmail(ctx, "officer@example.com")
		if err != nil {
			t.Fatal(err)
		}
		blobs, err := blob.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		reg := registry.NewService(g, blobs, func() day.Date { return today })
		before = public(t, kept, stats.Filter{Province: "20"})
		if _, err := reg.Revoke(ctx, &officer, cert.Code, registry.Revocation{DecisionNo: "99/QĐ-UBND", Date: today, Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		after := public(t, kept, stats.Filter{Province: "20"})
		if after.Products != before.Products-1 {
			t.Errorf("valid products %d after revoking the only certificate of one of %d", after.Products, before.Products)
		}
		same(t, "after a revocation", after, public(t, live, stats.Filter{Province: "20"}))
		if want := statstest.Count(t, g, "20", "", today); after.Products != want.Products {
			t.Errorf("valid products %d, counted from the rows %d", after.Products, want.Products)
		}

		// A new day is counted for that day.
		tomorrow := today.AddDays(1)
		next := public(t, newService(g, tomorrow).Snapshots(g, time.Hour), stats.Filter{})
		if !next.Day.Equal(tomorrow) {
			t.Errorf("day %s, want %s", next.Day, tomorrow)
		}
		same(t, "tomorrow", next, public(t, newService(g, tomorrow), stats.Filter{}))

		// A stored row that does not read back is counted again and mended.
		if err := g.Model(&stats.Snapshot{}).Where("filter_key = ?", "20").Update("figures", "{not json").Error; err != nil {
			t.Fatal(err)
		}
		same(t, "unreadable row", public(t, kept, stats.Filter{Province: "20"}), public(t, live, stats.Filter{Province: "20"}))
		var body string
		g.Model(&stats.Snapshot{}).Select("figures").Where("filter_key = ?", "20").Scan(&body)
		if !json.Valid([]byte(body)) {
			t.Errorf("row not mended: %.40q", body)
		}
	})
}

// soleValid is a certificate of province valid on d whose product holds no
// other valid one: revoking it takes exactly one product off the figures.
func soleValid(t *testing.T, g *gorm.DB, province string, d day.Date) registry.Certificate {
	t.Helper()
	var certs []registry.Certificate
	if err := g.Where("province_code = ? AND import_pending = ? AND product_id IS NOT NULL", province, false).Order("id").Find(&certs).Error; err != nil {
		t.Fatal(err)
	}
	valid := map[int64][]registry.Certificate{}
	for _, c := range certs {
		if c.StatusOn(d) == registry.CertActive {
			valid[*c.ProductID] = append(valid[*c.ProductID], c)
		}
	}
	for _, c := range certs {
		if vs := valid[*c.ProductID]; len(vs) == 1 && vs[0].ID == c.ID && c.ValidFrom.Before(d) {
			return c
		}
	}
	t.Fatal("no product of province " + province + " with a single valid certificate")
	return registry.Certificate{}
}
