package web

import "github.com/labstack/echo/v4"

// orderArea holds the services behind cart, checkout, orders, payments and the payout ledger.
type orderArea struct{}

// initOrder builds the order services; called once from New.
func (s *Server) initOrder() error { return nil }

// orderRoutes adds the routes of cart, checkout, orders, payments and the payout ledger.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) orderRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {}
