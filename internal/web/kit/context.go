package kit

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/i18n"
)

// Cookie names.
const (
	SessionCookie = "ocop_session" // the session token of a signed-in visitor
	LangCookie    = "ocop_lang"    // the language a visitor chose
	flashCookie   = "ocop_flash"
)

// Context keys.
const (
	csrfKey = "csrf"
	userKey = "user"
	langKey = "lang"
)

// UserOf returns the signed-in user of the request, or nil.
func UserOf(c echo.Context) *account.User {
	u, _ := c.Get(userKey).(*account.User)
	return u
}

// LangOf returns the visitor's language: the one they chose (cookie), else
// their signed-in preference, else Vietnamese. The browser's Accept-Language
// is deliberately not used: the site is Vietnamese first and English only by
// an explicit choice, which is then remembered.
func LangOf(c echo.Context) string {
	if l, ok := c.Get(langKey).(string); ok {
		return l
	}
	return i18n.Default
}

// ResolveLang works out the visitor's language from the cookie and the
// signed-in user; Authenticate stores it for LangOf.
func ResolveLang(c echo.Context) string {
	if ck, err := c.Cookie(LangCookie); err == nil && i18n.Supported(ck.Value) {
		return ck.Value
	}
	if u := UserOf(c); u != nil && i18n.Supported(u.Locale) {
		return u.Locale
	}
	return i18n.Default
}

// CSRFToken is the request's CSRF token ("" outside the page routes).
func CSRFToken(c echo.Context) string {
	tok, _ := c.Get(csrfKey).(string)
	return tok
}

// IsAPI reports whether the request is for the JSON API or a webhook, which
// answer problem+json instead of pages.
func IsAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/")
}

// Flash sets a one-time message key shown on the next page.
func (k *Kit) Flash(c echo.Context, key string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true, Secure: k.Secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// SetSessionCookie stores the session token in an HttpOnly, SameSite=Lax cookie.
func (k *Kit) SetSessionCookie(c echo.Context, token string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: k.Secure, SameSite: http.SameSiteLaxMode, // security: no script access, no cross-site POSTs
	})
}

// SetLang fixes the language of this request, for pages whose address
// names their language (/thong-ke is Vietnamese, /stats English, whatever
// the visitor's cookie says).
func SetLang(c echo.Context, lang string) { c.Set(langKey, lang) }
