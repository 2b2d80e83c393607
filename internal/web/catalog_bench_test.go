package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// BenchmarkProductPage renders a cached product page through the whole
// handler stack (middleware, session lookup, template). Run with
// -cpuprofile to see where a page's time goes.
func BenchmarkProductPage(b *testing.B) {
	app := webtest.New(b, dbtest.SQLite(b))
	h := app.Server.Handler()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/products/na-chi-lang", nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
