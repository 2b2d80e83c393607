package kit

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

// TestBundleServesThePartsJoined: a bundle is its parts joined in the
// order given, under a URL fingerprinted by that content, served as CSS and
// cached for a year like any asset; the parts are still served alone, and
// a missing part or a taken name fails at start.
func TestBundleServesThePartsJoined(t *testing.T) {
	fsys := fstest.MapFS{
		"css/a.css": {Data: []byte("a { color: red; }\n")},
		"css/b.css": {Data: []byte("b { color: blue; }")}, // no final newline: joined as it is
		"css/c.css": {Data: []byte("c { color: green; }\n")},
	}
	a, err := LoadAssets(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Bundle("css/all.css", "css/c.css", "css/a.css", "css/b.css"); err != nil {
		t.Fatal(err)
	}
	want := "c { color: green; }\na { color: red; }\nb { color: blue; }"
	u, err := a.URL("css/all.css")
	if err != nil {
		t.Fatal(err)
	}
	probe := mustLoadAssets(t, fstest.MapFS{"css/all.css": {Data: []byte(want)}})
	if wantURL, _ := probe.URL("css/all.css"); u != wantURL {
		t.Errorf("bundle URL %s, want %s (fingerprinted by the joined content)", u, wantURL)
	}
	serve := func(u string) *httptest.ResponseRecorder {
		e := echo.New()
		rec := httptest.NewRecorder()
		c := e.NewContext(httptest.NewRequest(http.MethodGet, u, nil), rec)
		c.SetParamNames("*")
		c.SetParamValues(strings.TrimPrefix(u, "/static/"))
		if err := a.Serve(c); err != nil {
			t.Fatalf("serve %s: %v", u, err)
		}
		return rec
	}
	rec := serve(u)
	if rec.Body.String() != want {
		t.Errorf("bundle body %q, want %q", rec.Body.String(), want)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("bundle Content-Type %q, want text/css", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("bundle Cache-Control %q, want a year and immutable", cc)
	}
	part, _ := a.URL("css/b.css")
	if got := serve(part).Body.String(); got != "b { color: blue; }" {
		t.Errorf("a part alone: %q", got)
	}
	if err := a.Bundle("css/more.css", "css/a.css", "css/none.css"); err == nil || !strings.Contains(err.Error(), "css/none.css") {
		t.Errorf("a bundle of a missing part: %v, want an error naming it", err)
	}
	if err := a.Bundle("css/a.css", "css/b.css"); err == nil {
		t.Error("a bundle named as an existing file was accepted")
	}
}

// mustLoadAssets is LoadAssets that fails the test on error.
func mustLoadAssets(t *testing.T, fsys fstest.MapFS) *Assets {
	t.Helper()
	a, err := LoadAssets(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
