package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// TestJobsRunAtStartThenOnInterval proves a sweep runs once at start, again
// on its interval, and keeps running after an error.
func TestJobsRunAtStartThenOnInterval(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var runs atomic.Int32
	third := make(chan struct{})
	s.every("count", 5*time.Millisecond, func(ctx context.Context) error {
		if runs.Add(1) == 3 {
			close(third)
		}
		return errors.New("a failing sweep is logged, not fatal")
	})
	ctx, cancel := context.WithCancel(context.Background())
	s.startJobs(ctx)
	select {
	case <-third:
	case <-time.After(5 * time.Second):
		t.Fatalf("sweep ran %d times in 5s, want at least 3", runs.Load())
	}
	cancel()
}
