package web_test

import (
	"net/http"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestProblemCodes: every API error carries a stable machine-readable
// code (the OpenAPI document requires it on every problem, so every API
// test checks its presence); here representative errors carry the
// expected one, whatever language the detail is in.
func TestProblemCodes(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		v := sell(t, app, item{producer: producer1Slug, price: 40000, stock: 5, grams: 100})
		cases := []struct {
			name   string
			req    func() *webtest.Response
			status int
			code   string
		}{
			{"unknown route", func() *webtest.Response {
				return app.API(webtest.Req{Method: "GET", Path: "/api/v1/orders/DHNOTHERE1", Token: shopper})
			}, 404, "not_found"},
			{"no token", func() *webtest.Response { return app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart"}) }, 401, "unauthorized"},
			{"invalid field", func() *webtest.Response {
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/cart/items", Token: shopper, Body: map[string]int64{"variant_id": v.ID, "quantity": 0}})
			}, 400, "validation"},
			{"malformed JSON", func() *webtest.Response {
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/cart/items", Token: shopper, Body: `{"variant_id":`})
			}, 400, "bad_request"},
			{"more than in stock", func() *webtest.Response {
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/cart/items", Token: shopper, Body: map[string]int64{"variant_id": v.ID, "quantity": 6}})
			}, 409, "cart.not_enough_stock"},
			{"empty cart", func() *webtest.Response {
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")})
			}, 409, "checkout.empty_cart"},
			{"price changed", func() *webtest.Response {
				addToCart(t, app, shopper, v.ID, 1)
				app.DB.Model(&catalog.Variant{}).Where("id = ?", v.ID).Update("price", 45000)
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")})
			}, 409, "checkout.price_changed"},
			{"out of stock", func() *webtest.Response {
				app.DB.Model(&catalog.Variant{}).Where("id = ?", v.ID).Update("stock", 0)
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")})
			}, 409, "checkout.out_of_stock"},
			{"bad webhook signature", func() *webtest.Response {
				return app.API(webtest.Req{Method: "POST", Path: "/webhooks/bank", Body: `{}`, Header: map[string]string{"X-OCOP-Timestamp": "1", "X-OCOP-Signature": "sha256=00"}})
			}, 400, "webhook.bad_signature"},
			{"wrong password", func() *webtest.Response {
				return app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "shopper@example.com", "password": "wrong-password"}})
			}, 401, "auth.bad_credentials"},
		}
		for _, c := range cases {
			res := c.req()
			var p struct {
				Status int
				Code   string
			}
			res.JSON(t, &p)
			if res.StatusCode != c.status || p.Status != c.status || p.Code != c.code {
				t.Errorf("%s: %d code %q, want %d code %q: %s", c.name, res.StatusCode, p.Code, c.status, c.code, res.Body)
			}
		}
		// The sign-in limit answers auth.rate_limited, even for the right password.
		var last *webtest.Response
		for range 6 {
			last = app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "producer2@example.com", "password": "wrong-password"}})
		}
		var p struct{ Code string }
		last.JSON(t, &p)
		if last.StatusCode != http.StatusTooManyRequests || p.Code != "auth.rate_limited" {
			t.Fatalf("sign-in past the limit: %d %q, want 429 auth.rate_limited", last.StatusCode, p.Code)
		}
	})
}
