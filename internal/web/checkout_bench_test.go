package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// BenchmarkCheckoutSummary is what one province change on the checkout
// costs (GET /checkout/summary: session, cart of two producers' lines
// priced with shipping, the summary fragment), beside /healthz in the same
// run for the ratio docs/performance.md gives.
func BenchmarkCheckoutSummary(b *testing.B) {
	app := webtest.New(b, dbtest.SQLite(b))
	a := sell(b, app, item{producer: producer1Slug, price: 120000, stock: 50, grams: 500})
	v := sell(b, app, item{producer: producer2Slug, price: 80000, stock: 50, grams: 300})
	tok := app.Token(shopperEmail)
	addToCart(b, app, tok, a.ID, 1)
	addToCart(b, app, tok, v.ID, 1)
	br := app.Browser()
	br.Login(shopperEmail)
	u, _ := http.NewRequest("GET", app.HTTP.URL, nil)
	cookies := br.Client.Jar.Cookies(u.URL)
	h := app.Server.Handler()
	run := func(b *testing.B, path string) {
		for b.Loop() {
			req := httptest.NewRequest("GET", path, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(path, rec.Code)
			}
		}
	}
	b.Run("healthz", func(b *testing.B) { run(b, "/healthz") })
	b.Run("summary", func(b *testing.B) { run(b, "/checkout/summary?province_code=01") })
}
