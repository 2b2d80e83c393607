package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
)

// badText is text no person typed: each must be refused wherever it appears.
var badText = []struct{ name, value string }{
	{"NUL", "a\x00b"},
	{"invalid UTF-8", "a\xffb"},
	{"control character", "a\x01b"},
	{"escape", "a\x1bb"},
}

// TestBadTextIsRefusedOnEveryRoute walks Echo's route table (every method
// and path, anonymous ones included) and sends a NUL, invalid UTF-8 and C0
// controls in the path, the query, a form field, a JSON value (top level
// and nested), and a multipart field and file name, signed in with the
// role the route wants. Every answer is 400 naming the field, never 5xx,
// and no table changes, on both dialects.
func TestBadTextIsRefusedOnEveryRoute(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		creds := signInEveryRole(t, app)
		before := app.Snapshot()
		sent := 0
		for _, rt := range app.Server.Routes() {
			switch rt.Method {
			case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
			default:
				continue // Echo's not-found entries
			}
			c := creds.forPath(rt.Path)
			for _, bad := range badText {
				for _, tc := range badRequests(rt.Method, rt.Path, bad.value) {
					req := tc.req
					c.apply(req)
					rec := httptest.NewRecorder()
					app.Server.Handler().ServeHTTP(rec, req)
					if strings.HasPrefix(req.URL.Path, "/api/") && !(tc.where == "path" && tc.field == "") {
						// The answer must be one the OpenAPI document promises
						// (a changed path without a parameter is no documented route).
						webtest.CheckOpenAPI(t, req, nil, &webtest.Response{Response: rec.Result(), Body: rec.Body.Bytes()})
					}
					sent++
					where := fmt.Sprintf("%s %s with %s in the %s", rt.Method, rt.Path, bad.name, tc.where)
					if strings.HasPrefix(rt.Path, "/webhooks/") && tc.body {
						// Webhook bodies are raw, signed bytes, not text fields: refused by the signature.
						if rec.Code < 400 || rec.Code >= 500 {
							t.Errorf("%s: %d, want a 4xx", where, rec.Code)
						}
						continue
					}
					if rec.Code != http.StatusBadRequest {
						t.Errorf("%s: %d, want 400\n%s", where, rec.Code, clip(rec.Body.String()))
						continue
					}
					body := rec.Body.String()
					if tc.field == "-" {
						continue
					}
					if strings.HasPrefix(req.URL.Path, "/api/") || strings.HasPrefix(req.URL.Path, "/webhooks/") {
						var p struct {
							Errors []struct{ Name string } `json:"errors"`
						}
						if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") || json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Errors) != 1 || p.Errors[0].Name == "" || (tc.field != "" && p.Errors[0].Name != tc.field) {
							t.Errorf("%s: the problem does not name %q: %s", where, tc.field, clip(body))
						}
					} else if !strings.Contains(body, "“"+tc.field) || !strings.Contains(body, "ký tự không hợp lệ") {
						t.Errorf("%s: the page does not name %q in Vietnamese:\n%s", where, tc.field, clip(body))
					}
				}
			}
		}
		if sent < 1000 {
			t.Fatalf("only %d requests sent: the route walk is broken", sent)
		}
		app.Unchanged(before)
	})
}

// TestBadTextPageSpeaksTheVisitorsLanguage: the 400 page is in English for
// a visitor who chose English, and a JSON value with a control character
// deep in a list is named by its path.
func TestBadTextPageSpeaksTheVisitorsLanguage(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		req := httptest.NewRequest("GET", "/products?q=vit%00quay", nil)
		req.AddCookie(&http.Cookie{Name: "ocop_lang", Value: "en"})
		rec := httptest.NewRecorder()
		app.Server.Handler().ServeHTTP(rec, req)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "The field “q” holds characters that are not allowed") {
			t.Errorf("English visitor: %d\n%s", rec.Code, clip(rec.Body.String()))
		}
		// Tabs and newlines are fine in a form or JSON value (a description), not in a query.
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: "{\"email\":\"tab@example.com\",\"name\":\"Tab\\tName\\nOK\",\"password\":\"longenough\"}"})
		if res.StatusCode != http.StatusCreated {
			t.Errorf("a tab and a newline in a JSON value: %d %s", res.StatusCode, res.Body)
		}
		res = app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: "{\"email\":\"x@example.com\",\"name\":\"Tab\\bName\",\"password\":\"longenough\"}"})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), `"name":"name"`) {
			t.Errorf("a backspace escape in a JSON value: %d %s", res.StatusCode, res.Body)
		}
	})
}

type badCase struct {
	where, field string
	body         bool
	req          *http.Request
}

// badRequests builds one request per place bad text can go for a route.
func badRequests(method, route, bad string) []badCase {
	esc := url.QueryEscape(bad)
	segs := strings.Split(route, "/")
	pathParam, injected := "", false
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, ":") || s == "*":
			segs[i] = "x"
			if !injected {
				segs[i], injected = "x"+esc, true
				pathParam = strings.TrimPrefix(s, ":")
				if s == "*" {
					pathParam = "path"
				}
			}
		}
	}
	plain := strings.ReplaceAll(strings.ReplaceAll(route, "*", "x"), "/:", "/x")
	for strings.Contains(plain, ":") { // a param not at a segment start (none today)
		plain = strings.Replace(plain, ":", "x", 1)
	}
	withBad := strings.Join(segs, "/")
	if !injected {
		// Another route may match the changed path (/portal/products/new →
		// /portal/products/:slug), so any field name will do here.
		withBad, pathParam = strings.TrimSuffix(plain, "/")+esc, ""
		if plain == "/" {
			withBad = "/x" + esc
		}
	}
	out := []badCase{
		{where: "path", field: pathParam, req: httptest.NewRequest(method, withBad, nil)},
		{where: "query", field: "q", req: httptest.NewRequest(method, plain+"?page=1&q="+esc, nil)},
	}
	if method == http.MethodGet {
		return out
	}
	form := httptest.NewRequest(method, plain, strings.NewReader("ok=1&name="+esc))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// json.Marshal writes invalid UTF-8 as U+FFFD: put the raw bytes back.
	js, _ := json.Marshal(map[string]any{"ok": "fine", "name": bad})
	top := httptest.NewRequest(method, plain, bytes.NewReader(bytes.ReplaceAll(js, []byte("\uFFFD"), []byte("\xff"))))
	top.Header.Set("Content-Type", "application/json")
	nestedJS, _ := json.Marshal(map[string]any{"variants": []any{map[string]string{"name": "ok"}, map[string]string{"name": bad}}})
	nested := httptest.NewRequest(method, plain, bytes.NewReader(bytes.ReplaceAll(nestedJS, []byte("\uFFFD"), []byte("\xff"))))
	nested.Header.Set("Content-Type", "application/json; charset=utf-8")
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("kind", bad) // writes into a bytes.Buffer, which cannot fail
	_ = w.Close()                 // writes into a bytes.Buffer, which cannot fail
	multi := httptest.NewRequest(method, plain, bytes.NewReader(mp.Bytes()))
	multi.Header.Set("Content-Type", w.FormDataContentType())
	var mpf bytes.Buffer
	w = multipart.NewWriter(&mpf)
	fw, _ := w.CreateFormFile("file", "don"+bad+".pdf")
	_, _ = fw.Write([]byte("%PDF-1.4 \x00\x01\xff binary content is not text")) // writes into a bytes.Buffer, which cannot fail
	_ = w.Close()                                                               // writes into a bytes.Buffer, which cannot fail
	file := httptest.NewRequest(method, plain, bytes.NewReader(mpf.Bytes()))
	file.Header.Set("Content-Type", w.FormDataContentType())
	return append(out,
		badCase{where: "form", field: "name", body: true, req: form},
		badCase{where: "JSON", field: "name", body: true, req: top},
		badCase{where: "nested JSON", field: "variants[1].name", body: true, req: nested},
		badCase{where: "multipart field", field: "kind", body: true, req: multi},
		// A control character in a part header makes the form unreadable: 400, no field to name.
		badCase{where: "multipart file name", field: "-", body: true, req: file},
	)
}

// roleCreds are a bearer token and a signed-in browser's cookies for one role.
type roleCreds struct {
	token   string
	cookies []*http.Cookie
	csrf    string
}

type allCreds map[string]roleCreds

// forPath picks the role a route is for: its area's role, else a shopper.
func (a allCreds) forPath(p string) roleCreds {
	for _, prefix := range []string{"portal", "registry", "admin"} {
		if strings.HasPrefix(p, "/"+prefix) || strings.HasPrefix(p, "/api/v1/"+prefix) {
			return a[prefix]
		}
	}
	return a["shopper"]
}

func (c roleCreds) apply(r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		r.Header.Set("Authorization", "Bearer "+c.token)
		return
	}
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	r.Header.Set("X-CSRF-Token", c.csrf)
}

func signInEveryRole(t *testing.T, app *webtest.App) allCreds {
	t.Helper()
	out := allCreds{}
	for role, email := range map[string]string{"shopper": "shopper@example.com", "portal": "producer@example.com", "registry": "officer@example.com", "admin": "admin@example.com"} {
		b := app.Browser()
		b.Login(email)
		csrf := b.CSRF("/account")
		u, _ := url.Parse(app.HTTP.URL)
		out[role] = roleCreds{token: app.Token(email), cookies: b.Client.Jar.Cookies(u), csrf: csrf}
	}
	return out
}
