package kit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// TestClientGoneIsNotAServerError proves a request whose client disconnected
// is recorded as 499 and writes nothing, instead of a logged 500: with the
// error PostgreSQL's driver returns (context.Canceled) and with the one
// SQLite's returns for a query it interrupted ("interrupted (9)", which
// once reached the log as a 500 when wrk stopped in the middle of a page).
func TestClientGoneIsNotAServerError(t *testing.T) {
	// A real interruption: SQLite's driver interrupts a statement it is
	// executing when the context is cancelled (a query's rows, read later,
	// report context.Canceled instead). Long, not endless, should it not.
	g := dbtest.SQLite(t)
	qctx, stop := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, stop)
	interrupted := g.WithContext(qctx).Exec("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT 200000000) SELECT COUNT(*) FROM c").Error
	if interrupted == nil || errors.Is(interrupted, context.Canceled) {
		t.Fatalf("the long statement ended with %v, want SQLite's own interruption", interrupted)
	}
	for name, err := range map[string]error{
		"context.Canceled":   fmt.Errorf("load page: %w", context.Canceled),
		"SQLite interrupted": fmt.Errorf("load page: %w", interrupted),
	} {
		var logged strings.Builder
		k := &Kit{Log: slog.New(slog.NewTextHandler(&logged, nil))}
		e := echo.New()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		c := e.NewContext(req, rec)
		k.HandleError(err, c)
		if c.Response().Status != StatusClientClosed || c.Response().Committed {
			t.Errorf("%s: status %d (committed %v), want 499 and nothing written", name, c.Response().Status, c.Response().Committed)
		}
		if logged.Len() > 0 {
			t.Errorf("%s: a client going away was logged: %s", name, logged.String())
		}
	}
}
