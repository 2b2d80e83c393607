package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// securityHeaders sets a strict CSP (only the site's own scripts and
// styles, no inline script), framing and sniffing protections.
func securityHeaders(secure bool) echo.MiddlewareFunc {
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

// accessLog writes one structured line per request, with the request id,
// and counts requests for the metrics listener. It never logs bodies, cookies or query
// strings, which may hold tokens.
func accessLog(log *slog.Logger, m *metrics) echo.MiddlewareFunc {
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
			m.requests.With(prometheus.Labels{"method": c.Request().Method, "route": route, "status": strconv.Itoa(status)}).Inc()
			m.latency.With(prometheus.Labels{"route": route}).Observe(elapsed.Seconds())
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

// authenticate loads the user from a bearer token (API) or the session
// cookie (pages). A bad bearer token is a 401; a stale cookie is ignored.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if h := c.Request().Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return errs.ErrUnauthorized
			}
			u, err := s.accounts.TokenUser(ctx, strings.TrimSpace(token))
			if err != nil {
				return err
			}
			c.Set(userKey, &u)
		} else if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" && !isAPI(c) {
			// security: the API ignores cookies, so a cross-site form can never act through it.
			u, err := s.accounts.SessionUser(ctx, ck.Value)
			switch {
			case err == nil:
				c.Set(userKey, &u)
			case errors.Is(err, errs.ErrUnauthorized):
				c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
			default:
				return err
			}
		}
		c.Set(langKey, resolveLang(c))
		return next(c)
	}
}

// requireUser answers 401 (API) or redirects to sign-in (pages) when nobody is signed in.
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if userOf(c) == nil {
			if isAPI(c) || c.Request().Method != http.MethodGet {
				return errs.ErrUnauthorized
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+c.Request().URL.Path)
		}
		return next(c)
	}
}

// requireRole lets only the given roles through: others get 403.
func requireRole(roles ...account.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return requireUser(func(c echo.Context) error {
			u := userOf(c)
			for _, r := range roles {
				if u.Role == r {
					return next(c)
				}
			}
			return errs.ErrForbidden
		})
	}
}

// timeout bounds each request's context, so a slow query cannot hold a
// connection forever.
func timeout(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// bodyLimit rejects bodies over n bytes with 413: at once when the declared
// length is too big, and while reading otherwise (http.MaxBytesReader).
func bodyLimit(n int64) echo.MiddlewareFunc {
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
