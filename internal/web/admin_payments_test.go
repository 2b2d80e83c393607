package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestAdminPaymentsAPI: commission and shipping table are admin-only, the
// commission applies to the next checkout, and a manual confirmation marks
// a VietQR group paid once, audited.
func TestAdminPaymentsAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		admin, shopper, producer := app.Token("admin@example.com"), app.Token("shopper@example.com"), app.Token("producer@example.com")
		for _, tok := range []string{shopper, producer} {
			if res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/admin/commission", Token: tok, Body: `{"commission_bp":0}`}); res.StatusCode != 403 {
				t.Fatalf("non-admin setting the commission: %d, want 403", res.StatusCode)
			}
		}
		if res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/admin/commission", Token: admin, Body: `{"commission_bp":5000}`}); res.StatusCode != 400 {
			t.Fatalf("commission of 50%%: %d, want 400", res.StatusCode)
		}
		if res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/admin/commission", Token: admin, Body: `{"commission_bp":800}`}); res.StatusCode != 200 {
			t.Fatalf("set commission: %d %s", res.StatusCode, res.Body)
		}
		rates := `{"rates":[{"from_province_code":"*","to_province_code":"*","max_grams":50000,"fee":20000}]}`
		if res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/admin/shipping-rates", Token: admin, Body: rates}); res.StatusCode != 200 {
			t.Fatalf("set shipping table: %d %s", res.StatusCode, res.Body)
		}
		if res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/admin/shipping-rates", Token: admin, Body: `{"rates":[{"from_province_code":"*","to_province_code":"*","max_grams":0,"fee":1}]}`}); res.StatusCode != 400 {
			t.Fatalf("a band of 0 g: %d, want 400", res.StatusCode)
		}

		v := sell(t, app, item{producer: producer1Slug, price: 100000, stock: 5, grams: 100})
		addToCart(t, app, shopper, v.ID, 1)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		if g.ShippingTotal != 20000 {
			t.Fatalf("shipping = %d, want 20.000 from the new table", g.ShippingTotal)
		}
		confirm := func(tok string, amount int64, ref string) *webtest.Response {
			return app.API(webtest.Req{Method: "POST", Path: "/api/v1/admin/orders/" + g.Code + "/confirm-payment", Token: tok, Body: map[string]any{"amount": amount, "reference": ref}})
		}
		if res := confirm(shopper, g.Total, "FT1"); res.StatusCode != 403 {
			t.Fatalf("shopper confirming a payment: %d, want 403", res.StatusCode)
		}
		if res := confirm(admin, g.Total-1, "FT0"); !contains(res.Body, `"issue"`) {
			t.Fatalf("manual confirmation of a short amount: %s", res.Body)
		}
		if res := confirm(admin, g.Total, "FT1"); res.StatusCode != 200 || !contains(res.Body, `"paid"`) {
			t.Fatalf("manual confirmation: %d %s", res.StatusCode, res.Body)
		}
		if res := confirm(admin, g.Total, "FT1"); res.StatusCode != 400 {
			t.Fatalf("the same confirmation again: %d, want 400", res.StatusCode)
		}
		var audits int64
		app.DB.Model(&payment.Audit{}).Where("action = ?", "payment.confirm_manual").Count(&audits)
		if audits != 2 {
			t.Fatalf("%d audit lines for manual confirmations, want 2", audits)
		}
		var p struct{ Orders []struct{ Commission int64 } }
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/orders", Token: producer}).JSON(t, &p)
		if len(p.Orders) != 1 || p.Orders[0].Commission != 8000 {
			t.Fatalf("producer's order = %+v, want commission 8.000 (8%% set by the admin)", p.Orders)
		}
		assertBalanced(t, app, g.Code)
		var is struct{ Issues []payment.Issue }
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/admin/payment-issues", Token: admin}).JSON(t, &is)
		if len(is.Issues) != 1 || is.Issues[0].Kind != "underpaid" {
			t.Fatalf("issues = %+v", is.Issues)
		}
	}, withBankSecret)
}

// TestPaymentPages: the admin and portal pages render for their roles only,
// and their forms work.
func TestPaymentPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		adm := app.Browser()
		adm.Login("admin@example.com")
		for _, p := range []string{"/admin/settings", "/admin/payments", "/admin/payouts", "/admin/payouts.csv"} {
			if res := adm.Get(p); res.StatusCode != 200 {
				t.Fatalf("%s: %d", p, res.StatusCode)
			}
		}
		if res := adm.Post("/admin/settings", "/admin/settings/commission", url.Values{"commission_bp": {"450"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("commission form: %d", res.StatusCode)
		}
		if res := adm.Get("/admin/settings"); !contains(res.Body, `value="450"`) {
			t.Fatal("commission not saved")
		}
		if res := adm.Post("/admin/settings", "/admin/settings/shipping", url.Values{"rates": {"20,20,1000,15000\nnot a line"}}); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad shipping line: %d, want 400", res.StatusCode)
		}
		if res := adm.Post("/admin/settings", "/admin/settings/shipping", url.Values{"rates": {"20,20,1000,15000\n20,20,1000,16000"}}); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("duplicate shipping band: %d, want 400", res.StatusCode)
		}
		if res := adm.Post("/admin/settings", "/admin/settings/shipping", url.Values{"rates": {"20,20,1000,15000\n*,*,30000,50000"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("shipping form: %d", res.StatusCode)
		}
		if res := adm.Get("/admin/settings"); !contains(res.Body, "20,20,1000,15000") {
			t.Fatal("shipping table not saved")
		}
		if res := adm.Post("/admin/payments", "/admin/payments/confirm", url.Values{"code": {"DHNOSUCH23"}, "amount": {"1000"}, "reference": {"FT9"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("manual confirm of an unknown code: %d", res.StatusCode)
		}
		if res := adm.Get("/admin/payments"); !contains(res.Body, "DHNOSUCH23") {
			t.Fatal("an unknown code should be listed as an issue")
		}

		prod := app.Browser()
		prod.Login("producer@example.com")
		for _, p := range []string{"/portal/orders", "/portal/ledger"} {
			if res := prod.Get(p); res.StatusCode != 200 {
				t.Fatalf("%s: %d", p, res.StatusCode)
			}
		}
		if res := prod.Get("/admin/payouts"); res.StatusCode != 403 {
			t.Fatalf("producer on admin payouts: %d, want 403", res.StatusCode)
		}
		shop := app.Browser()
		shop.Login("shopper@example.com")
		if res := shop.Get("/portal/orders"); res.StatusCode != 403 {
			t.Fatalf("shopper on portal orders: %d, want 403", res.StatusCode)
		}
		if res := shop.Get("/orders/DHNOSUCH23"); res.StatusCode != 404 || !contains(res.Body, "lang=\"vi\"") {
			t.Fatalf("unknown order page: %d, want a Vietnamese 404 page", res.StatusCode)
		}
	})
}
