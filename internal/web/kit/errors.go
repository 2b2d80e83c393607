package kit

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Problem is an RFC 9457 problem detail, the body of every API error.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Code     string            `json:"code"` // stable, machine-readable: clients match on it, never on Detail
	Detail   string            `json:"detail,omitempty"`
	Instance string            `json:"instance,omitempty"`
	Errors   []errs.FieldError `json:"errors,omitempty"`
}

// StatusClientClosed is recorded for requests whose client disconnected
// before the answer (nginx's 499).
const StatusClientClosed = 499

// StatusOf maps the error vocabulary to HTTP. This is the only place it happens.
func StatusOf(err error) int {
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		return he.Code
	case errors.Is(err, errs.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, errs.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, errs.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, errs.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, errs.ErrTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, errs.ErrUnavailable):
		return http.StatusServiceUnavailable
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	if _, ok := errs.AsValidation(err); ok {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// statusCodes name the errors that carry no domain code: the web layer's
// own refusals (malformed bodies, unknown routes, wrong methods, limits).
var statusCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          errs.CodeUnauthorized,
	http.StatusForbidden:             errs.CodeForbidden,
	http.StatusNotFound:              errs.CodeNotFound,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              errs.CodeConflict,
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       errs.CodeRateLimited,
	http.StatusServiceUnavailable:    "unavailable",
}

// codeOf is the problem's machine-readable code: the domain's code
// (errs.Code) for a 4xx it raised, else one per status. A 5xx is
// "internal" (or "unavailable"), whatever caused it, so nothing leaks.
func codeOf(err error, status int) string {
	if status >= 500 && status != http.StatusServiceUnavailable {
		return "internal"
	}
	var he *echo.HTTPError
	if status < 500 && !errors.As(err, &he) {
		if code := errs.Code(err); code != "" {
			return code
		}
	}
	if code, ok := statusCodes[status]; ok {
		return code
	}
	return "error"
}

// HandleError answers every error (it is Echo's HTTPErrorHandler):
// problem+json for the API, a page in the visitor's language otherwise. 5xx
// are logged with the request id and never shown in detail.
func (k *Kit) HandleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if db.IsCanceled(err) && c.Request().Context().Err() != nil {
		// The client went away (closed tab, load tester stopping): not a
		// server error. 499 is recorded in the access log and metrics, and
		// nothing is written to a connection nobody reads.
		c.Response().Status = StatusClientClosed
		return
	}
	status := StatusOf(err)
	SetRetryAfter(c, err)
	if status >= 500 {
		k.Log.Error("request failed", "id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", c.Request().Method, "route", c.Path(), "err", err)
	}
	if _, ok := c.Get(langKey).(string); !ok {
		// The error came before authenticate ran (an unknown static file, a
		// wrong method): the language cookie still decides.
		c.Set(langKey, ResolveLang(c))
	}
	lang := LangOf(c)
	ve, _ := errs.AsValidation(err)
	if IsAPI(c) || c.Request().Method == http.MethodHead {
		p := Problem{
			Type:     "about:blank",
			Title:    http.StatusText(status),
			Status:   status,
			Code:     codeOf(err, status),
			Instance: c.Request().URL.Path,
		}
		if status < 500 || status == http.StatusServiceUnavailable {
			p.Detail = k.detail(lang, err, status)
		}
		if ve != nil {
			for _, f := range ve.Fields {
				p.Errors = append(p.Errors, errs.FieldError{Field: f.Field, Message: k.Msgs.T(lang, f.Message)})
			}
		}
		if status == http.StatusUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="ocop"`)
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(status)
		_ = jsonEncode(c.Response(), p) // the status is sent; a failed write means the client left, with no one to tell
		return
	}
	key := "error." + strconv.Itoa(status)
	if k.Msgs.T(lang, key+".title") == key+".title" {
		key = "error.500"
		if status < 500 {
			key = "error.400"
		}
	}
	msg := key + ".message"
	var data map[string]any
	if r := errs.Reason(err); r != "" && status < 500 {
		msg, data = r, errs.ReasonData(err)
	}
	if rerr := k.Pages.Render(c, status, "error", map[string]any{"Title": key + ".title", "Message": msg, "Data": data}); rerr != nil {
		k.Log.Error("render error page", "err", rerr)
		c.Response().WriteHeader(status)
	}
}

// detail is the human message of a 4xx problem.
func (k *Kit) detail(lang string, err error, status int) string {
	if r := errs.Reason(err); r != "" {
		return k.Msgs.T(lang, r, errs.ReasonData(err))
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if m, ok := he.Message.(string); ok && status < 500 {
			return m
		}
	}
	if status == http.StatusBadRequest {
		if _, ok := errs.AsValidation(err); ok {
			return k.Msgs.T(lang, "register.fix_errors")
		}
	}
	return k.Msgs.T(lang, "error."+strconv.Itoa(status)+".message")
}

// SetRetryAfter tells a client refused for now (429, 503) when to try
// again, in whole seconds rounded up, when the error knows.
func SetRetryAfter(c echo.Context, err error) {
	if d := errs.RetryAfter(err); d > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	}
}
