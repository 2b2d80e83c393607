package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestCheckoutChargesTheTotalShown proves the checkout's promise: for
// every province the shopper picks, the summary the province picker loads
// (htmx) shows the total with shipping, and the order placed from it is
// charged exactly that total. A total the shopper was not shown (the
// province changed without the summary following, as without JavaScript)
// places nothing and shows the new total, and "update" recomputes it
// without placing anything.
func TestCheckoutChargesTheTotalShown(t *testing.T) {
	const shopper = "shopper@example.com"
	// Demo shipping table, parcels under 1 kg: within Lạng Sơn 18.000 ₫,
	// from Lạng Sơn anywhere else 30.000 ₫; one parcel per producer.
	provinces := []struct {
		code string
		fee  int64
	}{{"20", 18000}, {"01", 30000}, {"79", 30000}, {"20", 18000}}
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := sell(t, app, item{producer: producer1Slug, price: 120000, stock: 50, grams: 500})
		b := sell(t, app, item{producer: producer2Slug, price: 80000, stock: 50, grams: 300})
		tok := app.TokenOf(shopper)
		fill := func(t *testing.T, _ *webtest.App) {
			for _, v := range []int64{a.ID, b.ID} {
				if res := addToCart(t, app, tok, v, 1); res.StatusCode != http.StatusOK {
					t.Fatalf("add to cart: %d %s", res.StatusCode, res.Body)
				}
			}
		}
		var table []webtest.Scenario
		for _, p := range provinces {
			want := 200000 + 2*p.fee
			form := url.Values{}
			table = append(table,
				webtest.Scenario{Name: "summary for province " + p.code, As: shopper, URL: "/checkout/summary?province_code=" + p.code, Before: fill,
					Status: http.StatusOK, Contains: []string{money.VND(want), money.VND(2 * p.fee)},
					Check: func(t *testing.T, app *webtest.App, res *webtest.Response) {
						if shown := shownTotal(t, res.Body); shown != want {
							t.Fatalf("summary asks %d, want %d (goods 200.000 + shipping %d)", shown, want, 2*p.fee)
						}
						for k, v := range checkoutForm(t, app, p.code, want) {
							form[k] = v
						}
					}},
				webtest.Scenario{Name: "place the order for province " + p.code, As: shopper, Method: http.MethodPost, URL: "/checkout", Form: form,
					FormPage: "/checkout", Status: http.StatusSeeOther,
					Check: func(t *testing.T, app *webtest.App, res *webtest.Response) {
						code := strings.TrimPrefix(res.Header.Get("Location"), "/orders/")
						if got := groupTotal(t, app, code); got != want {
							t.Fatalf("charged %d, shown %d", got, want)
						}
						// Unpaid orders are limited per account: cancel it before the next.
						if res := app.API(webtest.Req{Method: http.MethodPost, Path: "/api/v1/orders/" + code + "/cancel", Token: tok}); res.StatusCode != http.StatusOK {
							t.Fatalf("cancel %s: %d", code, res.StatusCode)
						}
					}},
			)
		}
		webtest.RunScenarios(t, app, table)

		fill(t, app)
		refuseATotalNotShown(t, app)
	}, withBankSecret)
}

// refuseATotalNotShown: with the cart of TestCheckoutChargesTheTotalShown
// filled, a form whose total is not the address's places nothing and
// shows the new total; "update" recomputes; the new total then places.
func refuseATotalNotShown(t *testing.T, app *webtest.App) {
	const shopper = "shopper@example.com"
	// A total the shopper was not shown: the summary said Lạng Sơn, the
	// form says Hà Nội.
	stale := checkoutForm(t, app, "01", 200000+2*18000)
	fresh := url.Values{}
	webtest.RunScenarios(t, app, []webtest.Scenario{
		{Name: "a total not shown places nothing", As: shopper, Method: http.MethodPost, URL: "/checkout", Form: stale, FormPage: "/checkout",
			Status: http.StatusConflict, Unchanged: true,
			Contains: []string{"Chưa có khoản nào bị trừ", money.VND(260000), `value="12 Lê Lợi"`},
			Check: func(t *testing.T, _ *webtest.App, res *webtest.Response) {
				if shown := shownTotal(t, res.Body); shown != 260000 {
					t.Fatalf("the form now asks %d, want 260000", shown)
				}
				for k, v := range stale {
					fresh[k] = v
				}
				fresh.Set("expected_total", "260000")
			}},
		{Name: "update recomputes without placing", As: shopper, Method: http.MethodPost, URL: "/checkout", FormPage: "/checkout",
			Form: url.Values{"province_code": {"79"}, "update": {"1"}, "recipient_name": {"Nguyễn Thị Mua"}}, Status: http.StatusOK, Unchanged: true,
			Contains: []string{money.VND(260000), `value="Nguyễn Thị Mua"`}},
		{Name: "placed at the new total once shown", As: shopper, Method: http.MethodPost, URL: "/checkout", Form: fresh, FormPage: "/checkout",
			Status: http.StatusSeeOther,
			Check: func(t *testing.T, app *webtest.App, res *webtest.Response) {
				if got := groupTotal(t, app, strings.TrimPrefix(res.Header.Get("Location"), "/orders/")); got != 260000 {
					t.Fatalf("charged %d, want 260000", got)
				}
			}},
	})
}
