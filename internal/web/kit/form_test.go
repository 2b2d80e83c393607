package kit

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
)

// TestFormRefusal proves which errors show the form again (what the visitor
// can fix) and which keep their own page, with the posted values kept.
func TestFormRefusal(t *testing.T) {
	cases := []struct {
		name        string
		err         error
		form        bool
		status      int
		title, msg  string
		fieldErrKey string
	}{
		{"validation", errs.Invalid("price", "validation.type"), true, 400, "error.400.title", "register.fix_errors", "validation.type"},
		{"reasoned conflict", &errs.Reasoned{Err: errs.ErrConflict, Reason: "catalog.too_many_photos"}, true, 409, "error.409.title", "catalog.too_many_photos", ""},
		{"bare conflict", errs.ErrConflict, true, 409, "error.409.title", "error.409.message", ""},
		{"bad form body", echo.NewHTTPError(http.StatusBadRequest, "the form could not be read"), true, 400, "error.400.title", "error.400.message", ""},
		{"not found", errs.ErrNotFound, false, 0, "", "", ""},
		{"forbidden", errs.ErrForbidden, false, 0, "", "", ""},
		{"server error", errors.New("boom"), false, 0, "", "", ""},
		{"rate limited", errs.ErrTooMany, false, 0, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(url.Values{"price": {"sáu mươi"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			c := echo.New().NewContext(req, httptest.NewRecorder())
			f, ok := FormRefusal(c, tc.err)
			if ok != tc.form {
				t.Fatalf("form refusal = %v, want %v", ok, tc.form)
			}
			if !ok {
				return
			}
			if f.Status != tc.status || f.Title != tc.title || f.Error != tc.msg || f.Err("price") != tc.fieldErrKey {
				t.Errorf("got status %d title %q message %q field error %q", f.Status, f.Title, f.Error, f.Err("price"))
			}
			p := Page{Form: f}
			if got := posted(p, "price", int64(65000)); got != "sáu mươi" {
				t.Errorf("posted price = %q, want what was typed", got)
			}
			if got := posted(p, "stock", int64(25)); got != "25" {
				t.Errorf("a field not in the post = %q, want the stored value", got)
			}
		})
	}
	if got := posted(Page{}, "amount", int64(1067000)); got != "1067000" {
		t.Errorf("stored amount = %q, want plain digits", got)
	}
}
