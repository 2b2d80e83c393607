package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// hostileNext are next= values (as a browser sends them, percent-encoded
// once in the query) that led, or could lead, a browser off the site.
var hostileNext = []string{
	"/%09/evil.example/x", // a tab, which browsers drop: //evil.example/x
	"/%0B/evil.example/x", // a vertical tab
	"/%0A/evil.example/x",
	"/%0D/evil.example/x",
	"/%20/evil.example/x",
	"/%C2%A0/evil.example/x", // no-break space
	"/%00/evil.example/x",
	"/%FF/evil.example/x",
	"/%5C/evil.example/x", // a backslash
	"/%5Cevil.example",
	"%2F%2Fevil.example",
	"//evil.example",
	"/%252F/evil.example", // double-encoded slash
	"/%2509/evil.example",
	"https://evil.example",
	"https:evil.example",
	"javascript:alert(1)",
	"evil.example",
}

// TestRedirectTargetsStayOnTheSite sends every hostile next= to the two
// doors that redirect to it (the language switch and sign-in) and expects a
// redirect to this site's own page, on both dialects, or a 400 for those
// holding a control character or invalid UTF-8 (refused before any handler,
// see refuseBadText): never a redirect anywhere else.
func TestRedirectTargetsStayOnTheSite(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		for _, next := range hostileNext {
			t.Run(next, func(t *testing.T) {
				b := app.Browser()
				res := b.Get("/lang/en?next=" + next)
				if loc := res.Header.Get("Location"); !stays(res.StatusCode, loc) {
					t.Errorf("/lang/en?next=%s: %d to %q, want 303 to /", next, res.StatusCode, loc)
				}
				res = b.Get("/login?next=" + next)
				if strings.Contains(string(res.Body), "evil.example") {
					t.Errorf("/login?next=%s carries the target into the form", next)
				}
				raw, _ := url.QueryUnescape(next)
				res = b.Post("/login", "/login", url.Values{"email": {"shopper@example.com"}, "password": {seed.DemoPassword}, "next": {raw}})
				if loc := res.Header.Get("Location"); !stays(res.StatusCode, loc) {
					t.Errorf("sign in with next=%q: %d to %q, want 303 to /", raw, res.StatusCode, loc)
				}
			})
		}
		// A local target is still honoured.
		if loc := app.Browser().Get("/lang/en?next=/products%3Fq%3Dna").Header.Get("Location"); loc != "/products?q=na" {
			t.Errorf("a local next= is not kept: redirect to %q", loc)
		}
	})
}

// stays reports whether an answer keeps the visitor on the site's home.
func stays(status int, location string) bool {
	return status == 303 && location == "/" || status == 400 && location == ""
}

// TestBrowserStaysOnTheSiteAfterLanguageSwitch is the attack in a real
// browser: Chromium follows /lang/en?next=/%09/evil.example/x and must end
// on this site, not on evil.example.
func TestBrowserStaysOnTheSiteAfterLanguageSwitch(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := browsertest.New(t, app.HTTP.URL)
		for _, next := range []string{"/%09/evil.example/x", "/%0B/evil.example/x", "/%5Cevil.example/x"} {
			ctx, cancel := context.WithTimeout(b.Context(), browsertest.Timeout)
			_, _ = chromedp.Run(ctx, chromedp.Navigate(app.HTTP.URL+"/lang/en?next="+next)) // an error page is a finding too: read where we are
			loc, err := chromedp.Run(ctx, chromedp.Location())
			cancel()
			if err != nil {
				t.Fatalf("read location after %s: %v", next, err)
			}
			if !strings.HasPrefix(loc, app.HTTP.URL+"/") {
				t.Errorf("after /lang/en?next=%s the browser is at %q, want %s/", next, loc, app.HTTP.URL)
			}
		}
	})
}
