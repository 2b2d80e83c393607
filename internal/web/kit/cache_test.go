package kit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestReadCache(t *testing.T) {
	now := time.Unix(0, 0)
	c := NewReadCache(5*time.Second, 3*(entryOverhead+SizeOf(1)+1)) // three int entries of one-letter keys
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
	if c.Len() > 3 {
		t.Errorf("cache grew to %d entries, room for 3", c.Len())
	}
	c.Clear()
	if _, ok := c.get("d"); ok || c.Bytes() != 0 {
		t.Errorf("clear left entries (%d bytes)", c.Bytes())
	}
	// A load started by a request that is gone still completes for the others.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	v, err := Cached(c, gone, "detached", func(ctx context.Context) (int, error) { return 3, ctx.Err() })
	if v != 3 || err != nil {
		t.Errorf("load under a cancelled request: %d %v", v, err)
	}
}

// checkAccounting fails when the cache's byte count disagrees with its
// entries or exceeds the bound.
func checkAccounting(t *testing.T, c *ReadCache) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum int64
	for el := c.lru.Front(); el != nil; el = el.Next() {
		sum += el.Value.(*cacheEntry).size
	}
	if sum != c.used || c.used > c.max || len(c.m) != c.lru.Len() {
		t.Fatalf("accounting: entries sum to %d, used %d, bound %d, map %d, list %d", sum, c.used, c.max, len(c.m), c.lru.Len())
	}
}

// TestReadCacheByteBound: whatever sizes come in, the cache holds at most
// its bound, evicts the least recently used first, and refuses a value
// larger than the whole bound.
func TestReadCacheByteBound(t *testing.T) {
	const bound = 64 << 10
	c := NewReadCache(time.Hour, bound)
	c.put("hot", []byte("kept because it is read"))
	for i := range 2000 {
		c.put(fmt.Sprintf("k%d", i), make([]byte, (i*7919)%4000))
		if _, ok := c.get("hot"); !ok {
			t.Fatalf("the most recently read entry was evicted after %d inserts", i)
		}
		checkAccounting(t, c)
	}
	if _, ok := c.get("k0"); ok {
		t.Error("the oldest unread entry survived 2000 inserts")
	}
	if c.Bytes() < bound/2 {
		t.Errorf("cache holds only %d of %d bytes: evicts too much", c.Bytes(), bound)
	}
	c.put("huge", strings.Repeat("x", bound+1))
	if _, ok := c.get("huge"); ok {
		t.Error("a value larger than the bound was stored")
	}
	checkAccounting(t, c)
	if off := NewReadCache(time.Hour, 0); true {
		off.put("k", "v")
		if off.Len() != 0 {
			t.Error("a zero-byte cache stored something")
		}
	}
}

// TestReadCacheConcurrentBound fills the cache from many goroutines with
// distinct keys (a flood of distinct queries) while another one watches
// the byte count: it never passes the bound. Run with -race.
func TestReadCacheConcurrentBound(t *testing.T) {
	const bound = 256 << 10
	c := NewReadCache(time.Hour, bound)
	ctx := context.Background()
	stop := make(chan struct{})
	var over atomic.Int64
	var watch sync.WaitGroup
	watch.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if b := c.Bytes(); b > bound {
				over.Store(b)
			}
		}
	})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				key := fmt.Sprintf("g%d-%d", g, i)
				size := (g*1000 + i) * 31 % 9000
				v, err := Cached(c, ctx, key, func(context.Context) ([]byte, error) { return make([]byte, size), nil })
				if err != nil || len(v) != size {
					t.Errorf("%s: %d bytes, %v", key, len(v), err)
					return
				}
				// Readers of keys others wrote move entries to the front meanwhile.
				c.get(fmt.Sprintf("g%d-%d", (g+1)%8, i))
			}
		})
	}
	wg.Wait()
	close(stop)
	watch.Wait()
	if b := over.Load(); b != 0 {
		t.Errorf("cache held %d bytes, bound %d", b, bound)
	}
	checkAccounting(t, c)
}

func TestSizeOf(t *testing.T) {
	type card struct {
		Name  string
		Tags  []string
		Badge *struct{ Code string }
		When  time.Time
	}
	cards := []card{{Name: strings.Repeat("n", 1000), Tags: []string{strings.Repeat("t", 500)}, Badge: &struct{ Code string }{strings.Repeat("c", 300)}}}
	for _, tc := range []struct {
		name string
		v    any
		min  int64
	}{
		{"string", strings.Repeat("x", 5000), 5000},
		{"bytes", make([]byte, 5000), 5000},
		{"structs", cards, 1800},
		{"map", map[string]string{"k": strings.Repeat("v", 700)}, 700},
	} {
		if got := SizeOf(tc.v); got < tc.min || got > 2*tc.min+1024 {
			t.Errorf("%s: SizeOf %d, want about %d", tc.name, got, tc.min)
		}
	}
}
