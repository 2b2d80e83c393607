package web

import "github.com/labstack/echo/v4"

// registryArea holds the services behind the OCOP certification registry and public verification.
type registryArea struct{}

// initRegistry builds the registry services; called once from New.
func (s *Server) initRegistry() error { return nil }

// registryRoutes adds the routes of the OCOP certification registry and public verification.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) registryRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {}
