// Package webtest drives the whole Echo application in tests: a real server
// on a fresh, migrated and seeded database (SQLite, and PostgreSQL when
// configured), requests through httptest, and every API response checked
// against the OpenAPI document.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/web"
	"github.com/chocop/ocop/seed"
	"github.com/chocop/ocop/seed/seedtest"
)

// App is a running application under test.
type App struct {
	T      testing.TB
	DB     *gorm.DB
	Config config.Config
	Server *web.Server
	HTTP   *httptest.Server

	signedIn *signedIn // shared by every view of the app (For)
}

// signedIn keeps, per e-mail, a bearer token and a signed-in browser's
// client, so that a table of requests signs each account in once (argon2id
// makes a sign-in cost tens of milliseconds).
type signedIn struct {
	mu      sync.Mutex
	tokens  map[string]string
	clients map[string]*http.Client
}

// For returns a view of the app whose failures are reported to t (a
// subtest): the same server, database and signed-in accounts.
func (a *App) For(t testing.TB) *App {
	c := *a
	c.T = t
	return &c
}

// TokenOf returns a bearer token of the account email (demo password),
// signing it in on first use and reusing the token after that.
func (a *App) TokenOf(email string) string {
	a.T.Helper()
	a.signedIn.mu.Lock()
	tok, ok := a.signedIn.tokens[email]
	a.signedIn.mu.Unlock()
	if ok {
		return tok
	}
	tok = a.Token(email)
	a.signedIn.mu.Lock()
	defer a.signedIn.mu.Unlock()
	a.signedIn.tokens[email] = tok
	return tok
}

// As returns the app's browser for the account email (demo password),
// signed in on first use and kept after that; "" is the app's visitor, who
// is not signed in.
func (a *App) As(email string) *Browser {
	a.T.Helper()
	a.signedIn.mu.Lock()
	c, ok := a.signedIn.clients[email]
	a.signedIn.mu.Unlock()
	if ok {
		return &Browser{app: a, Client: c}
	}
	b := a.Browser()
	if email != "" {
		b.Login(email)
	}
	a.signedIn.mu.Lock()
	defer a.signedIn.mu.Unlock()
	a.signedIn.clients[email] = b.Client
	return b
}

// Option adjusts the configuration before the server is built.
type Option func(*config.Config)

// Each runs fn against a fresh app per dialect (subtests "sqlite" and
// "postgres", dbtest.EachDialect). Every app gets its own database, a copy
// of one that is migrated and seeded once per test binary and dialect
// (seedtest), so a test costs a copy rather than a migration and an
// argon2id-hashing demo seed.
func Each(t *testing.T, fn func(t *testing.T, app *App), opts ...Option) {
	t.Helper()
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) { fn(t, start(t, g, opts)) })
}

// Main runs the package's tests and then drops the PostgreSQL template that
// Each made, which outlives every single test (dbtest.Main). A package whose
// tests use Each calls it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(webtest.Main(m)) }
func Main(m *testing.M) int { return dbtest.Main(m) }

// New builds the app on g (migrated), loads reference and demo data, and
// starts it on a loopback port (for browser tests and real HTTP clients).
func New(t testing.TB, g *gorm.DB, opts ...Option) *App {
	t.Helper()
	if err := seedtest.Fill(context.Background(), g); err != nil {
		t.Fatalf("webtest: %v", err)
	}
	return start(t, g, opts)
}

// start builds the app on g, which already holds the data, and serves it on
// a loopback port.
func start(t testing.TB, g *gorm.DB, opts []Option) *App {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	for _, o := range opts {
		o(&cfg)
	}
	app := &App{T: t, DB: g, signedIn: &signedIn{tokens: map[string]string{}, clients: map[string]*http.Client{}}}
	// The base URL must be known before the server is built (links, QR codes),
	// so the listener is made first.
	ts := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	app.Config = cfg
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := web.New(cfg, log, g)
	if err != nil {
		t.Fatalf("webtest: build server: %v", err)
	}
	app.Server = srv
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	app.HTTP = ts
	return app
}

type testWriter struct{ t testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Response is a finished request with its body read.
type Response struct {
	*http.Response
	Body []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v\n%s", r.Request.URL.Path, err, r.Body)
	}
}

// Req describes a request. Body may be a string, []byte or any value
// (encoded as JSON).
type Req struct {
	Method, Path string
	Body         any
	Token        string // bearer token
	Header       map[string]string
}

// API sends an API request through the handler and validates the response
// (and, for JSON bodies, the request) against the OpenAPI document.
func (a *App) API(r Req) *Response {
	a.T.Helper()
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			a.T.Fatal(err)
		}
	}
	req := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.Server.Handler().ServeHTTP(rec, req)
	res := rec.Result()
	res.Request = req
	out := &Response{Response: res, Body: rec.Body.Bytes()}
	CheckOpenAPI(a.T, req, body, out)
	return out
}

// Token signs in with the demo password and returns a bearer token.
func (a *App) Token(email string) string {
	a.T.Helper()
	res := a.API(Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": email, "password": seed.DemoPassword}})
	if res.StatusCode != http.StatusCreated {
		a.T.Fatalf("sign in %s: %d %s", email, res.StatusCode, res.Body)
	}
	var out struct{ Token string }
	res.JSON(a.T, &out)
	return out.Token
}

var (
	docOnce sync.Once
	doc     *openapi3.T
	router  routers.Router
	docErr  error
)

// Doc loads and validates the merged OpenAPI document once per test binary.
func Doc(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	docOnce.Do(func() {
		var raw []byte
		raw, docErr = web.OpenAPI()
		if docErr != nil {
			return
		}
		loader := openapi3.NewLoader()
		doc, docErr = loader.LoadFromData(raw)
		if docErr != nil {
			return
		}
		if docErr = doc.Validate(context.Background()); docErr != nil {
			return
		}
		router, docErr = legacy.NewRouter(doc)
		openapi3filter.RegisterBodyDecoder("application/yaml", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("image/png", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("image/svg+xml", openapi3filter.PlainBodyDecoder)
	})
	if docErr != nil {
		t.Fatalf("openapi document: %v", docErr)
	}
	return doc, router
}

// CheckOpenAPI fails the test when the route is missing from the OpenAPI
// document, or the response does not match what the document promises.
// Requests with a JSON body are validated too, except those a test sends
// malformed on purpose (which the server must reject with a 4xx).
func CheckOpenAPI(t testing.TB, req *http.Request, body []byte, res *Response) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		return
	}
	_, rt := Doc(t)
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	// The legacy router matches on the server URL; requests are relative.
	vreq.URL = &url.URL{Path: req.URL.Path, RawQuery: req.URL.RawQuery}
	route, params, err := rt.FindRoute(vreq)
	if err != nil {
		t.Fatalf("openapi: %s %s is not in the document: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if res.StatusCode < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("openapi: request %s %s succeeded (%d) but does not match the document: %v", req.Method, req.URL.Path, res.StatusCode, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(res.Body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: response %d to %s %s does not match the document: %v\nbody: %s", res.StatusCode, req.Method, req.URL.Path, err, trim(res.Body))
	}
}

func trim(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// Browser is a cookie-keeping client for page tests over real HTTP.
type Browser struct {
	app    *App
	Client *http.Client
}

// Browser returns a new client with its own cookie jar that does not follow redirects.
func (a *App) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{app: a, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Get fetches a page.
func (b *Browser) Get(path string) *Response {
	b.app.T.Helper()
	res, err := b.Client.Get(b.app.HTTP.URL + path)
	if err != nil {
		b.app.T.Fatal(err)
	}
	return read(b.app.T, res)
}

// CSRF fetches path and returns the CSRF token of its first form.
func (b *Browser) CSRF(path string) string {
	b.app.T.Helper()
	res := b.Get(path)
	m := csrfRe.FindSubmatch(res.Body)
	if m == nil {
		b.app.T.Fatalf("no CSRF token on %s (status %d)", path, res.StatusCode)
	}
	return string(m[1])
}

// Post submits a form. The CSRF token is taken from formPage unless form has one.
func (b *Browser) Post(formPage, path string, form url.Values) *Response {
	b.app.T.Helper()
	if form.Get("_csrf") == "" && formPage != "" {
		form.Set("_csrf", b.CSRF(formPage))
	}
	res, err := b.Client.PostForm(b.app.HTTP.URL+path, form)
	if err != nil {
		b.app.T.Fatal(err)
	}
	return read(b.app.T, res)
}

// Login signs the browser in with the demo password.
func (b *Browser) Login(email string) {
	b.app.T.Helper()
	res := b.Post("/login", "/login", url.Values{"email": {email}, "password": {seed.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		b.app.T.Fatalf("login %s: status %d", email, res.StatusCode)
	}
}

func read(t testing.TB, res *http.Response) *Response {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Response: res, Body: b}
}
