package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/i18n"
)

// Cookie and context keys.
const (
	sessionCookie = "ocop_session"
	langCookie    = "ocop_lang"
	flashCookie   = "ocop_flash"
	csrfKey       = "csrf"
	userKey       = "user"
	langKey       = "lang"
)

// userOf returns the signed-in user of the request, or nil.
func userOf(c echo.Context) *account.User {
	u, _ := c.Get(userKey).(*account.User)
	return u
}

// langOf returns the visitor's language: the one they chose (cookie), else
// their signed-in preference, else Vietnamese. The browser's Accept-Language
// is deliberately not used: the site is Vietnamese first and English only by
// an explicit choice, which is then remembered.
func langOf(c echo.Context) string {
	if l, ok := c.Get(langKey).(string); ok {
		return l
	}
	return i18n.Default
}

func resolveLang(c echo.Context) string {
	if ck, err := c.Cookie(langCookie); err == nil && i18n.Supported(ck.Value) {
		return ck.Value
	}
	if u := userOf(c); u != nil && i18n.Supported(u.Locale) {
		return u.Locale
	}
	return i18n.Default
}

// isAPI reports whether the request is for the JSON API or a webhook, which
// answer problem+json instead of pages.
func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/")
}

// flash sets a one-time message key shown on the next page.
func (s *Server) flash(c echo.Context, key string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// setSessionCookie stores the session token in an HttpOnly, SameSite=Lax cookie.
func (s *Server) setSessionCookie(c echo.Context, token string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, // security: no script access, no cross-site POSTs
	})
}
