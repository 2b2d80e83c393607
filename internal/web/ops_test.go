package web_test

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/frontend"
	"github.com/chocop/ocop/internal/web/webtest"
)

// get sends a GET over real HTTP with extra headers and reads the body as sent.
func get(t *testing.T, app *webtest.App, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, app.HTTP.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// A transport of its own, so that Go does not decompress gzip for us.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// TestOperations covers what operators and browsers rely on: security
// headers, health, readiness, metrics, gzip, request ids, static assets,
// the language switch and error pages.
func TestOperations(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		o := ops{app}
		for _, c := range []struct {
			name string
			run  func(t *testing.T)
		}{
			{"security headers on pages and API", o.securityHeaders},
			{"health, language and error pages", o.scenarios},
			{"metrics count requests by route, on their own listener only", o.metrics},
			{"gzip", o.gzip},
			{"request id", o.requestID},
			{"static assets, the stylesheet bundle among them, are fingerprinted and cached long", o.staticAssets},
			{"database down: readyz 503, error pages leak nothing", o.databaseDown}, // last: it closes the database
		} {
			t.Run(c.name, c.run)
		}
	})
}

// ops are TestOperations' checks, on one app.
type ops struct{ app *webtest.App }

func (o ops) securityHeaders(t *testing.T) {
	for _, p := range []string{"/", "/login", "/api/v1/me", "/no-such-page"} {
		res, _ := get(t, o.app, p, nil)
		csp := res.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", p, csp)
		}
		for h, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin"} {
			if got := res.Header.Get(h); got != v {
				t.Errorf("%s: %s = %q, want %q", p, h, got, v)
			}
		}
		if res.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain HTTP in dev", p)
		}
	}
}

// scenarios: health and readiness, the language switch (which never sends
// a visitor off the site) and the 404 page in the visitor's language.
func (o ops) scenarios(t *testing.T) {
	table := []webtest.Scenario{
		{Name: "healthz", URL: "/healthz", Status: 200, Check: bodyIs("ok")},
		{Name: "readyz", URL: "/readyz", Status: 200, Check: bodyIs("ready")},
		{Name: "404 in Vietnamese by default", URL: "/no-such-page", Fresh: true, Header: map[string]string{"Accept-Language": "en-US,en;q=0.9"},
			Status: 404, Contains: []string{"Không tìm thấy trang", `lang="vi"`}},
	}
	for _, p := range []string{"/no-such-page", "/static/css/nope.00000000.css"} {
		table = append(table, webtest.Scenario{Name: p + " in English by choice", URL: p, Fresh: true, Header: map[string]string{"Cookie": "ocop_lang=en"},
			Status: 404, Contains: []string{"Page not found", `lang="en"`}})
	}
	for _, tc := range []struct{ next, want string }{
		{"/login", "/login"},
		{"/products?q=v%E1%BB%8Bt", "/products?q=v%E1%BB%8Bt"},
		{"//evil.example", "/"},
		{"https://evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"", "/"},
	} {
		table = append(table, webtest.Scenario{Name: "language switch, next=" + tc.next, URL: "/lang/en?next=" + url.QueryEscape(tc.next), Fresh: true,
			Status: 303, Location: tc.want, Check: languageCookie("en")})
	}
	webtest.RunScenarios(t, o.app, table)
}

// bodyIs checks that the answer's body is exactly want.
func bodyIs(want string) func(*testing.T, *webtest.App, *webtest.Response) {
	return func(t *testing.T, _ *webtest.App, res *webtest.Response) {
		if string(res.Body) != want {
			t.Errorf("body %q, want %q", res.Body, want)
		}
	}
}

// languageCookie checks that the answer sets the language cookie to lang
// for about a year.
func languageCookie(lang string) func(*testing.T, *webtest.App, *webtest.Response) {
	return func(t *testing.T, _ *webtest.App, res *webtest.Response) {
		var got string
		for _, c := range res.Cookies() {
			if c.Name == "ocop_lang" {
				got = c.Value
				if c.MaxAge < 300*24*3600 {
					t.Errorf("language cookie lasts %ds, want about a year", c.MaxAge)
				}
			}
		}
		if got != lang {
			t.Errorf("language cookie %q, want %s", got, lang)
		}
	}
}

func (o ops) metrics(t *testing.T) {
	get(t, o.app, "/login", nil)
	if res, _ := get(t, o.app, "/metrics", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public listener: %d, want 404", res.StatusCode)
	}
	rec := httptest.NewRecorder()
	o.app.Server.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	res, body := rec.Result(), rec.Body.Bytes()
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	for _, m := range []string{`ocop_http_requests_total{method="GET",route="/login",status="200"}`, "ocop_http_request_duration_seconds_bucket", "go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(string(body), m) {
			t.Errorf("metrics lack %s", m)
		}
	}
}

func (o ops) gzip(t *testing.T) {
	res, body := get(t, o.app, "/", map[string]string{"Accept-Encoding": "gzip"})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !strings.Contains(string(plain), "Chợ OCOP") {
		t.Fatalf("gunzipped home page is wrong (%v): %.200s", err, plain)
	}
	if res, _ := get(t, o.app, "/", nil); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("compressed for a client that did not ask")
	}
}

func (o ops) requestID(t *testing.T) {
	a, _ := get(t, o.app, "/", nil)
	b, _ := get(t, o.app, "/", nil)
	ida, idb := a.Header.Get("X-Request-Id"), b.Header.Get("X-Request-Id")
	if ida == "" || ida == idb {
		t.Errorf("request ids %q and %q, want two different non-empty ids", ida, idb)
	}
	c, _ := get(t, o.app, "/healthz", map[string]string{"X-Request-Id": "from-the-proxy"})
	if c.Header.Get("X-Request-Id") != "from-the-proxy" {
		t.Errorf("an incoming request id is not kept: %q", c.Header.Get("X-Request-Id"))
	}
}

func (o ops) staticAssets(t *testing.T) {
	_, page := get(t, o.app, "/", nil)
	hrefs := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(hrefs) < 3 {
		t.Fatalf("home page links %d static assets, want the CSS, icon and htmx", len(hrefs))
	}
	// The layout links one stylesheet, the site's bundle: the other stylesheets
	// are in it (a page of one area adds its own in its head).
	sheets := regexp.MustCompile(`<link rel="stylesheet" href="/static/([^"]+)\.[0-9a-f]{8}\.css">`).FindAllStringSubmatch(string(page), -1)
	if len(sheets) != 1 || sheets[0][1]+".css" != frontend.SiteCSS {
		t.Errorf("home page links the stylesheets %v, want %s alone", sheets, frontend.SiteCSS)
	}
	fp := regexp.MustCompile(`^/static/(.+)\.([0-9a-f]{8})(\.[a-z]+)$`)
	for _, h := range hrefs {
		u := h[1]
		m := fp.FindStringSubmatch(u)
		if m == nil {
			t.Errorf("asset URL %s carries no content hash", u)
			continue
		}
		src, err := fs.ReadFile(frontend.Static(), m[1]+m[3])
		if m[1]+m[3] == frontend.SiteCSS {
			src, err = joined(frontend.SiteCSSParts())
		}
		if err != nil {
			t.Errorf("asset %s: no source file: %v", u, err)
			continue
		}
		sum := sha256.Sum256(src)
		if hex.EncodeToString(sum[:4]) != m[2] {
			t.Errorf("asset %s: hash does not match its content", u)
		}
		res, body := get(t, o.app, u, nil)
		if res.StatusCode != 200 || string(body) != string(src) {
			t.Errorf("GET %s: %d, %d bytes (want %d)", u, res.StatusCode, len(body), len(src))
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: Cache-Control %q, want a year and immutable", u, cc)
		}
		if strings.HasSuffix(u, ".css") && !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			t.Errorf("GET %s: Content-Type %q", u, res.Header.Get("Content-Type"))
		}
	}
	for _, u := range []string{"/static/css/app.deadbeef.css", "/static/css/app.css", "/static/../go.mod", "/static/img/nope.svg"} {
		if res, _ := get(t, o.app, u, nil); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", u, res.StatusCode)
		}
	}
}

// joined is the static files names, one after the other: what a bundle serves.
func joined(names []string) ([]byte, error) {
	var out []byte
	for _, n := range names {
		b, err := fs.ReadFile(frontend.Static(), n)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

func (o ops) databaseDown(t *testing.T) {
	sqlDB, err := o.app.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
	if res, body := get(t, o.app, "/readyz", nil); res.StatusCode != 503 || strings.Contains(string(body), "closed") {
		t.Errorf("readyz with the database closed: %d %q, want 503 without detail", res.StatusCode, body)
	}
	if res, _ := get(t, o.app, "/healthz", nil); res.StatusCode != 200 {
		t.Errorf("healthz must not depend on the database: %d", res.StatusCode)
	}
	res, body := get(t, o.app, "/", nil)
	if res.StatusCode != 500 || !strings.Contains(string(body), "Đã có lỗi") {
		t.Errorf("home with the database closed: %d, want the 500 page", res.StatusCode)
	}
	api, apiBody := get(t, o.app, "/api/v1/me", map[string]string{"Authorization": "Bearer ocop_x"})
	if api.StatusCode != 500 || !strings.HasPrefix(api.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("API with the database closed: %d %s, want a 500 problem", api.StatusCode, api.Header.Get("Content-Type"))
	}
	for _, leak := range []string{"sql", "database is closed", "gorm", ".go:", "goroutine", "panic", "SELECT"} {
		if strings.Contains(string(body), leak) || strings.Contains(string(apiBody), leak) {
			t.Errorf("error answer leaks %q:\npage: %.300s\napi: %s", leak, body, apiBody)
		}
	}
}
