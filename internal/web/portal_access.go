package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// requireProducer guards every producer route, pages and API alike: only
// producers get through, and a member of a suspended producer only reads.
// Every unsafe request (products, photos, profile, orders, registry
// applications and their documents) is then 403 with the reason, so a
// suspended producer can neither publish nor apply until an admin lifts
// the suspension. Routes take it instead of requireRole(RoleProducer), so
// a new portal write is covered by being a portal route.
func (s *Server) requireProducer(next echo.HandlerFunc) echo.HandlerFunc {
	return requireRole(account.RoleProducer)(func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		p, err := s.producers.OfUser(c.Request().Context(), userOf(c).ID)
		switch {
		case errors.Is(err, errs.ErrNotFound):
			return next(c) // no producer yet: the handler says so
		case err != nil:
			return err
		case p.Status == producer.StatusSuspended: // security: read-only while suspended
			return &errs.Reasoned{Err: errs.ErrForbidden, Reason: "producer.suspended_read_only"}
		}
		return next(c)
	})
}
