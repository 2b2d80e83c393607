package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// auditSizes are the widths every page is checked at: a common phone (390
// CSS pixels, iPhone 12–15) and a common laptop.
var auditSizes = []struct{ w, h int64 }{{390, 844}, {1366, 768}}

// TestEveryPageFitsAPhoneAndPassesAxe opens every page of every role
// (pageVisits, derived from the route table) in one browser, in both
// languages, at 390 and 1366 px wide, and fails on a page wider than the
// screen (naming the element that reaches furthest right) and on any
// axe-core violation of any impact.
func TestEveryPageFitsAPhoneAndPassesAxe(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		visits := pageVisits(t, app, walkSetup(t, app))
		// Hundreds of page loads on a shared, busy machine: one slow load is
		// not a finding, so each step may take longer than a journey's.
		old := browsertest.Timeout
		browsertest.Timeout = time.Minute
		t.Cleanup(func() { browsertest.Timeout = old })
		b := browsertest.New(t, app.HTTP.URL)
		byAccount := map[string][]visit{}
		var order []string
		for _, v := range visits {
			if _, ok := byAccount[v.As]; !ok {
				order = append(order, v.As)
			}
			byAccount[v.As] = append(byAccount[v.As], v)
		}
		overflowing, violations, pages := 0, 0, 0
		for _, as := range order {
			b.ClearCookies()
			if as != "" {
				b.Open("/login")
				b.Fill("email", as)
				b.Fill("password", seed.DemoPassword)
				b.Click("Đăng nhập")
			}
			for _, lang := range []string{"vi", "en"} {
				b.Open("/lang/" + lang + "?next=/")
				for _, size := range auditSizes {
					b.Viewport(size.w, size.h)
					for _, v := range byAccount[as] {
						seen := len(b.Console())
						b.Open(v.Path)
						pages++
						where := fmt.Sprintf("%s %s as %q at %d px", lang, v.Path, as, size.w)
						if o := b.HorizontalOverflow(); o != nil {
							overflowing++
							t.Errorf("%s: %d px wide in a %d px screen; widest: %s", where, o.ScrollWidth, o.InnerWidth, o.Widest)
						}
						for _, vi := range b.Axe() {
							violations++
							t.Errorf("%s: axe: %s", where, vi)
						}
						// A sample that names nothing (404) or a refused form (400)
						// answers so on purpose, and Chromium logs the document's
						// own status; anything else a page logs is an error of that page.
						for _, msg := range b.Console()[seen:] {
							if st := expectedStatus(v); st != http.StatusOK && strings.Contains(msg, fmt.Sprintf("status of %d", st)) {
								continue
							}
							t.Errorf("%s: the page logged: %s", where, msg)
						}
					}
				}
			}
		}
		t.Logf("%d page views: %d overflowing, %d axe violations", pages, overflowing, violations)
	}, withBankSecret)
}
