package kit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
)

// RefuseBadText answers 400, naming the field, when a request's path,
// query, form or JSON holds text that no person typed and no column should
// keep: a NUL byte, invalid UTF-8, or a control character (in a path or
// query any C0 control; in a form or JSON value any but tab, CR and LF).
// PostgreSQL refuses NUL and invalid UTF-8 in text, so without this they
// were 500s on about 25 routes, anonymous ones included.
//
// It runs for every route, before authentication, so no handler, service
// or store ever sees such text. What is not text is left alone: file
// contents in a multipart upload (their names are checked), raw uploads,
// and webhook bodies, which are checked by signature on their exact bytes.
//
// maxUpload is the largest body any route accepts (a photo upload): a
// multipart form is read up to it to check its text fields.
func (k *Kit) RefuseBadText(maxUpload int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return k.refuseBadText(maxUpload, next)
	}
}

func (k *Kit) refuseBadText(maxUpload int64, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		field, err := badTextField(c, maxUpload)
		if err != nil {
			return err
		}
		if field == "" {
			return next(c)
		}
		field = printableName(field)
		if IsAPI(c) || c.Request().Method == http.MethodHead {
			return &errs.ValidationError{Fields: []errs.FieldError{{Field: field, Message: "validation.text"}}}
		}
		c.Set(langKey, ResolveLang(c))
		return k.Pages.Render(c, http.StatusBadRequest, "bad_input", map[string]string{"Field": field})
	}
}

// badTextField returns the name of the first field holding bad text, or "".
// The body, when read, is put back for the handler.
func badTextField(c echo.Context, maxUpload int64) (string, error) {
	r := c.Request()
	for i, name := range c.ParamNames() {
		if i < len(c.ParamValues()) && !cleanText(c.ParamValues()[i], false) {
			if name == "*" {
				name = "path"
			}
			return name, nil
		}
	}
	if !cleanText(r.URL.Path, false) {
		return "path", nil
	}
	if f := badValues(queryValues(r.URL.RawQuery), false); f != "" {
		return f, nil
	}
	if strings.HasPrefix(r.URL.Path, "/webhooks/") || r.Body == nil || r.Body == http.NoBody {
		return "", nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	switch {
	case mt == echo.MIMEApplicationForm:
		body, ok := peekBody(r, DefaultBodyLimit)
		if !ok {
			return "", nil // too big or unreadable: the route's own limit answers
		}
		return badValues(queryValues(string(body)), true), nil
	case mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"):
		body, ok := peekBody(r, DefaultBodyLimit)
		if !ok {
			return "", nil
		}
		return badJSONField(body), nil
	case mt == echo.MIMEMultipartForm:
		if r.ContentLength > maxUpload {
			return "", nil // the route's body limit refuses it without reading
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxUpload)
		// Held in memory, as Echo's own parse would: no upload is larger.
		if err := r.ParseMultipartForm(maxUpload); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return "", echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the body is too large")
			}
			// Malformed (a control character in a part header, a broken
			// boundary): the body is spent, so answer here.
			return "", echo.NewHTTPError(http.StatusBadRequest, "the multipart form could not be read")
		}
		if f := badValues(r.MultipartForm.Value, true); f != "" {
			return f, nil
		}
		for name, files := range r.MultipartForm.File {
			for _, fh := range files {
				if !cleanText(fh.Filename, false) {
					return name, nil
				}
			}
		}
	}
	return "", nil
}

// queryValues parses a query string or form body. Malformed escapes are
// skipped here; the values that do parse are still checked.
func queryValues(raw string) url.Values {
	v, _ := url.ParseQuery(raw) // partial result on error, by design
	return v
}

// badValues returns the first key whose name or a value is not clean text.
func badValues(vs map[string][]string, multiline bool) string {
	for k, list := range vs {
		if !cleanText(k, false) {
			return k
		}
		for _, v := range list {
			if !cleanText(v, multiline) {
				return k
			}
		}
	}
	return ""
}

// cleanText reports whether s is valid UTF-8 without control characters
// (C0 and DEL, which nobody types); multiline text may hold tabs, CR and LF.
func cleanText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 0x20 && b != 0x7f {
			continue
		}
		if multiline && (b == '\t' || b == '\n' || b == '\r') {
			continue
		}
		return false
	}
	return true
}

// peekBody reads up to limit bytes of r's body and puts them back. ok is
// false when the body is longer than limit or could not be read; the
// handler then meets the same body (and its limit) as if nothing was read.
func peekBody(r *http.Request, limit int64) (body []byte, ok bool) {
	if r.ContentLength > limit {
		return nil, false
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil || int64(len(buf)) > limit {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(buf))
	return buf, true
}

// badJSONField returns the path ("variants[1].name") of the first key or
// string value in body that is invalid UTF-8 or holds a control character
// other than tab, CR and LF, or "" when there is none. Malformed JSON is
// not judged here: the binder answers it.
//
// encoding/json replaces invalid UTF-8 with U+FFFD while decoding, so the
// raw bytes of each string token are checked as well as its decoded value.
func badJSONField(body []byte) string {
	if utf8.Valid(body) && bytes.IndexByte(body, '\\') < 0 {
		return "" // raw control characters inside JSON strings are a syntax error anyway
	}
	type frame struct {
		object  bool
		key     string
		index   int
		wantKey bool
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		if b.Len() == 0 {
			return "body"
		}
		return b.String()
	}
	advance := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.wantKey = true
		} else {
			f.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	prev := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "" // the end, or malformed JSON for the binder to report
		}
		off := dec.InputOffset()
		raw := body[prev:off] // the token and the separators before it: all ASCII but the string itself
		prev = off
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			top := (*frame)(nil)
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			}
			if top != nil && top.object && top.wantKey {
				top.key, top.wantKey = v, false
				if !utf8.Valid(raw) || !cleanText(v, false) {
					return path()
				}
				continue
			}
			if !utf8.Valid(raw) || !cleanText(v, true) {
				return path()
			}
			advance()
		default:
			advance()
		}
	}
}

// printableName makes a field name safe to show: an attacker chose it.
func printableName(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if len(s) > 64 {
		s = s[:64]
		s = strings.ToValidUTF8(s, "")
	}
	if s == "" {
		return "body"
	}
	return s
}
