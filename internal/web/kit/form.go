package kit

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Form is a refused form post being shown again: what the visitor typed
// and, per field, the message key of what is wrong with it, so the page
// keeps their work and says beside each field what to fix. Templates reach
// it as .Form of every page (nil on a page that was not posted).
type Form struct {
	Status    int
	Values    url.Values
	Errors    map[string]string // field name → message key
	Title     string            // message key of the kind of refusal ("Conflict")
	Error     string            // message key about the whole form
	ErrorData map[string]any    // parameters of Error
}

const formKey = "form"

// Get returns what the visitor typed into field, or "".
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// At returns the i-th value of a repeated field (table rows), or "".
func (f *Form) At(name string, i int) string {
	if f == nil || i >= len(f.Values[name]) {
		return ""
	}
	return f.Values[name][i]
}

// Has reports whether the post carried field at all, so a page can tell
// "typed empty" from "not part of this form" (several forms on one page).
func (f *Form) Has(name string) bool {
	if f == nil {
		return false
	}
	_, ok := f.Values[name]
	return ok
}

// Err returns the message key of field's error, or "".
func (f *Form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// Messages are the field errors' message keys, each once, in field order,
// for the summary at the top of the page.
func (f *Form) Messages() []string {
	if f == nil {
		return nil
	}
	names := make([]string, 0, len(f.Errors))
	for n := range f.Errors {
		names = append(names, n)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if m := f.Errors[n]; !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// formStatuses are the refusals a form answers by showing itself again:
// what the visitor can fix by editing what they typed. Not found,
// forbidden, rate limits and server errors keep their own pages.
var formStatuses = map[int]bool{
	http.StatusBadRequest:            true,
	http.StatusConflict:              true,
	http.StatusRequestEntityTooLarge: true,
	http.StatusUnsupportedMediaType:  true,
	http.StatusUnprocessableEntity:   true,
}

// FormRefusal reports whether err is a refusal that a form answers by
// showing itself again, and the Form that says so (values of c's post,
// field errors, the reason in a message key).
func FormRefusal(c echo.Context, err error) (*Form, bool) {
	if err == nil {
		return nil, false
	}
	status := StatusOf(err)
	if !formStatuses[status] {
		return nil, false
	}
	f := &Form{Status: status, Errors: FormErrors(err), Values: url.Values{}}
	if status != http.StatusRequestEntityTooLarge { // the body was not read whole: nothing to keep
		if vs, perr := c.FormParams(); perr == nil {
			f.Values = vs
		}
	}
	f.Error, f.ErrorData = errs.Reason(err), errs.ReasonData(err)
	switch {
	case f.Error != "":
	case len(f.Errors) > 0:
		f.Error = "register.fix_errors"
	case status == http.StatusConflict || status == http.StatusRequestEntityTooLarge:
		f.Error = "error." + strconv.Itoa(status) + ".message"
	default:
		f.Error = "error.400.message"
	}
	f.Title = "error.400.title"
	if status == http.StatusConflict || status == http.StatusRequestEntityTooLarge {
		f.Title = "error." + strconv.Itoa(status) + ".title"
	}
	return f, true
}

// RenderForm answers a refused form post by showing its page again: when
// err is a form refusal (FormRefusal), page is called — the GET handler of
// the page the form is on, which reads the same route parameters — and
// renders with the refusal's status, the values kept and each field's
// error beside it (every template reads .Form). Any other error goes to the
// error handler as it is.
func RenderForm(c echo.Context, err error, page echo.HandlerFunc) error {
	f, ok := FormRefusal(c, err)
	if !ok {
		return err
	}
	c.Set(formKey, f)
	return page(c)
}

// FormOf returns the refused form being shown again on this request, or nil.
func FormOf(c echo.Context) *Form {
	f, _ := c.Get(formKey).(*Form)
	return f
}

// posted is what a form field shows: what the visitor typed when their
// post was refused (and carried the field), else def, the stored value.
func posted(p Page, name string, def any) string {
	if p.Form.Has(name) {
		return p.Form.Get(name)
	}
	return valueString(def)
}

// postedAt is posted for the i-th value of a repeated field.
func postedAt(p Page, name string, i int, def any) string {
	if p.Form.Has(name) {
		return p.Form.At(name, i)
	}
	return valueString(def)
}

// valueString writes a stored value into a form field: numbers as plain
// digits (an <input type=number> never takes "1.067.000").
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
