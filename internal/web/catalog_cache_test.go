package web

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadCache(t *testing.T) {
	now := time.Unix(0, 0)
	c := newReadCache(5*time.Second, 3)
	c.now = func() time.Time { return now }
	var calls atomic.Int32
	load := func() (int, error) { calls.Add(1); return 7, nil }
	for range 3 {
		if v, err := cached(c, "k", load); v != 7 || err != nil {
			t.Fatalf("got %d %v", v, err)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("loaded %d times within the TTL, want 1", calls.Load())
	}
	now = now.Add(6 * time.Second)
	cached(c, "k", load)
	if calls.Load() != 2 {
		t.Errorf("not reloaded after the TTL")
	}
	if _, err := cached(c, "e", func() (int, error) { return 0, errors.New("boom") }); err == nil {
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
	c.clear()
	if _, ok := c.get("d"); ok {
		t.Error("clear left entries")
	}
}
