// Package gate bounds how many costly operations of one kind run at once.
// Password hashing (argon2id takes 19 MiB per hash) and photo decoding (up
// to the decode budget per photo) would otherwise let a burst of requests
// take all the memory of the machine; behind a gate, excess requests wait a
// little for a free slot and are then refused with "busy, retry shortly".
package gate

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Gate admits at most Size holders at a time. It is safe for concurrent use.
type Gate struct {
	name  string
	slots chan struct{}
	wait  time.Duration

	mu   sync.Mutex
	held int
	peak int
}

// New returns a gate of size slots (at least 1) whose callers wait at most
// wait for a slot. name says what the gate guards, in errors and logs.
func New(name string, size int, wait time.Duration) *Gate {
	if size < 1 {
		size = 1
	}
	return &Gate{name: name, slots: make(chan struct{}, size), wait: wait}
}

// Enter takes a slot, waiting up to the gate's wait (or until ctx ends). It
// returns the function that gives the slot back, which must be called once.
// A full gate is errs.ErrUnavailable wrapped in errs.Later (Retry-After).
func (g *Gate) Enter(ctx context.Context) (leave func(), err error) {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return nil, &errs.Later{Err: fmt.Errorf("%s: all %d slots busy: %w", g.name, cap(g.slots), errs.ErrUnavailable), After: time.Second}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	g.mu.Lock()
	g.held++
	g.peak = max(g.peak, g.held)
	g.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			g.held--
			g.mu.Unlock()
			<-g.slots
		})
	}, nil
}

// Peak is the most slots ever held at once, for tests and measurements.
func (g *Gate) Peak() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}
