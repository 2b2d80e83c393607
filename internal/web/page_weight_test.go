package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/chocop/ocop/internal/web/kit"
	"github.com/chocop/ocop/internal/web/webtest"
)

// Page weight budgets of issue 13: a product page's HTML stays under 60 KB
// and the storefront's JavaScript, all of it, under 25 KB gzipped as it is
// sent. A template or script that grows past them fails here, not in a
// shopper's phone.
const (
	productPageBudget = 60_000
	storefrontJSGzip  = 25_000
)

var scriptSrc = regexp.MustCompile(`<script[^>]+src="([^"]+)"`)

// TestPageWeightBudgets fetches every published product's page in both
// languages, signed out and signed in (the header differs), and every
// script the storefront's pages load.
func TestPageWeightBudgets(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var slugs []string
		if err := app.DB.Raw("SELECT slug FROM products WHERE status = 'published' ORDER BY id").Scan(&slugs).Error; err != nil || len(slugs) == 0 {
			t.Fatalf("published products: %v %v", slugs, err)
		}
		u, _ := url.Parse(app.HTTP.URL)
		scripts := map[string]bool{}
		for _, who := range []string{"", "shopper@example.com"} {
			b := app.As(who)
			for _, lang := range []string{"vi", "en"} {
				b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: kit.LangCookie, Value: lang, Path: "/"}})
				pages := []string{"/", "/products", "/cart"}
				for _, s := range slugs {
					pages = append(pages, "/products/"+s)
				}
				for _, p := range pages {
					res := b.Get(p)
					if res.StatusCode != http.StatusOK {
						t.Fatalf("%s (%s, %q): status %d", p, lang, who, res.StatusCode)
					}
					if len(res.Body) > productPageBudget {
						t.Errorf("%s (%s, %q): %d bytes of HTML, budget %d", p, lang, who, len(res.Body), productPageBudget)
					}
					for _, m := range scriptSrc.FindAllSubmatch(res.Body, -1) {
						scripts[string(m[1])] = true
					}
				}
			}
		}
		if len(scripts) == 0 {
			t.Fatal("no script found on the storefront: the budget would test nothing")
		}
		total := 0
		for src := range scripts {
			req, _ := http.NewRequest("GET", app.HTTP.URL+src, nil)
			req.Header.Set("Accept-Encoding", "gzip") // set by hand, so the client leaves the body compressed
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			// Files under the gzip middleware's minimum length are sent as
			// they are; what counts is the bytes sent either way.
			if err != nil || res.StatusCode != http.StatusOK || (res.Header.Get("Content-Encoding") != "gzip" && n >= 1024) {
				t.Fatalf("%s: status %d, encoding %q, %d bytes, %v", src, res.StatusCode, res.Header.Get("Content-Encoding"), n, err)
			}
			total += int(n)
		}
		if total > storefrontJSGzip {
			t.Errorf("storefront JavaScript: %d bytes gzipped in %d files, budget %d", total, len(scripts), storefrontJSGzip)
		}
	})
}
