package web_test

import (
	"net/http"
	"testing"

	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestVietQRDisabled: with OCOP_VIETQR_DISABLED=1 (a card-only deployment
// without a bank webhook secret) a VietQR checkout is a 409 that reserves
// nothing, and the checkout page offers only the card.
func TestVietQRDisabled(t *testing.T) {
	stripeOn := withStripe(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		v := sell(t, app, item{producer: producer1Slug, price: 60000, stock: 5, grams: 200})
		addToCart(t, app, shopper, v.ID, 2)
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")})
		if res.StatusCode != http.StatusConflict || !contains(res.Body, `"checkout.vietqr_unavailable"`) {
			t.Fatalf("VietQR checkout with VietQR off: %d %s, want 409 checkout.vietqr_unavailable", res.StatusCode, res.Body)
		}
		if stockOf(t, app, v.ID) != 5 {
			t.Fatal("a refused checkout reserved stock")
		}
		br := app.Browser()
		br.Login("shopper@example.com")
		page := br.Get("/checkout")
		if page.StatusCode != 200 || contains(page.Body, `value="vietqr"`) || !contains(page.Body, `value="card"`) {
			t.Fatalf("checkout page with VietQR off: %d, want only the card offered", page.StatusCode)
		}
		if g := checkout(t, app, shopper, checkoutBody(app, t, "card")); g.CheckoutURL == "" {
			t.Fatal("card checkout should still work")
		}
	}, stripeOn, func(c *config.Config) { c.VietQRDisabled, c.BankWebhookSecret = true, "" })
}
