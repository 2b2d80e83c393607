package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
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

// TestClientGoneIsNotAServerError proves a request whose client disconnected
// is recorded as 499 and writes nothing, instead of a logged 500.
func TestClientGoneIsNotAServerError(t *testing.T) {
	var logged strings.Builder
	s := &Server{log: slog.New(slog.NewTextHandler(&logged, nil))}
	e := echo.New()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	s.handleError(fmt.Errorf("load page: %w", context.Canceled), c)
	if c.Response().Status != StatusClientClosed || c.Response().Committed {
		t.Errorf("status %d (committed %v), want 499 and nothing written", c.Response().Status, c.Response().Committed)
	}
	if logged.Len() > 0 {
		t.Errorf("a client going away was logged: %s", logged.String())
	}
}
