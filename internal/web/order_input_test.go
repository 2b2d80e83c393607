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
		c := &badCart{app: app,
			ok:     sell(t, app, item{producer: producer1Slug, price: 40000, stock: 5, grams: 100}),
			hidden: sell(t, app, item{producer: producer1Slug, price: 40000, stock: 5, unpublished: true})}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "bad cart lines are refused and leave the cart empty", Run: c.badLines},
			{Name: "bad checkouts are refused and reserve nothing", Run: c.badCheckouts},
			{Name: "stock sold elsewhere since the cart was filled: 409, cart unchanged", Run: c.shortOfStock},
			{Name: "a producer suspended or a product unpublished since: 409, nothing reserved", Run: c.goneSince},
			{Name: "a price changed since: 409, the cart shows it, then checkout works at it", Run: c.priceChanged},
		})
	})
}

// badCart is what TestCartAndCheckoutBadInput's steps share: a product on
// sale (5 in stock) and an unpublished one.
type badCart struct {
	app        *webtest.App
	ok, hidden catalog.Variant
}

const shopperEmail = "shopper@example.com"

func (c *badCart) badLines(t *testing.T) {
	line := func(name, body string, status int) webtest.Scenario {
		return webtest.Scenario{Name: name, As: shopperEmail, Method: "POST", URL: "/api/v1/cart/items", Body: body, Status: status}
	}
	ok := id(c.ok.ID)
	webtest.RunScenarios(t, c.app, []webtest.Scenario{
		line("quantity zero", `{"variant_id":`+ok+`,"quantity":0}`, 400),
		line("negative quantity", `{"variant_id":`+ok+`,"quantity":-2}`, 400),
		line("quantity above stock", `{"variant_id":`+ok+`,"quantity":6}`, 409),
		line("unpublished product", `{"variant_id":`+id(c.hidden.ID)+`,"quantity":1}`, 404),
		line("unknown variant", `{"variant_id":99999999,"quantity":1}`, 404),
		line("unknown field", `{"variant_id":`+ok+`,"quantity":1,"price":1}`, 400),
		{Name: "bad input left the cart empty", As: shopperEmail, URL: "/api/v1/cart", Status: 200, Contains: []string{`"parts":[]`}},
		{Name: "cart without a token", URL: "/api/v1/cart", Status: 401},
		{Name: "checkout of an empty cart", As: shopperEmail, Method: "POST", URL: "/api/v1/checkout", Body: checkoutBody(c.app.For(t), t, "vietqr"), Status: 409},
	})
}

func (c *badCart) badCheckouts(t *testing.T) {
	app := c.app.For(t)
	addToCart(t, app, app.TokenOf(shopperEmail), c.ok.ID, 3)
	var table []webtest.Scenario
	for _, bad := range []struct {
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
	} {
		body := checkoutBody(app, t, "vietqr")
		for k, v := range bad.change {
			body[k] = v
		}
		table = append(table, webtest.Scenario{Name: bad.name, As: shopperEmail, Method: "POST", URL: "/api/v1/checkout", Body: body, Status: bad.status})
	}
	webtest.RunScenarios(t, app, table)
	if stockOf(t, app, c.ok.ID) != 5 {
		t.Fatal("a refused checkout reserved stock")
	}
}

func (c *badCart) checkout(t *testing.T) *webtest.Response {
	app := c.app.For(t)
	return app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: app.TokenOf(shopperEmail), Body: checkoutBody(app, t, "vietqr")})
}

func (c *badCart) shortOfStock(t *testing.T) {
	app := c.app.For(t)
	app.DB.Model(&catalog.Variant{}).Where("id = ?", c.ok.ID).Update("stock", 2)
	if res := c.checkout(t); res.StatusCode != 409 {
		t.Fatalf("checkout short of stock: %d, want 409", res.StatusCode)
	}
	var cart struct {
		Parts []struct{ Lines []struct{ Quantity int64 } }
	}
	shopper := app.TokenOf(shopperEmail)
	app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: shopper}).JSON(t, &cart)
	if len(cart.Parts) != 1 || cart.Parts[0].Lines[0].Quantity != 3 || stockOf(t, app, c.ok.ID) != 2 {
		t.Fatalf("after a short-stock checkout the cart or stock changed: %+v stock %d", cart, stockOf(t, app, c.ok.ID))
	}
	app.API(webtest.Req{Method: "PUT", Path: "/api/v1/cart/items/" + id(c.ok.ID), Token: shopper, Body: `{"quantity":2}`})
}

func (c *badCart) goneSince(t *testing.T) {
	app := c.app.For(t)
	setProducerStatus(t, app, producer1Slug, producer.StatusSuspended)
	if res := c.checkout(t); res.StatusCode != 409 {
		t.Fatalf("checkout with a suspended producer's product: %d, want 409", res.StatusCode)
	}
	setProducerStatus(t, app, producer1Slug, producer.StatusApproved)
	app.DB.Model(&catalog.Product{}).Where("id = ?", c.ok.ProductID).Update("status", catalog.StatusUnpublished)
	if res := c.checkout(t); res.StatusCode != 409 {
		t.Fatalf("checkout with an unpublished product: %d, want 409", res.StatusCode)
	}
	app.DB.Model(&catalog.Product{}).Where("id = ?", c.ok.ProductID).Update("status", catalog.StatusPublished)
	if stockOf(t, app, c.ok.ID) != 2 {
		t.Fatal("a refused checkout reserved stock")
	}
}

func (c *badCart) priceChanged(t *testing.T) {
	app := c.app.For(t)
	app.DB.Model(&catalog.Variant{}).Where("id = ?", c.ok.ID).Update("price", 45000)
	if res := c.checkout(t); res.StatusCode != 409 || !contains(res.Body, "Giá") {
		t.Fatalf("price changed: %d %s, want 409 with a message in Vietnamese", res.StatusCode, res.Body)
	}
	shopper := app.TokenOf(shopperEmail)
	if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: shopper}); !contains(res.Body, `"seen_price":45000`) || !contains(res.Body, `"price_changed":false`) {
		t.Fatalf("the cart does not show the new price: %s", res.Body)
	}
	if g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr")); g.Total != 2*45000+18000 {
		t.Fatalf("total = %d, want the new price", g.Total)
	}
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
