package gate

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/platform/errs"
)

// TestGateBoundsHoldersAndRefusesAfterWaiting runs 40 callers through a
// gate of 3: never more than 3 inside at once (counted by the callers
// themselves), and with a short wait, those who cannot get in are refused
// with ErrUnavailable and a retry hint rather than queueing without end.
func TestGateBoundsHoldersAndRefusesAfterWaiting(t *testing.T) {
	g := New("test", 3, 2*time.Second)
	var inside, peak atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			leave, err := g.Enter(context.Background())
			if err != nil {
				t.Errorf("enter with a long wait: %v", err)
				return
			}
			n := inside.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			inside.Add(-1)
			leave()
			leave() // a second call is harmless
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 3 || p < 1 {
		t.Errorf("%d callers inside at once, want 1..3", p)
	}
	if g.Peak() > 3 {
		t.Errorf("gate peak %d > size 3", g.Peak())
	}

	full := New("full", 1, 20*time.Millisecond)
	leave, err := full.Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = full.Enter(context.Background())
	if !errors.Is(err, errs.ErrUnavailable) || errs.RetryAfter(err) <= 0 {
		t.Errorf("a full gate answered %v (retry %s), want ErrUnavailable with a retry hint", err, errs.RetryAfter(err))
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("refused after %s, want a wait of 20ms first", waited)
	}
	leave()
	if leave, err := full.Enter(context.Background()); err != nil {
		t.Errorf("a freed slot is not taken: %v", err)
	} else {
		leave()
	}
}
