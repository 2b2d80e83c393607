package account

import (
	"sync"
	"time"
)

// Limiter counts failed sign-ins per key (client IP and e-mail) in a sliding
// window and refuses further attempts once the count is reached. It lives in
// memory: each instance limits on its own, which still caps a guesser at
// max × instances tries per window.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
	now    func() time.Time
}

// NewLimiter allows max failures per key in window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, fails: map[string][]time.Time{}, now: time.Now}
}

// Take counts an attempt by key before it is made, and reports whether it
// may be made: the check and the count are one step under the lock, so a
// burst of concurrent attempts cannot all pass the check before any is
// counted (security: 30 parallel wrong passwords used to all be tried). An
// attempt that succeeds is forgiven with Reset; one that was never made
// (the server was busy) is given back with Release. When refused, wait is
// how long until the oldest counted attempt leaves the window.
func (l *Limiter) Take(key string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.prune(key)
	if len(ts) >= l.max {
		return false, max(ts[0].Add(l.window).Sub(l.now()), time.Second)
	}
	l.record(key, ts)
	return true, 0
}

// Release gives back one attempt counted by Take that was not made.
func (l *Limiter) Release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ts := l.prune(key); len(ts) > 0 {
		l.fails[key] = ts[:len(ts)-1]
	}
}

func (l *Limiter) record(key string, ts []time.Time) {
	l.fails[key] = append(ts, l.now())
	if len(l.fails) > 100_000 { // bound memory under a spray of keys
		l.fails = map[string][]time.Time{}
	}
}

// Reset forgets key's failures after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func (l *Limiter) prune(key string) []time.Time {
	cut := l.now().Add(-l.window)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}
