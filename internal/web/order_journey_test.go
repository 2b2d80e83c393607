package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/payment/vietqr"
	"github.com/chocop/ocop/internal/platform/qr/qrtest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestVietQRJourney: a shopper buys from two producers, pays by VietQR
// (signed bank notification), each producer fulfils only their own order,
// the ledger balances, and an admin pays a producer out.
func TestVietQRJourney(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		j := &vietqrJourney{app: app, shopper: app.Token("shopper@example.com")}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "a cart with two producers' goods, shipping per producer", Run: j.fillCart},
			{Name: "checkout reserves the stock and gives a VietQR", Run: j.checkout},
			{Name: "the order page shows the QR and polls its status", Run: j.orderPage},
			{Name: "an underpayment and an unknown code are issues, not payments", Run: j.wrongTransfers},
			{Name: "the bank's notification pays the group", Run: j.pay},
			{Name: "forged, stale and replayed notifications are 400 and change nothing", Run: j.badNotifications},
			{Name: "each producer sees and moves only their own order", Run: j.fulfil},
			{Name: "the producer's ledger and a payout", Run: j.payout},
			{Name: "another shopper cannot see the order", Run: j.otherShopper},
		})
	}, withBankSecret)
}

// vietqrJourney is what TestVietQRJourney's steps share.
type vietqrJourney struct {
	app     *webtest.App
	shopper string // bearer token
	a, b    catalog.Variant
	g       group
	br      *webtest.Browser // the shopper's browser
}

func (j *vietqrJourney) fillCart(t *testing.T) {
	app := j.app.For(t)
	j.a = sell(t, app, item{producer: producer1Slug, price: 120000, stock: 10, grams: 500})
	j.b = sell(t, app, item{producer: producer2Slug, price: 80000, stock: 5, grams: 300})
	for _, r := range []*webtest.Response{addToCart(t, app, j.shopper, j.a.ID, 2), addToCart(t, app, j.shopper, j.b.ID, 1)} {
		if r.StatusCode != 200 {
			t.Fatalf("add to cart: %d %s", r.StatusCode, r.Body)
		}
	}
	var cart struct {
		Parts []struct{ Shipping, Total int64 }
		Total int64
	}
	app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart?province_code=20", Token: j.shopper}).JSON(t, &cart)
	if len(cart.Parts) != 2 || cart.Parts[0].Shipping != 18000 || cart.Parts[1].Shipping != 18000 || cart.Total != 240000+80000+36000 {
		t.Fatalf("cart before paying = %+v, want two parts with 18.000 shipping each and 356.000 total", cart)
	}
}

func (j *vietqrJourney) checkout(t *testing.T) {
	app := j.app.For(t)
	j.g = checkout(t, app, j.shopper, checkoutBody(app, t, "vietqr"))
	g := j.g
	if g.Status != "pending" || len(g.Orders) != 2 || g.Total != 356000 || g.VietQR == nil {
		t.Fatalf("checkout = %+v", g)
	}
	if got := stockOf(t, app, j.a.ID); got != 8 {
		t.Fatalf("stock after checkout = %d, want 8 (reserved)", got)
	}
	p, err := vietqr.Decode(g.VietQR.Payload)
	if err != nil || p.Amount != g.Total || !strings.Contains(p.Purpose, g.Code) || p.BIN != app.Config.CollectionBankBIN {
		t.Fatalf("VietQR payload decodes to %+v, %v; want amount %d and purpose carrying %s", p, err, g.Total, g.Code)
	}
}

// orderPage: the order page's QR image decodes back to the payload, and
// the page polls the status while unpaid.
func (j *vietqrJourney) orderPage(t *testing.T) {
	g := j.g
	j.br = j.app.For(t).Browser()
	j.br.Login("shopper@example.com")
	if res := j.br.Get("/orders/" + g.Code); res.StatusCode != 200 || !contains(res.Body, g.VietQR.Payload) || !contains(res.Body, `hx-get="/orders/`+g.Code+`/status"`) {
		t.Fatalf("order page: %d, want the payload and the htmx status poll", res.StatusCode)
	}
	png := j.br.Get("/orders/" + g.Code + "/qr.png")
	if got, err := qrtest.DecodePNG(png.Body); err != nil || got != g.VietQR.Payload {
		t.Fatalf("QR image decodes to %q, %v", got, err)
	}
	if res := j.br.Get("/orders/" + g.Code + "/status"); res.StatusCode != http.StatusNoContent {
		t.Fatalf("status poll while unpaid = %d, want 204", res.StatusCode)
	}
}

// wrongTransfers: an underpayment and an unknown code are recorded, not applied.
func (j *vietqrJourney) wrongTransfers(t *testing.T) {
	app, g := j.app.For(t), j.g
	if res := notifyBank(t, app, "TXN-UNDER", g.Total-1000, "OCOP "+g.Code, time.Now(), bankSecret); res.StatusCode != 200 || !contains(res.Body, `"issue"`) {
		t.Fatalf("underpayment: %d %s", res.StatusCode, res.Body)
	}
	if res := notifyBank(t, app, "TXN-UNKNOWN", g.Total, "tien hang", time.Now(), bankSecret); res.StatusCode != 200 || !contains(res.Body, `"issue"`) {
		t.Fatalf("unknown code: %d %s", res.StatusCode, res.Body)
	}
	if issues(t, app, "underpaid") != 1 || issues(t, app, "unknown_code") != 1 {
		t.Fatal("underpayment and unknown code should each be one issue")
	}
	if getGroup(t, app, j.shopper, g.Code).Status != "pending" {
		t.Fatal("an underpayment marked the group paid")
	}
	if n := assertBalanced(t, app, g.Code); n != 0 {
		t.Fatalf("%d ledger entries before payment, want 0", n)
	}
}

func (j *vietqrJourney) pay(t *testing.T) {
	app, g := j.app.For(t), j.g
	payByBank(t, app, g)
	paid := getGroup(t, app, j.shopper, g.Code)
	if paid.Status != "paid" || paid.Orders[0].Status != "paid" || paid.Orders[1].Status != "paid" {
		t.Fatalf("after notification: %+v", paid)
	}
	if n := assertBalanced(t, app, g.Code); n != 5 {
		t.Fatalf("%d ledger entries after payment, want 5 (cash, and payable and commission per order)", n)
	}
	if res := j.br.Get("/orders/" + g.Code + "/status"); res.Header.Get("HX-Refresh") != "true" {
		t.Fatal("status poll after payment should refresh the page")
	}
}

func (j *vietqrJourney) badNotifications(t *testing.T) {
	app, g := j.app.For(t), j.g
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
}

// fulfil: each producer sees only their own order and moves it through
// the states the order machine allows, in order.
func (j *vietqrJourney) fulfil(t *testing.T) {
	app := j.app.For(t)
	var mine struct {
		Orders []struct {
			Code   string
			ShipTo struct{ Phone, Street string } `json:"ship_to"`
		}
	}
	app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/orders", Token: app.TokenOf("producer@example.com")}).JSON(t, &mine)
	if len(mine.Orders) != 1 {
		t.Fatalf("producer 1 sees %d orders, want 1", len(mine.Orders))
	}
	if mine.Orders[0].ShipTo.Phone != "0912345678" || !strings.Contains(mine.Orders[0].ShipTo.Street, "Lạng Sơn") {
		t.Fatalf("producer's view of where to ship: %+v", mine.Orders[0].ShipTo)
	}
	order := "/api/v1/portal/orders/" + mine.Orders[0].Code + "/"
	const p1, p2 = "producer@example.com", "producer2@example.com"
	webtest.RunScenarios(t, app, []webtest.Scenario{
		{Name: "another producer cannot confirm", As: p2, Method: "POST", URL: order + "confirm", Status: 404},
		{Name: "another producer cannot cancel", As: p2, Method: "POST", URL: order + "cancel", Body: map[string]string{"reason": "x"}, Status: 404},
		{Name: "ship before confirm is illegal", As: p1, Method: "POST", URL: order + "ship", Body: map[string]string{"carrier": "VNPost", "tracking_code": "EE1"}, Status: 409},
		{Name: "confirm", As: p1, Method: "POST", URL: order + "confirm", Status: 200},
		{Name: "confirm twice is illegal", As: p1, Method: "POST", URL: order + "confirm", Status: 409},
		{Name: "pack", As: p1, Method: "POST", URL: order + "pack", Status: 200},
		{Name: "ship needs a tracking code", As: p1, Method: "POST", URL: order + "ship", Body: map[string]string{"carrier": "VNPost"}, Status: 400},
		{Name: "ship", As: p1, Method: "POST", URL: order + "ship", Body: map[string]string{"carrier": "VNPost", "tracking_code": "EE123456789VN"}, Status: 200},
		{Name: "cancel after shipping is illegal", As: p1, Method: "POST", URL: order + "cancel", Body: map[string]string{"reason": "late"}, Status: 409},
		{Name: "deliver", As: p1, Method: "POST", URL: order + "deliver", Status: 200},
	})
}

func (j *vietqrJourney) payout(t *testing.T) {
	app := j.app.For(t)
	p1 := app.TokenOf("producer@example.com")
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
	assertBalanced(t, app, j.g.Code)
}

func (j *vietqrJourney) otherShopper(t *testing.T) {
	registerShopper(t, j.app.For(t), "other.shopper@example.com")
	webtest.RunScenarios(t, j.app, []webtest.Scenario{
		{Name: "another shopper opening the order", As: "other.shopper@example.com", URL: "/api/v1/orders/" + j.g.Code, Status: 404},
		{Name: "another shopper cancelling the order", As: "other.shopper@example.com", Method: "POST", URL: "/api/v1/orders/" + j.g.Code + "/cancel", Status: 404},
	})
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
		c := &cancelJourney{app: app, shopper: app.Token("shopper@example.com"),
			a: sell(t, app, item{producer: producer1Slug, price: 50000, stock: 10, grams: 200}),
			b: sell(t, app, item{producer: producer2Slug, price: 70000, stock: 10, grams: 200})}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "unpaid: cancelled, stock back once", Run: c.unpaid},
			{Name: "paid, cancelled by the shopper: refunded, reversed, stock back", Run: c.paidByShopper},
			{Name: "paid, one producer cancels with a reason", Run: c.paidByProducer},
		})
	}, withBankSecret)
}

// cancelJourney is what TestCancelAndRefund's steps share: a shopper and
// two producers' goods, 10 of each in stock.
type cancelJourney struct {
	app     *webtest.App
	shopper string
	a, b    catalog.Variant
}

func (c *cancelJourney) cancel(t *testing.T, code string) *webtest.Response {
	return c.app.For(t).API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + code + "/cancel", Token: c.shopper})
}

func (c *cancelJourney) unpaid(t *testing.T) {
	app := c.app.For(t)
	addToCart(t, app, c.shopper, c.a.ID, 3)
	g := checkout(t, app, c.shopper, checkoutBody(app, t, "vietqr"))
	if res := c.cancel(t, g.Code); res.StatusCode != 200 || !contains(res.Body, `"cancelled"`) {
		t.Fatalf("cancel unpaid: %d %s", res.StatusCode, res.Body)
	}
	if res := c.cancel(t, g.Code); res.StatusCode != http.StatusConflict {
		t.Fatalf("cancel twice: %d, want 409", res.StatusCode)
	}
	if got := stockOf(t, app, c.a.ID); got != 10 {
		t.Fatalf("stock after unpaid cancel = %d, want 10", got)
	}
	if res := notifyBank(t, app, "TXN-LATE", g.Total, "OCOP "+g.Code, time.Now(), bankSecret); !contains(res.Body, `"issue"`) || issues(t, app, "paid_expired") != 1 {
		t.Fatalf("payment for a cancelled group must be an issue for an admin: %s", res.Body)
	}
	assertBalanced(t, app, g.Code)
}

func (c *cancelJourney) paidByShopper(t *testing.T) {
	app := c.app.For(t)
	addToCart(t, app, c.shopper, c.a.ID, 2)
	addToCart(t, app, c.shopper, c.b.ID, 1)
	g := checkout(t, app, c.shopper, checkoutBody(app, t, "vietqr"))
	payByBank(t, app, g)
	if res := c.cancel(t, g.Code); res.StatusCode != 200 {
		t.Fatalf("cancel paid: %d %s", res.StatusCode, res.Body)
	}
	after := getGroup(t, app, c.shopper, g.Code)
	for _, o := range after.Orders {
		if o.Status != "refunded" {
			t.Fatalf("order %s = %s, want refunded", o.Code, o.Status)
		}
	}
	if stockOf(t, app, c.a.ID) != 10 || stockOf(t, app, c.b.ID) != 10 {
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
}

func (c *cancelJourney) paidByProducer(t *testing.T) {
	app := c.app.For(t)
	addToCart(t, app, c.shopper, c.a.ID, 1)
	addToCart(t, app, c.shopper, c.b.ID, 1)
	g := checkout(t, app, c.shopper, checkoutBody(app, t, "vietqr"))
	payByBank(t, app, g)
	var code1 string
	for _, o := range g.Orders {
		if o.ProducerSlug == producer1Slug {
			code1 = o.Code
		}
	}
	cancel := "/api/v1/portal/orders/" + code1 + "/cancel"
	webtest.RunScenarios(t, app, []webtest.Scenario{
		{Name: "cancel without a reason", As: "producer@example.com", Method: "POST", URL: cancel, Body: map[string]string{}, Status: http.StatusBadRequest},
		{Name: "cancel with a reason", As: "producer@example.com", Method: "POST", URL: cancel, Body: map[string]string{"reason": "Hết hàng do mưa lũ"},
			Status: http.StatusOK, Contains: []string{`"refunded"`}},
	})
	if stockOf(t, app, c.a.ID) != 10 || stockOf(t, app, c.b.ID) != 9 {
		t.Fatalf("stock after producer cancel: a=%d b=%d, want 10 and 9", stockOf(t, app, c.a.ID), stockOf(t, app, c.b.ID))
	}
	if n := assertBalanced(t, app, g.Code); n != 5+3 {
		t.Fatalf("%d entries, want 8", n)
	}
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
