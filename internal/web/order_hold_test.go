package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/web/webtest"
)

// freshBuyer makes a new shopper account (as anyone may) and returns its token.
func freshBuyer(t *testing.T, app *webtest.App, name string) string {
	t.Helper()
	now := time.Now().UTC()
	u := account.User{Email: name + "@example.com", Name: name, PasswordHash: "!", Role: account.RoleShopper, Locale: "en", CreatedAt: now, UpdatedAt: now}
	if err := app.DB.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	tok, _, err := account.NewService(app.DB, nil).IssueAPIToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// problem reads the code and detail of an API error.
func problem(t *testing.T, res *webtest.Response) (code, detail string) {
	t.Helper()
	var p struct{ Code, Detail string }
	res.JSON(t, &p)
	return p.Code, p.Detail
}

func groupsOf(t *testing.T, app *webtest.App, token string) int {
	t.Helper()
	var list struct{ Orders []json.RawMessage }
	app.API(webtest.Req{Method: "GET", Path: "/api/v1/orders", Token: token}).JSON(t, &list)
	return len(list.Orders)
}

// TestUnpaidHoldIsBounded: one account cannot take a product's whole stock
// with unpaid checkouts. At most 10 units of one variant (in the cart, and
// across unpaid orders), 50 units in all and 3 unpaid checkouts; each
// refusal is a 409 with its code that reserves nothing and leaves the
// cart as it was; paid orders do not count.
func TestUnpaidHoldIsBounded(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var v [7]int64
		for i := range v {
			v[i] = sell(t, app, item{producer: producer1Slug, price: 20000, stock: 20, grams: 100}).ID
		}
		hoarder := freshBuyer(t, app, "hoarder")
		refused := func(name string, res *webtest.Response, code string) {
			t.Helper()
			if got, detail := problem(t, res); res.StatusCode != http.StatusConflict || got != code || detail == "" {
				t.Fatalf("%s: %d %q %q, want 409 %s with a message", name, res.StatusCode, got, detail, code)
			}
		}

		// All 20 units in one cart line: refused at the cart.
		refused("20 units in the cart", addToCart(t, app, hoarder, v[0], 20), "cart.line_limit")
		addToCart(t, app, hoarder, v[0], 10)
		refused("an 11th unit in the cart", addToCart(t, app, hoarder, v[0], 1), "cart.line_limit")
		refused("a line set to 11", app.API(webtest.Req{Method: "PUT", Path: "/api/v1/cart/items/" + id(v[0]), Token: hoarder, Body: `{"quantity":11}`}), "cart.line_limit")
		checkout(t, app, hoarder, checkoutBody(app, t, "vietqr"))
		if s := stockOf(t, app, v[0]); s != 10 {
			t.Fatalf("stock after a 10-unit checkout = %d, want 10", s)
		}

		// More of the same variant in a second unpaid checkout: refused.
		addToCart(t, app, hoarder, v[0], 1)
		refused("11th unit across unpaid orders", app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: hoarder, Body: checkoutBody(app, t, "vietqr")}), "checkout.variant_limit")
		if stockOf(t, app, v[0]) != 10 || groupsOf(t, app, hoarder) != 1 {
			t.Fatal("a refused checkout reserved stock or made a group")
		}
		app.API(webtest.Req{Method: "PUT", Path: "/api/v1/cart/items/" + id(v[0]), Token: hoarder, Body: `{"quantity":0}`})

		// 50 units in all: 10 + 20 + 20 fits, one more does not.
		addToCart(t, app, hoarder, v[1], 10)
		addToCart(t, app, hoarder, v[2], 10)
		checkout(t, app, hoarder, checkoutBody(app, t, "vietqr")) // 30 held, 2 groups
		addToCart(t, app, hoarder, v[3], 10)
		addToCart(t, app, hoarder, v[4], 10)
		addToCart(t, app, hoarder, v[5], 1)
		refused("51 units unpaid", app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: hoarder, Body: checkoutBody(app, t, "vietqr")}), "checkout.units_limit")
		if stockOf(t, app, v[3]) != 20 || stockOf(t, app, v[5]) != 20 {
			t.Fatal("a refused checkout reserved stock")
		}
		app.API(webtest.Req{Method: "PUT", Path: "/api/v1/cart/items/" + id(v[5]), Token: hoarder, Body: `{"quantity":0}`})
		third := checkout(t, app, hoarder, checkoutBody(app, t, "vietqr")) // 50 held, 3 groups

		// A fourth unpaid checkout: refused, until one is paid.
		addToCart(t, app, hoarder, v[6], 1)
		refused("4th unpaid checkout", app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: hoarder, Body: checkoutBody(app, t, "vietqr")}), "checkout.unpaid_limit")
		var cart struct {
			Parts []struct{ Lines []struct{ Quantity int64 } }
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: hoarder}).JSON(t, &cart)
		if len(cart.Parts) != 1 || cart.Parts[0].Lines[0].Quantity != 1 {
			t.Fatalf("cart after the refusal = %+v, want it unchanged", cart)
		}
		payByBank(t, app, third)
		if g := checkout(t, app, hoarder, checkoutBody(app, t, "vietqr")); g.Code == "" {
			t.Fatal("a paid order should free a place")
		}

		// Another account is not limited by the first one's orders.
		other := freshBuyer(t, app, "other")
		addToCart(t, app, other, v[0], 10)
		checkout(t, app, other, checkoutBody(app, t, "vietqr"))
	}, withBankSecret)
}

// TestStockHeldByUnpaidOrdersIsExplained: when stock is short because
// unpaid orders hold it, the 409 (cart and checkout) says how many units
// and from what time (Vietnam time) they come back if still unpaid; the
// code stays that of the plain refusal.
func TestStockHeldByUnpaidOrdersIsExplained(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		w := sell(t, app, item{producer: producer1Slug, price: 35000, stock: 5, grams: 100}).ID
		first, late := freshBuyer(t, app, "first"), freshBuyer(t, app, "late")
		addToCart(t, app, late, w, 1)
		addToCart(t, app, first, w, 5)
		g := checkout(t, app, first, checkoutBody(app, t, "vietqr"))
		var held order.Group
		if err := app.DB.Where("code = ?", g.Code).Take(&held).Error; err != nil {
			t.Fatal(err)
		}
		until := held.ExpiresAt.In(day.Zone).Format("15:04")

		for _, c := range []struct {
			name, code string
			res        *webtest.Response
		}{
			{"add to cart", "cart.not_enough_stock", addToCart(t, app, late, w, 1)},
			{"checkout", "checkout.out_of_stock", app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: late, Body: checkoutBody(app, t, "vietqr")})},
		} {
			code, detail := problem(t, c.res)
			want := fmt.Sprintf("5 units are held by unpaid orders; they come back if still unpaid at %s", until)
			if c.res.StatusCode != http.StatusConflict || code != c.code || !contains([]byte(detail), want) {
				t.Errorf("%s: %d %q %q, want 409 %s saying %q", c.name, c.res.StatusCode, code, detail, c.code, want)
			}
		}
		// Once the hold is gone, the plain message again.
		expireAll(t, app)
		app.DB.Exec("UPDATE variants SET stock = 0 WHERE id = ?", w)
		code, detail := problem(t, app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: late, Body: checkoutBody(app, t, "vietqr")}))
		if code != "checkout.out_of_stock" || contains([]byte(detail), "held") {
			t.Fatalf("out of stock with nothing held: %q %q", code, detail)
		}
	})
}

// TestConcurrentCheckoutsOfOneCart: one account's cart checked out eight
// times at once makes one order group, reserves once, and the others are
// refused (409, the cart is empty): the cart row is locked first.
func TestConcurrentCheckoutsOfOneCart(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer2Slug, price: 45000, stock: 100, grams: 100}).ID
		buyer := freshBuyer(t, app, "eager")
		addToCart(t, app, buyer, v, 2)
		body, err := json.Marshal(checkoutBody(app, t, "vietqr"))
		if err != nil {
			t.Fatal(err)
		}
		client := &http.Client{Timeout: 30 * time.Second}
		statuses := make([]int, 8)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, err := postJSON(client, app.HTTP.URL+"/api/v1/checkout", buyer, body)
				if err != nil {
					code = -1
				}
				statuses[i] = code
			}()
		}
		wg.Wait()
		created := 0
		for _, s := range statuses {
			switch s {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
			default:
				t.Errorf("concurrent checkout answered %d, want 201 or 409 (all: %v)", s, statuses)
			}
		}
		if created != 1 || groupsOf(t, app, buyer) != 1 || stockOf(t, app, v) != 98 {
			t.Fatalf("%d checkouts succeeded, %d groups, stock %d; want 1, 1, 98 (statuses %v)", created, groupsOf(t, app, buyer), stockOf(t, app, v), statuses)
		}
	})
}
