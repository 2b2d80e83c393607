package kit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestClientGoneIsNotAServerError proves a request whose client disconnected
// is recorded as 499 and writes nothing, instead of a logged 500.
func TestClientGoneIsNotAServerError(t *testing.T) {
	var logged strings.Builder
	k := &Kit{Log: slog.New(slog.NewTextHandler(&logged, nil))}
	e := echo.New()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	k.HandleError(fmt.Errorf("load page: %w", context.Canceled), c)
	if c.Response().Status != StatusClientClosed || c.Response().Committed {
		t.Errorf("status %d (committed %v), want 499 and nothing written", c.Response().Status, c.Response().Committed)
	}
	if logged.Len() > 0 {
		t.Errorf("a client going away was logged: %s", logged.String())
	}
}
