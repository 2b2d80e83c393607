package kit

import (
	"container/list"
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

// entryOverhead is what an entry costs beside its value and key: the map
// slot, the list element, the entry itself and the interface holding the
// value. It keeps a flood of tiny entries bounded too.
const entryOverhead = 160

// ReadCache is a time-bounded cache for public reads, bounded in bytes: it
// holds at most max bytes of values (by SizeOf's estimate, keys and
// bookkeeping included) and evicts the least recently used entries to make
// room. Counting bytes rather than entries is what keeps memory bounded
// when entries range from a 200-byte JSON list to a 60 KB product page: a
// crawler asking thousands of distinct queries only churns the cache.
type ReadCache struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int64
	used int64
	m    map[string]*list.Element // of *cacheEntry
	lru  list.List                // front: most recently used
	now  func() time.Time
	// fill makes concurrent misses of one key wait for a single load, so
	// an expiry under load costs one query rather than one per request.
	fill singleflight.Group
}

type cacheEntry struct {
	key  string
	v    any
	size int64
	exp  time.Time
}

// NewReadCache is an empty cache whose entries live for ttl, holding at most
// maxBytes; 0 stores nothing (every read loads, concurrent ones still once).
func NewReadCache(ttl time.Duration, maxBytes int64) *ReadCache {
	return &ReadCache{ttl: ttl, max: maxBytes, m: map[string]*list.Element{}, now: time.Now}
}

// Bytes is the estimated size of what the cache holds, never above its bound.
func (c *ReadCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Len is the number of entries held.
func (c *ReadCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func (c *ReadCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if c.now().After(e.exp) {
		c.remove(el)
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.v, true
}

// put stores v under key, evicting the least recently used entries until
// it fits. A value larger than the whole bound is not stored.
func (c *ReadCache) put(key string, v any) {
	size := SizeOf(v) + int64(len(key)) + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.remove(el)
	}
	if size > c.max {
		return
	}
	for c.used+size > c.max {
		c.remove(c.lru.Back())
	}
	c.m[key] = c.lru.PushFront(&cacheEntry{key: key, v: v, size: size, exp: c.now().Add(c.ttl)})
	c.used += size
}

// remove drops one entry; the caller holds mu.
func (c *ReadCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*cacheEntry)
	delete(c.m, e.key)
	c.used -= e.size
}

// Clear empties the cache, after a write that changes what it holds.
func (c *ReadCache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = map[string]*list.Element{}
	c.lru.Init()
	c.used = 0
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

// Lookup returns the value stored under key, if it is there, unexpired and
// a T. With Store it serves callers that fill many keys from one query
// (the badges of a page of cards), which Cached, one key per load, cannot.
func Lookup[T any](c *ReadCache, key string) (T, bool) {
	if v, ok := c.get(key); ok {
		if t, ok := v.(T); ok {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// Store puts v under key for the cache's TTL (see Lookup).
func Store(c *ReadCache, key string, v any) { c.put(key, v) }
