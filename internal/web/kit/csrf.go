package kit

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/chocop/ocop/internal/platform/errs"
)

// csrfCookie is the cookie of the double-submit CSRF token (see CSRF).
const csrfCookie = "ocop_csrf"

// CSRF checks a token on every unsafe page request: the _csrf form field or
// the X-CSRF-Token header (htmx) must match the HttpOnly cookie.
func (k *Kit) CSRF() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   k.Secure,
		CookieSameSite: http.SameSiteLaxMode,
		ContextKey:     csrfKey,
		ErrorHandler: func(err error, c echo.Context) error {
			return errs.ErrForbidden // security: missing or forged token, nothing is done
		},
	})
}

// RotateCSRF gives the browser a fresh CSRF token when its session changes
// (sign-in, registration, sign-out).
//
// security: a token planted in the browser before sign-in (by someone who
// shared the machine, or a sibling subdomain able to set cookies) must not
// stay valid for the signed-in session.
func (k *Kit) RotateCSRF(c echo.Context) error {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	// The CSRF middleware has already set the old token on this response:
	// drop that header so the browser is left with only the new one.
	h := c.Response().Header()
	var kept []string
	for _, v := range h.Values("Set-Cookie") {
		if !strings.HasPrefix(v, csrfCookie+"=") {
			kept = append(kept, v)
		}
	}
	h.Del("Set-Cookie")
	for _, v := range kept {
		h.Add("Set-Cookie", v)
	}
	c.SetCookie(&http.Cookie{
		Name: csrfCookie, Value: token, Path: "/", Expires: time.Now().Add(24 * time.Hour),
		HttpOnly: true, Secure: k.Secure, SameSite: http.SameSiteLaxMode,
	})
	c.Set(csrfKey, token)
	return nil
}
