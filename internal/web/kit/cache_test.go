package kit

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadCache(t *testing.T) {
	now := time.Unix(0, 0)
	c := NewReadCache(5*time.Second, 3)
	c.now = func() time.Time { return now }
	var calls atomic.Int32
	load := func(context.Context) (int, error) { calls.Add(1); return 7, nil }
	for range 3 {
		if v, err := Cached(c, context.Background(), "k", load); v != 7 || err != nil {
			t.Fatalf("got %d %v", v, err)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("loaded %d times within the TTL, want 1", calls.Load())
	}
	now = now.Add(6 * time.Second)
	Cached(c, context.Background(), "k", load)
	if calls.Load() != 2 {
		t.Errorf("not reloaded after the TTL")
	}
	if _, err := Cached(c, context.Background(), "e", func(context.Context) (int, error) { return 0, errors.New("boom") }); err == nil {
		t.Error("error swallowed")
	}
	if _, ok := c.get("e"); ok {
		t.Error("an error was cached")
	}
	for _, k := range []string{"a", "b", "c", "d"} {
		c.put(k, 1)
	}
	if len(c.m) > 3 {
		t.Errorf("cache grew to %d entries, max 3", len(c.m))
	}
	c.Clear()
	if _, ok := c.get("d"); ok {
		t.Error("clear left entries")
	}
	// A load started by a request that is gone still completes for the others.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	v, err := Cached(c, gone, "detached", func(ctx context.Context) (int, error) { return 3, ctx.Err() })
	if v != 3 || err != nil {
		t.Errorf("load under a cancelled request: %d %v", v, err)
	}
}
