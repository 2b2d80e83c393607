package registry_test

import (
	"testing"
	"time"

	"github.com/chocop/ocop/internal/registry"
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
