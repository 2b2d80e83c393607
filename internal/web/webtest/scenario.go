package webtest

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Scenario is one request to the app and what must come back, in the shape
// of pocketbase's ApiScenario: a table of them reads as the rules of a
// route. RunScenarios sends each and checks the answer.
//
// An API request (a URL under /api/ or /webhooks/) goes through the handler
// and is checked against the OpenAPI document (App.API); a page request goes
// over real HTTP through a cookie-keeping browser, with the CSRF token an
// unsafe request needs (App.As).
type Scenario struct {
	// Name is the subtest's name; "METHOD URL as who" when empty.
	Name string
	// Method is the HTTP method; GET when empty.
	Method string
	// URL is the path and query of the request.
	URL string
	// As is the e-mail of the account the request is made as (a demo account
	// or one the test made, with the demo password); "" for a visitor. An API
	// request carries its bearer token, a page request its session cookie.
	As string
	// Body of an API request: a string, []byte or a value sent as JSON.
	Body any
	// Form of a page request, sent url-encoded with a CSRF token (see CSRF).
	Form url.Values
	// CSRF is the token an unsafe page request carries: the browser's own
	// unless told otherwise.
	CSRF CSRF
	// FormPage is the page the browser's CSRF token is read from: "/login"
	// for a visitor and "/" (the header's sign-out form) for a signed-in user
	// when empty.
	FormPage string
	// Header holds extra request headers.
	Header map[string]string
	// Fresh sends a page request from a new browser (signed in as As) rather
	// than the one the app keeps for As.
	Fresh bool

	// Status is the status code the answer must have.
	Status int
	// Location is the redirect target the answer must name, when set.
	Location string
	// Contains are texts the body must hold; NotContains, texts it must not.
	// A page's body is read with its HTML entities decoded as well.
	Contains, NotContains []string
	// Unchanged asks that no row of any table changed (App.Snapshot): the
	// check of every refused request.
	Unchanged bool

	// Before runs before the request (to set the database up).
	Before func(t *testing.T, app *App)
	// Check runs after the other checks, to read the database or the answer.
	Check func(t *testing.T, app *App, res *Response)
}

// CSRF is the token an unsafe page request of a Scenario carries.
type CSRF int

// The tokens a Scenario's page request may carry.
const (
	// OwnToken is the browser's own token, read from the form page.
	OwnToken CSRF = iota
	// NoToken sends the request without a token (the cookie still goes).
	NoToken
	// ForgedToken sends a token the server never issued.
	ForgedToken
	// OtherVisitorsToken sends a token the server issued to another browser.
	OtherVisitorsToken
)

// RunScenarios runs each scenario as a subtest on app, in order: a scenario
// sees what the ones before it changed. Wrap it in Each (or use Scenarios)
// to run the table on both dialects.
func RunScenarios(t *testing.T, app *App, table []Scenario) {
	t.Helper()
	for _, sc := range table {
		t.Run(sc.name(), func(t *testing.T) { sc.run(t, app.For(t)) })
	}
}

// Scenarios runs the table on a fresh app per dialect (Each).
func Scenarios(t *testing.T, table []Scenario, opts ...Option) {
	t.Helper()
	Each(t, func(t *testing.T, app *App) { RunScenarios(t, app, table) }, opts...)
}

func (sc Scenario) name() string {
	if sc.Name != "" {
		return sc.Name
	}
	who := sc.As
	if who == "" {
		who = "a visitor"
	}
	return fmt.Sprintf("%s %s as %s", sc.method(), sc.URL, who)
}

func (sc Scenario) method() string {
	if sc.Method == "" {
		return http.MethodGet
	}
	return sc.Method
}

// IsAPI tells whether a path is served by the JSON API (bearer tokens,
// problem+json errors, the OpenAPI document) rather than by pages.
func IsAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/webhooks/")
}

func (sc Scenario) run(t *testing.T, app *App) {
	t.Helper()
	if sc.Before != nil {
		sc.Before(t, app)
	}
	var before Tables
	if sc.Unchanged {
		before = app.Snapshot()
	}
	var res *Response
	if IsAPI(sc.URL) {
		res = sc.api(app)
	} else {
		res = sc.page(app)
	}
	body := string(res.Body)
	if res.StatusCode != sc.Status {
		t.Fatalf("%s %s as %q: status %d, want %d\n%s", sc.method(), sc.URL, sc.As, res.StatusCode, sc.Status, clip(body))
	}
	if sc.Location != "" && res.Header.Get("Location") != sc.Location {
		t.Errorf("redirect to %q, want %q", res.Header.Get("Location"), sc.Location)
	}
	decoded := body
	if !IsAPI(sc.URL) {
		decoded = html.UnescapeString(body)
	}
	for _, s := range sc.Contains {
		if !strings.Contains(body, s) && !strings.Contains(decoded, s) {
			t.Errorf("the answer does not hold %q\n%s", s, clip(decoded))
		}
	}
	for _, s := range sc.NotContains {
		if strings.Contains(body, s) || strings.Contains(decoded, s) {
			t.Errorf("the answer holds %q, which it must not\n%s", s, clip(decoded))
		}
	}
	if res.StatusCode >= 400 {
		want := "text/html"
		if IsAPI(sc.URL) {
			want = "application/problem+json"
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("error answer of type %q, want %s", ct, want)
		}
	}
	if sc.Unchanged {
		app.Unchanged(before)
	}
	if sc.Check != nil {
		sc.Check(t, app, res)
	}
}

func (sc Scenario) api(app *App) *Response {
	app.T.Helper()
	tok := ""
	if sc.As != "" {
		tok = app.TokenOf(sc.As)
	}
	return app.API(Req{Method: sc.method(), Path: sc.URL, Body: sc.Body, Token: tok, Header: sc.Header})
}

func (sc Scenario) page(app *App) *Response {
	app.T.Helper()
	b := app.As(sc.As)
	if sc.Fresh {
		b = app.Browser()
		if sc.As != "" {
			b.Login(sc.As)
		}
	}
	var body string
	form := url.Values{}
	for k, v := range sc.Form {
		form[k] = v
	}
	if sc.Body != nil {
		app.T.Fatalf("scenario %q: a page request takes a Form, not a Body", sc.name())
	}
	switch sc.method() {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		page := sc.FormPage
		if page == "" {
			page = "/login"
			if sc.As != "" {
				page = "/"
			}
		}
		switch sc.CSRF {
		case OwnToken:
			form.Set("_csrf", b.CSRF(page))
		case NoToken:
			b.Get(page) // the cookie, without the token
		case ForgedToken:
			b.Get(page)
			form.Set("_csrf", "forged-token")
		case OtherVisitorsToken:
			b.Get(page)
			form.Set("_csrf", app.Browser().CSRF("/login"))
		}
		body = form.Encode()
	}
	req, err := http.NewRequest(sc.method(), app.HTTP.URL+sc.URL, strings.NewReader(body))
	if err != nil {
		app.T.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range sc.Header {
		req.Header.Set(k, v)
	}
	res, err := b.Client.Do(req)
	if err != nil {
		app.T.Fatal(err)
	}
	return read(app.T, res)
}

func clip(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}
