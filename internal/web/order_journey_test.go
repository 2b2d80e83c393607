package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/payment/vietqr"
	"github.com/chocop/ocop/internal/platform/qr/qrtest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestVietQRJourney: a shopper buys from two producers, pays by VietQR
// (signed bank notification), each producer fulfils only their own order,
// the ledger balances, and an admin pays a producer out.
func TestVietQRJourney(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		a := sell(t, app, item{producer: producer1Slug, price: 120000, stock: 10, grams: 500})
		b := sell(t, app, item{producer: producer2Slug, price: 80000, stock: 5, grams: 300})
		for _, r := range []*webtest.Response{addToCart(t, app, shopper, a.ID, 2), addToCart(t, app, shopper, b.ID, 1)} {
			if r.StatusCode != 200 {
				t.Fatalf("add to cart: %d %s", r.StatusCode, r.Body)
			}
		}
		var cart struct {
			Parts []struct{ Shipping, Total int64 }
			Total int64
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart?province_code=20", Token: shopper}).JSON(t, &cart)
		if len(cart.Parts) != 2 || cart.Parts[0].Shipping != 18000 || cart.Parts[1].Shipping != 18000 || cart.Total != 240000+80000+36000 {
			t.Fatalf("cart before paying = %+v, want two parts with 18.000 shipping each and 356.000 total", cart)
		}

		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		if g.Status != "pending" || len(g.Orders) != 2 || g.Total != 356000 || g.VietQR == nil {
			t.Fatalf("checkout = %+v", g)
		}
		if got := stockOf(t, app, a.ID); got != 8 {
			t.Fatalf("stock after checkout = %d, want 8 (reserved)", got)
		}
		p, err := vietqr.Decode(g.VietQR.Payload)
		if err != nil || p.Amount != g.Total || !strings.Contains(p.Purpose, g.Code) || p.BIN != app.Config.CollectionBankBIN {
			t.Fatalf("VietQR payload decodes to %+v, %v; want amount %d and purpose carrying %s", p, err, g.Total, g.Code)
		}
		// The order page's QR image decodes back to the payload.
		br := app.Browser()
		br.Login("shopper@example.com")
		if res := br.Get("/orders/" + g.Code); res.StatusCode != 200 || !contains(res.Body, g.VietQR.Payload) || !contains(res.Body, `hx-get="/orders/`+g.Code+`/status"`) {
			t.Fatalf("order page: %d, want the payload and the htmx status poll", res.StatusCode)
		}
		png := br.Get("/orders/" + g.Code + "/qr.png")
		if got, err := qrtest.DecodePNG(png.Body); err != nil || got != g.VietQR.Payload {
			t.Fatalf("QR image decodes to %q, %v", got, err)
		}
		if res := br.Get("/orders/" + g.Code + "/status"); res.StatusCode != http.StatusNoContent {
			t.Fatalf("status poll while unpaid = %d, want 204", res.StatusCode)
		}

		// Underpayment and an unknown code are recorded, not applied.
		if res := notifyBank(t, app, "TXN-UNDER", g.Total-1000, "OCOP "+g.Code, time.Now(), bankSecret); res.StatusCode != 200 || !contains(res.Body, `"issue"`) {
			t.Fatalf("underpayment: %d %s", res.StatusCode, res.Body)
		}
		if res := notifyBank(t, app, "TXN-UNKNOWN", g.Total, "tien hang", time.Now(), bankSecret); res.StatusCode != 200 || !contains(res.Body, `"issue"`) {
			t.Fatalf("unknown code: %d %s", res.StatusCode, res.Body)
		}
		if issues(t, app, "underpaid") != 1 || issues(t, app, "unknown_code") != 1 {
			t.Fatal("underpayment and unknown code should each be one issue")
		}
		if getGroup(t, app, shopper, g.Code).Status != "pending" {
			t.Fatal("an underpayment marked the group paid")
		}
		if n := assertBalanced(t, app, g.Code); n != 0 {
			t.Fatalf("%d ledger entries before payment, want 0", n)
		}

		payByBank(t, app, g)
		paid := getGroup(t, app, shopper, g.Code)
		if paid.Status != "paid" || paid.Orders[0].Status != "paid" || paid.Orders[1].Status != "paid" {
			t.Fatalf("after notification: %+v", paid)
		}
		if n := assertBalanced(t, app, g.Code); n != 5 {
			t.Fatalf("%d ledger entries after payment, want 5 (cash, and payable and commission per order)", n)
		}
		if res := br.Get("/orders/" + g.Code + "/status"); res.Header.Get("HX-Refresh") != "true" {
			t.Fatal("status poll after payment should refresh the page")
		}

		// Forged, stale and replayed notifications: 400, nothing changes.
		for name, res := range map[string]*webtest.Response{
			"replayed": notifyBank(t, app, "TXN-"+g.Code, g.Total, "OCOP "+g.Code, time.Now(), bankSecret),
			"forged":   notifyBank(t, app, "TXN-FORGED", g.Total, "OCOP "+g.Code, time.Now(), "not-the-secret"),
			"stale":    notifyBank(t, app, "TXN-STALE", g.Total, "OCOP "+g.Code, time.Now().Add(-10*time.Minute), bankSecret),
		} {
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s notification: %d, want 400", name, res.StatusCode)
			}
		}
		if n := assertBalanced(t, app, g.Code); n != 5 {
			t.Fatalf("ledger entries after bad notifications = %d, want 5", n)
		}

		// Each producer sees and moves only their own order.
		p1, p2 := app.Token("producer@example.com"), app.Token("producer2@example.com")
		var mine struct {
			Orders []struct {
				Code   string
				ShipTo struct{ Phone, Street string } `json:"ship_to"`
			}
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/orders", Token: p1}).JSON(t, &mine)
		if len(mine.Orders) != 1 {
			t.Fatalf("producer 1 sees %d orders, want 1", len(mine.Orders))
		}
		if mine.Orders[0].ShipTo.Phone != "0912345678" || !strings.Contains(mine.Orders[0].ShipTo.Street, "Lạng Sơn") {
			t.Fatalf("producer's view of where to ship: %+v", mine.Orders[0].ShipTo)
		}
		code1 := mine.Orders[0].Code
		act := func(token, action string, body any) *webtest.Response {
			return app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + code1 + "/" + action, Token: token, Body: body})
		}
		steps := []struct {
			name   string
			token  string
			action string
			body   any
			status int
		}{
			{"another producer cannot confirm", p2, "confirm", nil, 404},
			{"another producer cannot cancel", p2, "cancel", map[string]string{"reason": "x"}, 404},
			{"ship before confirm is illegal", p1, "ship", map[string]string{"carrier": "VNPost", "tracking_code": "EE1"}, 409},
			{"confirm", p1, "confirm", nil, 200},
			{"confirm twice is illegal", p1, "confirm", nil, 409},
			{"pack", p1, "pack", nil, 200},
			{"ship needs a tracking code", p1, "ship", map[string]string{"carrier": "VNPost"}, 400},
			{"ship", p1, "ship", map[string]string{"carrier": "VNPost", "tracking_code": "EE123456789VN"}, 200},
			{"cancel after shipping is illegal", p1, "cancel", map[string]string{"reason": "late"}, 409},
			{"deliver", p1, "deliver", nil, 200},
		}
		for _, s := range steps {
			if res := act(s.token, s.action, s.body); res.StatusCode != s.status {
				t.Fatalf("%s: %d, want %d: %s", s.name, res.StatusCode, s.status, res.Body)
			}
		}

		// The producer's ledger and a payout.
		var led struct {
			Sales, Commission, Balance int64
			PayoutsTotal               int64 `json:"payouts_total"`
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/ledger", Token: p1}).JSON(t, &led)
		if led.Sales != 240000+18000 || led.Commission != 12000 || led.Balance != 240000+18000-12000 {
			t.Fatalf("producer ledger = %+v, want sales 258.000, commission 12.000 (5%% of goods), balance 246.000", led)
		}
		admin := app.Token("admin@example.com")
		pay := func(amount int64) *webtest.Response {
			return app.API(webtest.Req{Method: "POST", Path: "/api/v1/admin/payouts", Token: admin,
				Body: map[string]any{"producer_slug": producer1Slug, "amount": amount, "reference": "UNC-001"}})
		}
		if res := pay(led.Balance + 1); res.StatusCode != http.StatusConflict {
			t.Fatalf("payout above the balance: %d, want 409", res.StatusCode)
		}
		if res := pay(led.Balance); res.StatusCode != http.StatusCreated {
			t.Fatalf("payout: %d %s", res.StatusCode, res.Body)
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/ledger", Token: p1}).JSON(t, &led)
		if led.Balance != 0 || led.PayoutsTotal != 246000 {
			t.Fatalf("after payout: %+v", led)
		}
		csv := app.API(webtest.Req{Method: "GET", Path: "/api/v1/admin/payouts.csv", Token: admin})
		if csv.StatusCode != 200 || !contains(csv.Body, producer2Slug) || contains(csv.Body, producer1Slug) {
			t.Fatalf("payout CSV should list producer 2 (owed) and not producer 1 (paid out):\n%s", csv.Body)
		}
		assertBalanced(t, app, g.Code)

		// Another shopper cannot see the order.
		other := registerShopper(t, app, "other.shopper@example.com")
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/orders/" + g.Code, Token: other}); res.StatusCode != 404 {
			t.Fatalf("another shopper opening the order: %d, want 404", res.StatusCode)
		}
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + g.Code + "/cancel", Token: other}); res.StatusCode != 404 {
			t.Fatalf("another shopper cancelling the order: %d, want 404", res.StatusCode)
		}
	}, withBankSecret)
}

func registerShopper(t testing.TB, app *webtest.App, email string) string {
	t.Helper()
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": email, "name": "Khách thử", "password": "ocop-demo"}})
	if res.StatusCode != 201 {
		t.Fatalf("register: %d %s", res.StatusCode, res.Body)
	}
	return app.Token(email)
}

// TestCancelAndRefund: an unpaid cancel gives stock back; a paid cancel
// refunds (a VietQR refund is an admin's to-do) with reversing entries; a
// producer's cancel with a reason does the same for one order.
func TestCancelAndRefund(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		a := sell(t, app, item{producer: producer1Slug, price: 50000, stock: 10, grams: 200})
		b := sell(t, app, item{producer: producer2Slug, price: 70000, stock: 10, grams: 200})
		cancel := func(code string) *webtest.Response {
			return app.API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + code + "/cancel", Token: shopper})
		}

		// Unpaid: cancelled, stock back once.
		addToCart(t, app, shopper, a.ID, 3)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		if res := cancel(g.Code); res.StatusCode != 200 || !contains(res.Body, `"cancelled"`) {
			t.Fatalf("cancel unpaid: %d %s", res.StatusCode, res.Body)
		}
		if res := cancel(g.Code); res.StatusCode != http.StatusConflict {
			t.Fatalf("cancel twice: %d, want 409", res.StatusCode)
		}
		if got := stockOf(t, app, a.ID); got != 10 {
			t.Fatalf("stock after unpaid cancel = %d, want 10", got)
		}
		if res := notifyBank(t, app, "TXN-LATE", g.Total, "OCOP "+g.Code, time.Now(), bankSecret); !contains(res.Body, `"issue"`) || issues(t, app, "paid_expired") != 1 {
			t.Fatalf("payment for a cancelled group must be an issue for an admin: %s", res.Body)
		}
		assertBalanced(t, app, g.Code)

		// Paid, then cancelled by the shopper: refunded, reversed, stock back.
		addToCart(t, app, shopper, a.ID, 2)
		addToCart(t, app, shopper, b.ID, 1)
		g = checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		payByBank(t, app, g)
		if res := cancel(g.Code); res.StatusCode != 200 {
			t.Fatalf("cancel paid: %d %s", res.StatusCode, res.Body)
		}
		after := getGroup(t, app, shopper, g.Code)
		for _, o := range after.Orders {
			if o.Status != "refunded" {
				t.Fatalf("order %s = %s, want refunded", o.Code, o.Status)
			}
		}
		if stockOf(t, app, a.ID) != 10 || stockOf(t, app, b.ID) != 10 {
			t.Fatal("stock not back after refund")
		}
		if n := assertBalanced(t, app, g.Code); n != 5+6 {
			t.Fatalf("%d entries after refund, want 11 (5 for payment, 3 reversals per order)", n)
		}
		// The ledger is append-only: the database refuses changes to written entries.
		if err := app.DB.Exec("UPDATE ledger_entries SET amount = 0").Error; err == nil {
			t.Fatal("a ledger entry could be updated")
		}
		if err := app.DB.Exec("DELETE FROM ledger_entries").Error; err == nil {
			t.Fatal("a ledger entry could be deleted")
		}
		if issues(t, app, "refund_due") != 2 {
			t.Fatal("each VietQR refund should be a refund_due issue for an admin")
		}

		// Paid, then one producer cancels with a reason.
		addToCart(t, app, shopper, a.ID, 1)
		addToCart(t, app, shopper, b.ID, 1)
		g = checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		payByBank(t, app, g)
		p1 := app.Token("producer@example.com")
		var code1 string
		for _, o := range g.Orders {
			if o.ProducerSlug == producer1Slug {
				code1 = o.Code
			}
		}
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + code1 + "/cancel", Token: p1, Body: map[string]string{}})
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("cancel without a reason: %d, want 400", res.StatusCode)
		}
		res = app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + code1 + "/cancel", Token: p1, Body: map[string]string{"reason": "Hết hàng do mưa lũ"}})
		if res.StatusCode != 200 || !contains(res.Body, `"refunded"`) {
			t.Fatalf("producer cancel: %d %s", res.StatusCode, res.Body)
		}
		if stockOf(t, app, a.ID) != 10 || stockOf(t, app, b.ID) != 9 {
			t.Fatalf("stock after producer cancel: a=%d b=%d, want 10 and 9", stockOf(t, app, a.ID), stockOf(t, app, b.ID))
		}
		if n := assertBalanced(t, app, g.Code); n != 5+3 {
			t.Fatalf("%d entries, want 8", n)
		}
	}, withBankSecret)
}

// TestExpiryReleasesStockOnce: an unpaid group expires after the TTL and
// gives its stock back exactly once, however often the sweep runs.
func TestExpiryReleasesStockOnce(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		a := sell(t, app, item{producer: producer1Slug, price: 30000, stock: 4, grams: 100})
		addToCart(t, app, shopper, a.ID, 3)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		if stockOf(t, app, a.ID) != 1 {
			t.Fatal("stock not reserved")
		}
		if n := expireAll(t, app); n != 1 {
			t.Fatalf("first sweep expired %d groups, want 1", n)
		}
		for range 3 {
			if n := expireAll(t, app); n != 0 {
				t.Fatalf("a later sweep expired %d groups again", n)
			}
		}
		if got := stockOf(t, app, a.ID); got != 4 {
			t.Fatalf("stock after expiry = %d, want 4 (released once)", got)
		}
		after := getGroup(t, app, shopper, g.Code)
		if after.Status != "expired" || after.Orders[0].Status != "expired" {
			t.Fatalf("after expiry: %+v", after)
		}
		// Paying an expired group is recorded for an admin to refund, not applied.
		res := notifyBank(t, app, "TXN-EXPIRED", g.Total, "OCOP "+g.Code, time.Now(), bankSecret)
		if !contains(res.Body, `"issue"`) || issues(t, app, "paid_expired") != 1 || getGroup(t, app, shopper, g.Code).Status != "expired" {
			t.Fatalf("payment after expiry: %s", res.Body)
		}
		if n := assertBalanced(t, app, g.Code); n != 0 {
			t.Fatalf("%d ledger entries for an expired group", n)
		}
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + g.Code + "/cancel", Token: shopper}); res.StatusCode != http.StatusConflict {
			t.Fatalf("cancel an expired group: %d, want 409", res.StatusCode)
		}
	}, withBankSecret)
}
