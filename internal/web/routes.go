package web

import (
	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

// routes is the route table. Each area adds its routes in a function of its
// own (catalogRoutes, registryRoutes, orderRoutes) so that this page stays
// readable on one screen.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	s.base(e)

	// Operations. No session, no CSRF. /metrics is not here: it has a
	// listener of its own (OCOP_METRICS_ADDR, MetricsHandler).
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/*", s.assets.Serve)

	// JSON API: bearer tokens only, never cookies, so it needs no CSRF token.
	api := e.Group("/api/v1", kit.BodyLimit(kit.DefaultBodyLimit), s.authenticate)
	api.GET("/openapi.yaml", s.openapi)
	api.POST("/auth/token", s.auth.APIIssueToken)
	api.POST("/auth/register", s.auth.APIRegister)
	api.POST("/auth/token/revoke", s.auth.APIRevokeToken, kit.RequireUser)
	api.GET("/me", s.auth.APIMe, kit.RequireUser)

	// Pages: cookie sessions, CSRF token on every form.
	pages := e.Group("", kit.BodyLimit(kit.DefaultBodyLimit), s.authenticate, s.CSRF())
	pages.GET("/", s.cat.Home)
	pages.GET("/lang/:lang", s.auth.SwitchLang)
	pages.GET("/login", s.auth.LoginPage)
	pages.POST("/login", s.auth.Login)
	pages.GET("/register", s.auth.RegisterPage)
	pages.POST("/register", s.auth.Register)
	pages.POST("/logout", s.auth.Logout)
	pages.GET("/account", s.auth.AccountPage, kit.RequireUser)

	portal := pages.Group("/portal", s.requireProducer)
	portal.GET("", s.cat.PortalHome)

	registry := pages.Group("/registry", kit.RequireRole(account.RoleOfficer))
	registry.GET("", s.regh.Home)

	admin := pages.Group("/admin", kit.RequireRole(account.RoleAdmin))
	admin.GET("", s.admin.Home)
	admin.POST("/producers/:slug/approve", s.admin.ApproveProducer)
	admin.POST("/producers/:slug/suspend", s.admin.SuspendProducer)

	s.catalogRoutes(e, api, pages, portal, registry, admin)
	s.registryRoutes(e, api, pages, portal, registry, admin)
	s.orderRoutes(e, api, pages, portal, registry, admin)

	// Unknown paths go through authenticate so the 404 page shows who is
	// signed in, in their language.
	e.RouteNotFound("/*", func(echo.Context) error { return errs.ErrNotFound }, s.authenticate)
	return e
}
