package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// csrfCookie is the cookie of the double-submit CSRF token (see csrf).
const csrfCookie = "ocop_csrf"

// rotateCSRF gives the browser a fresh CSRF token when its session changes
// (sign-in, registration, sign-out).
//
// security: a token planted in the browser before sign-in (by someone who
// shared the machine, or a sibling subdomain able to set cookies) must not
// stay valid for the signed-in session.
func (s *Server) rotateCSRF(c echo.Context) error {
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
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode,
	})
	c.Set(csrfKey, token)
	return nil
}
