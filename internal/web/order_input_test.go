package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestCartAndCheckoutBadInput: every bad input is a clear 4xx that
// changes nothing.
func TestCartAndCheckoutBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		ok := sell(t, app, item{producer: producer1Slug, price: 40000, stock: 5, grams: 100})
		hidden := sell(t, app, item{producer: producer1Slug, price: 40000, stock: 5, unpublished: true})
		cases := []struct {
			name   string
			body   string
			status int
		}{
			{"quantity zero", `{"variant_id":` + id(ok.ID) + `,"quantity":0}`, 400},
			{"negative quantity", `{"variant_id":` + id(ok.ID) + `,"quantity":-2}`, 400},
			{"quantity above stock", `{"variant_id":` + id(ok.ID) + `,"quantity":6}`, 409},
			{"unpublished product", `{"variant_id":` + id(hidden.ID) + `,"quantity":1}`, 404},
			{"unknown variant", `{"variant_id":99999999,"quantity":1}`, 404},
			{"unknown field", `{"variant_id":` + id(ok.ID) + `,"quantity":1,"price":1}`, 400},
		}
		for _, c := range cases {
			if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/cart/items", Token: shopper, Body: c.body}); res.StatusCode != c.status {
				t.Errorf("%s: %d, want %d: %s", c.name, res.StatusCode, c.status, res.Body)
			}
		}
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: shopper}); !contains(res.Body, `"parts":[]`) {
			t.Fatalf("bad input changed the cart: %s", res.Body)
		}
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart"}); res.StatusCode != 401 {
			t.Fatalf("cart without a token: %d", res.StatusCode)
		}
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")}); res.StatusCode != 409 {
			t.Fatalf("checkout of an empty cart: %d, want 409", res.StatusCode)
		}

		addToCart(t, app, shopper, ok.ID, 3)
		bad := []struct {
			name   string
			change map[string]any
			status int
		}{
			{"unknown commune", map[string]any{"commune_code": "99999"}, 400},
			{"commune of another province", map[string]any{"province_code": "01"}, 400},
			{"not a Vietnamese phone", map[string]any{"phone": "12345"}, 400},
			{"missing street", map[string]any{"street": ""}, 400},
			{"unknown payment method", map[string]any{"payment_method": "cash"}, 400},
			{"card without Stripe configured", map[string]any{"payment_method": "card"}, 409},
		}
		for _, c := range bad {
			body := checkoutBody(app, t, "vietqr")
			for k, v := range c.change {
				body[k] = v
			}
			if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: body}); res.StatusCode != c.status {
				t.Errorf("%s: %d, want %d: %s", c.name, res.StatusCode, c.status, res.Body)
			}
		}
		if stockOf(t, app, ok.ID) != 5 {
			t.Fatal("a refused checkout reserved stock")
		}

		// Stock sold elsewhere since the cart was filled: 409, cart unchanged.
		app.DB.Model(&catalog.Variant{}).Where("id = ?", ok.ID).Update("stock", 2)
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")}); res.StatusCode != 409 {
			t.Fatalf("checkout short of stock: %d, want 409", res.StatusCode)
		}
		var cart struct {
			Parts []struct{ Lines []struct{ Quantity int64 } }
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: shopper}).JSON(t, &cart)
		if len(cart.Parts) != 1 || cart.Parts[0].Lines[0].Quantity != 3 || stockOf(t, app, ok.ID) != 2 {
			t.Fatalf("after a short-stock checkout the cart or stock changed: %+v stock %d", cart, stockOf(t, app, ok.ID))
		}
		app.API(webtest.Req{Method: "PUT", Path: "/api/v1/cart/items/" + id(ok.ID), Token: shopper, Body: `{"quantity":2}`})

		// A producer suspended (or a product unpublished) after the cart was filled: 409, nothing reserved.
		app.DB.Model(&producer.Producer{}).Where("slug = ?", producer1Slug).Update("status", producer.StatusSuspended)
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")}); res.StatusCode != 409 {
			t.Fatalf("checkout with a suspended producer's product: %d, want 409", res.StatusCode)
		}
		app.DB.Model(&producer.Producer{}).Where("slug = ?", producer1Slug).Update("status", producer.StatusApproved)
		app.DB.Model(&catalog.Product{}).Where("id = ?", ok.ProductID).Update("status", catalog.StatusUnpublished)
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")}); res.StatusCode != 409 {
			t.Fatalf("checkout with an unpublished product: %d, want 409", res.StatusCode)
		}
		app.DB.Model(&catalog.Product{}).Where("id = ?", ok.ProductID).Update("status", catalog.StatusPublished)
		if stockOf(t, app, ok.ID) != 2 {
			t.Fatal("a refused checkout reserved stock")
		}

		// Price changed since the cart: 409, the cart shows the new price, then checkout works at it.
		app.DB.Model(&catalog.Variant{}).Where("id = ?", ok.ID).Update("price", 45000)
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")})
		if res.StatusCode != 409 || !contains(res.Body, "Giá") {
			t.Fatalf("price changed: %d %s, want 409 with a message in Vietnamese", res.StatusCode, res.Body)
		}
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: shopper}); !contains(res.Body, `"seen_price":45000`) || !contains(res.Body, `"price_changed":false`) {
			t.Fatalf("the cart does not show the new price: %s", res.Body)
		}
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		if g.Total != 2*45000+18000 {
			t.Fatalf("total = %d, want the new price", g.Total)
		}
	})
}

// TestAdultAndServiceProducts: alcohol needs an age confirmation; a group
// VI service gets a voucher code and no shipping.
func TestAdultAndServiceProducts(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		wine := sell(t, app, item{producer: producer1Slug, price: 200000, stock: 5, grams: 1200, group: "II.1.a", adult: true})
		addToCart(t, app, shopper, wine.ID, 1)
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: shopper, Body: checkoutBody(app, t, "vietqr")}); res.StatusCode != 400 || !contains(res.Body, "adult_confirmed") {
			t.Fatalf("alcohol without age confirmation: %d %s", res.StatusCode, res.Body)
		}
		body := checkoutBody(app, t, "vietqr")
		body["adult_confirmed"] = true
		g := checkout(t, app, shopper, body)
		if g.ShippingTotal != 25000 {
			t.Fatalf("1.2 kg within Lạng Sơn: shipping %d, want 25.000 (the 5 kg band)", g.ShippingTotal)
		}

		tour := sell(t, app, item{producer: producer2Slug, price: 350000, stock: 20, group: "VI", service: true})
		addToCart(t, app, shopper, tour.ID, 2)
		g = checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		if g.ShippingTotal != 0 || !g.Orders[0].IsService {
			t.Fatalf("service order: %+v, want no shipping", g)
		}
		payByBank(t, app, g)
		paid := getGroup(t, app, shopper, g.Code)
		if paid.Orders[0].VoucherCode == "" {
			t.Fatal("a paid service order has no voucher code")
		}
		p2 := app.Token("producer2@example.com")
		act := func(action string) int {
			return app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + paid.Orders[0].Code + "/" + action, Token: p2}).StatusCode
		}
		if act("confirm") != 200 || act("pack") != 409 || act("deliver") != 200 {
			t.Fatal("a service is confirmed then delivered (used), never packed")
		}
		assertBalanced(t, app, g.Code)
	}, withBankSecret)
}

// TestCartPages: a guest fills a cart from the add-to-cart form, changes a
// quantity, sees shipping per producer, and must sign in to check out.
func TestCartPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer1Slug, price: 65000, stock: 3, grams: 100})
		br := app.Browser()
		res := br.Post("/login", "/cart/items", url.Values{"variant_id": {id(v.ID)}, "quantity": {"2"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cart" {
			t.Fatalf("add to cart: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		page := br.Get("/cart?province_code=20")
		if page.StatusCode != 200 || !contains(page.Body, "130.000") || !contains(page.Body, "18.000") {
			t.Fatalf("cart page should show the line total and Lạng Sơn shipping:\n%s", page.Body)
		}
		if res := br.Post("/cart", "/cart/items", url.Values{"variant_id": {id(v.ID)}, "quantity": {"5"}}); res.StatusCode != http.StatusConflict {
			t.Fatalf("over stock from the page: %d, want 409", res.StatusCode)
		}
		if res := br.Post("/cart", "/cart/items/"+id(v.ID), url.Values{"quantity": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("set quantity: %d", res.StatusCode)
		}
		if page := br.Get("/cart"); !contains(page.Body, "65.000") || contains(page.Body, "130.000") {
			t.Fatal("quantity change not shown")
		}
		if res := br.Get("/checkout"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("checkout as a guest: %d, want a redirect to sign in", res.StatusCode)
		}
		if res := br.Post("/cart", "/cart/items", url.Values{"variant_id": {id(v.ID)}, "quantity": {"0"}}); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("quantity 0 from the page: %d, want 400", res.StatusCode)
		}
	})
}

// TestCheckoutPage: a signed-in shopper checks out through the form and
// lands on the order page with the VietQR.
func TestCheckoutPage(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer2Slug, price: 99000, stock: 3, grams: 100})
		br := app.Browser()
		br.Login("shopper@example.com")
		br.Post("/login", "/cart/items", url.Values{"variant_id": {id(v.ID)}, "quantity": {"1"}})
		if page := br.Get("/checkout?province_code=20"); page.StatusCode != 200 || !contains(page.Body, `name="commune_code"`) {
			t.Fatalf("checkout page: %d", page.StatusCode)
		}
		form := url.Values{"recipient_name": {"Lê Văn Thử"}, "phone": {"0987654321"}, "province_code": {"20"},
			"commune_code": {langSonCommune(t, app)}, "street": {"5 Ngõ Thử"}, "payment_method": {"vietqr"}}
		bad := url.Values{}
		for k, vs := range form {
			bad[k] = vs
		}
		bad.Set("phone", "abc")
		if res := br.Post("/checkout", "/checkout", bad); res.StatusCode != http.StatusBadRequest || !contains(res.Body, `aria-invalid="true"`) {
			t.Fatalf("bad phone: %d, want the form again with the field marked", res.StatusCode)
		}
		res := br.Post("/checkout", "/checkout", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("checkout form: %d %s", res.StatusCode, res.Body)
		}
		page := br.Get(res.Header.Get("Location"))
		if page.StatusCode != 200 || !contains(page.Body, `id="qr-payload"`) || !contains(page.Body, "99.000") {
			t.Fatalf("order page after checkout: %d", page.StatusCode)
		}
		if list := br.Get("/account/orders"); !contains(list.Body, res.Header.Get("Location")[len("/orders/"):]) {
			t.Fatal("the order is not in the account's list")
		}
	})
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// TestCheckoutRateLimit: a user's checkouts are capped (each one holds stock
// for the payment TTL); the cap answers 429 with a reason.
func TestCheckoutRateLimit(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("shopper@example.com")
		body := checkoutBody(app, t, "vietqr")
		for i := range 30 {
			if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: tok, Body: body}); res.StatusCode != http.StatusConflict {
				t.Fatalf("attempt %d on an empty cart: %d, want 409", i+1, res.StatusCode)
			}
		}
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: tok, Body: body}); res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("31st checkout in 10 minutes: %d, want 429", res.StatusCode)
		}
	})
}
