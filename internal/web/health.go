package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/db"
)

// healthz says the process is alive; it touches nothing else.
func (s *Server) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok") }

// readyz says whether this instance can serve: the database must answer.
func (s *Server) readyz(c echo.Context) error {
	if err := db.Ping(c.Request().Context(), s.db); err != nil {
		s.log.Warn("not ready", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ready")
}
