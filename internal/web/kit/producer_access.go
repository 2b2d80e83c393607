package kit

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// ProducerOfUser finds the producer a user acts for (producer.Store).
type ProducerOfUser interface {
	OfUser(ctx context.Context, userID int64) (producer.Producer, error)
}

// RequireProducer guards every producer route, pages and API alike: only
// producers get through, and a member of a suspended producer only reads.
// Every unsafe request (products, photos, profile, orders, registry
// applications and their documents) is then 403 with the reason, so a
// suspended producer can neither publish nor apply until an admin lifts
// the suspension. Routes take it instead of RequireRole(RoleProducer), so
// a new portal write is covered by being a portal route.
func RequireProducer(producers ProducerOfUser) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return requireProducer(producers, next)
	}
}

func requireProducer(producers ProducerOfUser, next echo.HandlerFunc) echo.HandlerFunc {
	return RequireRole(account.RoleProducer)(func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		p, err := producers.OfUser(c.Request().Context(), UserOf(c).ID)
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
