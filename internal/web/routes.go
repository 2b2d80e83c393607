package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
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
	e.GET("/static/*", s.assets.serve)

	// JSON API: bearer tokens only, never cookies, so it needs no CSRF token.
	api := e.Group("/api/v1", bodyLimit(BodyLimit), s.authenticate)
	api.GET("/openapi.yaml", s.openapi)
	api.POST("/auth/token", s.apiIssueToken)
	api.POST("/auth/register", s.apiRegister)
	api.POST("/auth/token/revoke", s.apiRevokeToken, requireUser)
	api.GET("/me", s.apiMe, requireUser)

	// Pages: cookie sessions, CSRF token on every form.
	pages := e.Group("", bodyLimit(BodyLimit), s.authenticate, s.csrf())
	pages.GET("/", s.home)
	pages.GET("/lang/:lang", s.switchLang)
	pages.GET("/login", s.loginPage)
	pages.POST("/login", s.login)
	pages.GET("/register", s.registerPage)
	pages.POST("/register", s.register)
	pages.POST("/logout", s.logout)
	pages.GET("/account", s.accountPage, requireUser)

	portal := pages.Group("/portal", s.requireProducer)
	portal.GET("", s.portalHome)

	registry := pages.Group("/registry", requireRole(account.RoleOfficer))
	registry.GET("", s.registryHome)

	admin := pages.Group("/admin", requireRole(account.RoleAdmin))
	admin.GET("", s.adminHome)
	admin.POST("/producers/:slug/approve", s.adminApproveProducer)
	admin.POST("/producers/:slug/suspend", s.adminSuspendProducer)

	s.catalogRoutes(e, api, pages, portal, registry, admin)
	s.registryRoutes(e, api, pages, portal, registry, admin)
	s.orderRoutes(e, api, pages, portal, registry, admin)

	// Unknown paths go through authenticate so the 404 page shows who is
	// signed in, in their language.
	e.RouteNotFound("/*", func(echo.Context) error { return errs.ErrNotFound }, s.authenticate)
	return e
}

// csrf checks a token on every unsafe page request: the _csrf form field or
// the X-CSRF-Token header (htmx) must match the HttpOnly cookie.
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.Secure(),
		CookieSameSite: http.SameSiteLaxMode,
		ContextKey:     csrfKey,
		ErrorHandler: func(err error, c echo.Context) error {
			return errs.ErrForbidden // security: missing or forged token, nothing is done
		},
	})
}
