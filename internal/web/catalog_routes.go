package web

import "github.com/labstack/echo/v4"

// catalogArea holds the services behind the storefront, producer listings and search.
type catalogArea struct{}

// initCatalog builds the catalog services; called once from New.
func (s *Server) initCatalog() error { return nil }

// catalogRoutes adds the routes of the storefront, producer listings and search.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) catalogRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {}
