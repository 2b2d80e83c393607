package kit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
)

// BindJSON decodes the request body into dst strictly: unknown fields,
// wrong types, trailing data and a body over the limit are all errors that
// name the field, and then dst is validated.
func (k *Kit) BindJSON(c echo.Context, dst any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "the body must be application/json")
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return echo.NewHTTPError(http.StatusBadRequest, "the body must hold a single JSON object")
	}
	return k.Valid.Struct(dst)
}

func decodeError(err error) error {
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
		tooBig  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooBig):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", tooBig.Limit))
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return echo.NewHTTPError(http.StatusBadRequest, "the body is not valid JSON")
	case errors.Is(err, io.EOF):
		return echo.NewHTTPError(http.StatusBadRequest, "the body is empty")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return &errs.ValidationError{Fields: []errs.FieldError{{Field: field, Message: "validation.type"}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for unknown fields; this prefix is its documented message.
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &errs.ValidationError{Fields: []errs.FieldError{{Field: name, Message: "validation.unknown"}}}
	}
	return echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
}

// BindForm binds a form post into dst (form tags) and validates it.
func (k *Kit) BindForm(c echo.Context, dst any) error {
	if err := (&echo.DefaultBinder{}).BindBody(c, dst); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return echo.NewHTTPError(http.StatusBadRequest, "the form could not be read")
	}
	return k.Valid.Struct(dst)
}

// FormErrors turns a validation error into field → message key for
// templates; nil when err is not a validation error.
func FormErrors(err error) map[string]string {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, f := range ve.Fields {
		out[f.Field] = f.Message
	}
	return out
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}
