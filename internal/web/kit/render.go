package kit

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/i18n"
	"github.com/chocop/ocop/internal/platform/money"
)

// Renderer holds every page, parsed once at start: a missing or broken
// template stops the program before it serves anything.
type Renderer struct {
	pages map[string]*template.Template
}

// Page is what every template gets: the visitor's language, user, CSRF
// token and path, and the handler's own Data.
type Page struct {
	Lang  string
	User  *account.User
	CSRF  string
	Path  string
	Flash string
	Form  *Form // a refused post shown again (RenderForm), else nil
	// Unread is the signed-in person's unread notifications: the number on
	// the bell in the header (set by notifyweb's middleware on page routes).
	Unread int64
	Data   any
}

// CartFormView is the data of the "add-to-cart" partial.
type CartFormView struct {
	Lang, CSRF string
	VariantID  int64
	Stock      int64
}

// FieldView is the data of the "field" partial.
type FieldView struct {
	Lang, Name, Type, Label, Value, Autocomplete, Error string
	Required                                            bool
}

// RowCellView is one input of a table of repeated rows (a product's
// variants): the value kept and the row's error beside it.
type RowCellView struct {
	Lang, Name, ID, Label, Value, Error string
	Numeric                             bool
}

// rowCell builds the i-th input named name of a table whose errors are
// keyed rows[i].field (the validator's path); label is already translated.
func rowCell(p Page, rows string, i int, name, field, label string, value any) RowCellView {
	numeric := false
	switch value.(type) {
	case int, int64, float64:
		numeric = true
	}
	switch value {
	case 0, int64(0), 0.0:
		value = "" // an empty row shows empty fields, not zeros
	}
	return RowCellView{Lang: p.Lang, Name: name, ID: name + "-" + strconv.Itoa(i), Label: label + " " + strconv.Itoa(i+1),
		Value: postedAt(p, name, i, value), Error: p.Form.Err(rows + "[" + strconv.Itoa(i) + "]." + field), Numeric: numeric}
}

// NewRenderer parses the layout, the partials and every page of fsys, with
// the functions templates use (messages, asset URLs, money, dates).
func NewRenderer(fsys fs.FS, msgs *i18n.Bundle, a *Assets) (*Renderer, error) {
	funcs := template.FuncMap{
		"t":     msgs.T,
		"asset": a.URL,
		"vnd":   money.VND,
		"date":  func(d day.Date) string { return d.VN() },
		// ldate and ltime write a date, or a stored UTC instant in Vietnam
		// time, in the reader's format: 31/12/2025 in Vietnamese, 31 Dec 2025 in English.
		"ldate": func(lang string, d day.Date) string { return d.Local(lang) },
		"ltime": localTime,
		// vntime and vndate show a stored UTC instant in Vietnam time.
		"vntime": VNTime,
		"vndate": func(t time.Time) string { return t.In(day.Zone).Format("02/01/2006") },
		"csrfField": func(token string) template.HTML {
			return template.HTML(`<input type="hidden" name="_csrf" value="` + template.HTMLEscapeString(token) + `">`)
		},
		"field": func(p Page, name, typ, label, value, autocomplete string, required bool) FieldView {
			return FieldView{Lang: p.Lang, Name: name, Type: typ, Label: label, Value: posted(p, name, value), Autocomplete: autocomplete, Required: required, Error: p.Form.Err(name)}
		},
		// posted and postedAt fill a field with what the visitor typed when
		// their post was refused, else with the stored value; ferr is the
		// message key of a field's error.
		"posted":   posted,
		"postedAt": postedAt,
		"ferr":     func(p Page, name string) string { return p.Form.Err(name) },
		"rowCell":  rowCell,
		"fieldErr": func(p Page, name, typ, label, value, autocomplete string, required bool, errors map[string]string) FieldView {
			return FieldView{Lang: p.Lang, Name: name, Type: typ, Label: label, Value: value, Autocomplete: autocomplete, Required: required, Error: errors[name]}
		},
		"cartForm": func(p Page, variantID, stock int64) CartFormView {
			return CartFormView{Lang: p.Lang, CSRF: p.CSRF, VariantID: variantID, Stock: stock}
		},
		"stars": func(n int) string { return strings.Repeat("★", n) },
		"add":   func(a, b int) int { return a + b },
	}
	base := template.New("").Funcs(funcs)
	base, err := base.ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	names, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", n, err)
		}
		r.pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return r, nil
}

// Render writes page with status. Rendering into a buffer first means a
// template error becomes a clean 500, never half a page.
func (r *Renderer) Render(c echo.Context, status int, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	p := PageOf(c)
	p.Data = data
	if p.Form != nil && status == http.StatusOK {
		status = p.Form.Status // the page of a refused form, shown again by RenderForm
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return Blob(c, status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
}

// RenderString executes page's layout with p, for pages that are cached
// whole; the caller fills in anything per-visitor (the CSRF token).
func (r *Renderer) RenderString(page string, p Page) (string, error) {
	return r.RenderBlock(page, "layout", p)
}

// RenderBlock executes one named template of page with p, for the part of
// a page that is cached on its own (a product's body).
func (r *Renderer) RenderBlock(page, block string, p Page) (string, error) {
	t, ok := r.pages[page]
	if !ok {
		return "", fmt.Errorf("render: no page %q", page)
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		return "", fmt.Errorf("render %s: %w", page, err)
	}
	return buf.String(), nil
}

// Render writes page with status and the common page fields of c.
func (k *Kit) Render(c echo.Context, status int, page string, data any) error {
	return k.Pages.Render(c, status, page, data)
}

// HasFlash reports whether a one-time message waits for this request, which
// makes its page personal.
func HasFlash(c echo.Context) bool {
	f, err := c.Cookie(flashCookie)
	return err == nil && f.Value != ""
}

// PageOf builds the common page fields for the current request. It
// consumes the one-time message: the page that shows it clears its cookie.
func PageOf(c echo.Context) Page {
	p := Page{Lang: LangOf(c), User: UserOf(c), Path: c.Request().URL.Path, CSRF: CSRFToken(c), Form: FormOf(c), Unread: unreadOf(c)}
	if f, err := c.Cookie(flashCookie); err == nil && f.Value != "" {
		p.Flash = f.Value
		c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	}
	return p
}

// Blob answers b whole, with its Content-Length: without it net/http sends
// any body over its 2 KB buffer chunked, which costs the framing on both
// sides of every page. (The gzip middleware drops the length when it
// compresses.)
func Blob(c echo.Context, code int, contentType string, b []byte) error {
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.Blob(code, contentType, b)
}
