package kit

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// PublicCacheTTL is how long a public catalog read (a search page, a
// product) is reused. Writes through this instance clear the cache at
// once; other instances see a change within the TTL. Stock shown on a
// cached page may be that old, which is harmless: reserving stock at
// checkout is the authoritative check.
const PublicCacheTTL = 5 * time.Second

// loadTimeout bounds one cache fill.
const loadTimeout = 10 * time.Second

// ReadCache is a small time-bounded map for public reads. It holds at most
// max entries and starts over when full, which keeps it bounded without
// bookkeeping; the hot keys are back within one TTL.
type ReadCache struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	m   map[string]cacheEntry
	now func() time.Time
	// fill makes concurrent misses of one key wait for a single load, so
	// an expiry under load costs one query rather than one per request.
	fill singleflight.Group
}

type cacheEntry struct {
	v   any
	exp time.Time
}

// NewReadCache is an empty cache whose entries live for ttl, with room for max of them.
func NewReadCache(ttl time.Duration, max int) *ReadCache {
	return &ReadCache{ttl: ttl, max: max, m: map[string]cacheEntry{}, now: time.Now}
}

func (c *ReadCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || c.now().After(e.exp) {
		return nil, false
	}
	return e.v, true
}

func (c *ReadCache) put(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		c.m = map[string]cacheEntry{}
	}
	c.m[key] = cacheEntry{v: v, exp: c.now().Add(c.ttl)}
}

// Clear empties the cache, after a write that changes what it holds.
func (c *ReadCache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = map[string]cacheEntry{}
}

// Cached returns the value under key, or computes, stores and returns it.
// Errors are not cached. The load runs on a context detached from the
// request that started it (with its own timeout), because other requests
// may be waiting for the same load: one client hanging up must not fail them.
func Cached[T any](c *ReadCache, ctx context.Context, key string, f func(context.Context) (T, error)) (T, error) {
	if v, ok := c.get(key); ok {
		return v.(T), nil
	}
	v, err, _ := c.fill.Do(key, func() (any, error) {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		defer cancel()
		v, err := f(lctx)
		if err == nil {
			c.put(key, v)
		}
		return v, err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
