package registry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/stats/statstest"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestStageMedians: the days at a stage run from entering it to entering
// the next; a repeated status is not a new entry; an application still at
// a stage is not measured there; the median of an even count is the mean
// of the middle two.
func TestStageMedians(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	at := func(days float64) time.Time { return t0.Add(time.Duration(days * 24 * float64(time.Hour))) }
	ev := func(app int64, st registry.AppStatus, days float64) registry.StageEvent {
		return registry.StageEvent{ApplicationID: app, Status: st, At: at(days)}
	}
	got := registry.StageMedians([]registry.StageEvent{
		ev(1, registry.StatusSubmitted, 0), ev(1, registry.StatusProposed, 2), ev(1, registry.StatusScored, 12), ev(1, registry.StatusScored, 13), ev(1, registry.StatusDecided, 20),
		ev(2, registry.StatusSubmitted, 0), ev(2, registry.StatusProposed, 4), ev(2, registry.StatusScored, 5),
		ev(3, registry.StatusSubmitted, 1), ev(3, registry.StatusProposed, 10),
		ev(4, registry.StatusSubmitted, 3), // still waiting: not measured
	})
	want := map[registry.AppStatus]struct {
		median float64
		n      int
	}{
		registry.StatusSubmitted: {4, 3},   // 2, 4, 9
		registry.StatusProposed:  {5.5, 2}, // 10, 1
		registry.StatusScored:    {8, 1},   // 12 → 20, the remark at 13 is no new entry
	}
	for st, w := range want {
		g := got[st]
		if g.Median == nil || *g.Median != w.median || g.N != w.n {
			t.Errorf("%s: median %v over %d, want %v over %d", st, g.Median, g.N, w.median, w.n)
		}
	}
	if _, ok := got[registry.StatusDecided]; ok {
		t.Error("the last status of an application was measured")
	}
}

// TestDashboardCountsTheRows: a provincial officer's dashboard counts their
// province's applications and certificates, exactly as the test counts them
// from the rows (StatusOn per certificate); a central officer's counts every
// province, side by side; a shopper has none.
func TestDashboardCountsTheRows(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		today := day.Today()
		statstest.Fill(t, g, today)
		svc := registry.NewService(g, nil, func() day.Date { return today })
		user := func(email string) *account.User {
			var u account.User
			if err := g.Where("email = ?", email).First(&u).Error; err != nil {
				t.Fatal(err)
			}
			return &u
		}
		var certs []registry.Certificate
		var apps []registry.Application
		if err := g.Find(&certs).Error; err != nil {
			t.Fatal(err)
		}
		if err := g.Find(&apps).Error; err != nil {
			t.Fatal(err)
		}
		months := registry.MonthsFrom(today, 12)
		for _, tc := range []struct{ email, province string }{{"officer@example.com", "20"}, {"central@example.com", ""}} {
			d, err := svc.Dashboard(ctx, user(tc.email))
			if err != nil {
				t.Fatal(err)
			}
			waiting := map[registry.AppStatus]int64{}
			for _, a := range apps {
				if tc.province == "" || a.ProvinceCode == tc.province {
					waiting[a.Status]++
				}
			}
			for _, st := range d.Pipeline {
				if st.Waiting != waiting[st.Status] {
					t.Errorf("%s: %d waiting at %s, counted %d", tc.email, st.Waiting, st.Status, waiting[st.Status])
				}
			}
			expiring, certified := map[string]int64{}, int64(0)
			for _, c := range certs {
				if tc.province != "" && c.ProvinceCode != tc.province {
					continue
				}
				if m := c.ValidUntil.String()[:7]; c.ValidOn(today) && m <= months[11] {
					expiring[m]++
				}
				if !c.ImportPending && !c.DecisionDate.Before(day.New(today.Time().Year(), 1, 1)) && !c.DecisionDate.After(today) {
					certified++
				}
			}
			var total int64
			for _, e := range d.Expiring {
				total += e.N
				if e.N != expiring[e.Month] {
					t.Errorf("%s: %d expiring in %s, counted %d", tc.email, e.N, e.Month, expiring[e.Month])
				}
				for _, c := range e.Certs {
					if tc.province != "" && c.ProvinceCode != tc.province {
						t.Errorf("%s sees %s of province %s", tc.email, c.Code, c.ProvinceCode)
					}
				}
			}
			if d.ThisYear.Certified != certified {
				t.Errorf("%s: %d certified this year, counted %d", tc.email, d.ThisYear.Certified, certified)
			}
			if tc.province == "" && (len(d.Provinces) == 0 || total == 0) {
				t.Errorf("central: %d provinces, %d expiring", len(d.Provinces), total)
			}
			if tc.province != "" && len(d.Provinces) != 0 {
				t.Errorf("a provincial officer sees %d provinces side by side", len(d.Provinces))
			}
		}
		if _, err := svc.Dashboard(ctx, user("shopper@example.com")); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a shopper's dashboard: %v", err)
		}
	})
}
