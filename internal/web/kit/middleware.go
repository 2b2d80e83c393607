package kit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// SecurityHeaders sets a strict CSP (only the site's own scripts and
// styles, no inline script), framing and sniffing protections.
func SecurityHeaders(secure bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'none'")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// RequestObserver records each request's method, route, status and
// duration (the Prometheus collectors of the metrics listener).
type RequestObserver interface {
	ObserveRequest(method, route string, status int, elapsed time.Duration)
}

// AccessLog writes one structured line per request, with the request id,
// and tells m about it. It never logs bodies, cookies or query strings,
// which may hold tokens.
func AccessLog(log *slog.Logger, m RequestObserver) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err) // write the response now so the status below is the real one
			}
			status := c.Response().Status
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			m.ObserveRequest(c.Request().Method, route, status, elapsed)
			if route == "/healthz" {
				return nil
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("method", c.Request().Method),
				slog.String("path", c.Request().URL.Path),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Duration("duration", elapsed),
				slog.Int64("bytes", c.Response().Size),
			)
			return nil
		}
	}
}

// Sessions finds the user behind a bearer token or a session cookie
// (account.Service).
type Sessions interface {
	TokenUser(ctx context.Context, token string) (account.User, error)
	SessionUser(ctx context.Context, token string) (account.User, error)
}

// Authenticate loads the user from a bearer token (API) or the session
// cookie (pages), and the visitor's language. A bad bearer token is a 401;
// a stale cookie is ignored.
func Authenticate(sessions Sessions) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return authenticate(sessions, next)
	}
}

func authenticate(sessions Sessions, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if h := c.Request().Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return errs.ErrUnauthorized
			}
			u, err := sessions.TokenUser(ctx, strings.TrimSpace(token))
			if err != nil {
				return err
			}
			c.Set(userKey, &u)
		} else if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" && !IsAPI(c) {
			// security: the API ignores cookies, so a cross-site form can never act through it.
			u, err := sessions.SessionUser(ctx, ck.Value)
			switch {
			case err == nil:
				c.Set(userKey, &u)
			case errors.Is(err, errs.ErrUnauthorized):
				c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1})
			default:
				return err
			}
		}
		c.Set(langKey, ResolveLang(c))
		return next(c)
	}
}

// RequireUser answers 401 (API) or redirects to sign-in (pages) when nobody is signed in.
func RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if UserOf(c) == nil {
			if IsAPI(c) || c.Request().Method != http.MethodGet {
				return errs.ErrUnauthorized
			}
			// The whole path and query come back after sign-in (a province
			// chosen in the cart must not be lost), if SafeNext keeps them.
			// '/' needs no escaping in a query value, and keeps the link readable.
			next := strings.ReplaceAll(url.QueryEscape(SafeNext(c.Request().URL.RequestURI(), "/")), "%2F", "/")
			return c.Redirect(http.StatusSeeOther, "/login?next="+next)
		}
		return next(c)
	}
}

// RequireRole lets only the given roles through: others get 403.
func RequireRole(roles ...account.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return RequireUser(func(c echo.Context) error {
			u := UserOf(c)
			for _, r := range roles {
				if u.Role == r {
					return next(c)
				}
			}
			return errs.ErrForbidden
		})
	}
}

// Timeout bounds each request's context, so a slow query cannot hold a
// connection forever.
func Timeout(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// BodyLimit rejects bodies over n bytes with 413: at once when the declared
// length is too big, and while reading otherwise (http.MaxBytesReader).
func BodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > n {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the body is larger than "+strconv.FormatInt(n, 10)+" bytes")
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, n)
			return next(c)
		}
	}
}
