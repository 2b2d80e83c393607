package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/web/webtest"
)

// placePaid checks out one line from each demo producer to Lạng Sơn as the
// shopper, pays it by bank transfer and returns the group.
func placePaid(t *testing.T, app *webtest.App, a, b int64) group {
	t.Helper()
	tok := app.TokenOf(shopperEmail)
	for _, v := range []int64{a, b} {
		if res := addToCart(t, app, tok, v, 1); res.StatusCode != http.StatusOK {
			t.Fatalf("cart: %d %s", res.StatusCode, res.Body)
		}
	}
	g := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
	payByBank(t, app, g)
	return getGroup(t, app, tok, g.Code)
}

// ship moves a producer's paid order to shipped with carrier and number.
func ship(t *testing.T, app *webtest.App, producerEmail, code, carrier, number string) {
	t.Helper()
	tok := app.TokenOf(producerEmail)
	for _, step := range []string{"confirm", "pack"} {
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + code + "/" + step, Token: tok}); res.StatusCode != 200 {
			t.Fatalf("%s %s: %d %s", step, code, res.StatusCode, res.Body)
		}
	}
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + code + "/ship", Token: tok,
		Body: map[string]string{"carrier": carrier, "tracking_code": number}})
	if res.StatusCode != 200 {
		t.Fatalf("ship %s: %d %s", code, res.StatusCode, res.Body)
	}
}

// orderOf is the code of the order of producerSlug in g.
func orderOf(t *testing.T, g group, producerSlug string) string {
	t.Helper()
	for _, o := range g.Orders {
		if o.ProducerSlug == producerSlug {
			return o.Code
		}
	}
	t.Fatalf("no order of %s in %s", producerSlug, g.Code)
	return ""
}

// TestOrderPageShowsDeliveryTimelineAndTracking proves the shopper's order
// page shows where the order goes (names, not codes), the timeline with
// times, and for each carrier a link to that carrier's own tracking page
// (free text: the number without a link); that the shopper's list shows
// status and totals; and that a producer's hostile tracking input is a 400
// that changes nothing.
func TestOrderPageShowsDeliveryTimelineAndTracking(t *testing.T) {
	carriers := []struct{ carrier, number, url string }{
		{"viettelpost", "1234567890", "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?billcode=1234567890"},
		{"ghn", "gyy3xu88", "https://donhang.ghn.vn/?order_code=GYY3XU88"},
		{"GHTK", "S1234567.BO.MB1.A1.123", "https://i.ghtk.vn/S1234567.BO.MB1.A1.123"},
		{"VNPost", "EE123456789VN", "https://www.vnpost.vn/vi-vn/dinh-vi/buu-pham?key=EE123456789VN"},
		{"jt", "862350452337", "https://jtexpress.vn/vi/tracking?type=track&billcode=862350452337"},
		{"Xe khách Thành Bưởi", "TB-2025-001", ""},
	}
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := sell(t, app, item{producer: producer1Slug, price: 70000, stock: 50, grams: 400})
		b := sell(t, app, item{producer: producer2Slug, price: 40000, stock: 50, grams: 300})
		var communeName string
		app.DB.Table("communes").Where("code = ?", langSonCommune(t, app)).Select("full_name").Scan(&communeName)
		var table []webtest.Scenario
		for i := 0; i < len(carriers); i += 2 {
			g := placePaid(t, app, a.ID, b.ID)
			ship(t, app, "producer@example.com", orderOf(t, g, producer1Slug), carriers[i].carrier, carriers[i].number)
			ship(t, app, "producer2@example.com", orderOf(t, g, producer2Slug), carriers[i+1].carrier, carriers[i+1].number)
			for _, c := range carriers[i : i+2] {
				sc := webtest.Scenario{Name: "tracking with " + c.carrier, As: shopperEmail, URL: "/orders/" + g.Code, Status: 200,
					Contains: []string{"Nguyễn Thị Test", "0912345678", "12 Đường Thử, " + communeName + ", Tỉnh Lạng Sơn",
						"Đã đặt hàng", "Đã thanh toán", "Nhà sản xuất đã xác nhận", "Đã gửi hàng", `<time datetime="`, strings.ToUpper(c.number)},
					NotContains: []string{`id="cancel-order"`, "order.event."}}
				if c.url != "" {
					sc.Contains = append(sc.Contains, `href="`+strings.ReplaceAll(c.url, "&", "&amp;")+`"`)
				} else {
					sc.Contains = append(sc.Contains, `<span class="tracking-code">TB-2025-001</span>`, c.carrier)
				}
				table = append(table, sc)
			}
		}
		last := placePaid(t, app, a.ID, b.ID)
		code := orderOf(t, last, producer1Slug)
		tok := app.TokenOf("producer@example.com")
		for _, step := range []string{"confirm", "pack"} {
			app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + code + "/" + step, Token: tok})
		}
		for _, bad := range []struct{ name, carrier, number string }{
			{"no number", "ghn", ""},
			{"too short", "ghn", "EE1"},
			{"too long", "ghn", strings.Repeat("A", 41)},
			{"markup", "ghn", "EE123<script>"},
			{"spaces inside", "ghn", "EE 123 456 VN"},
			{"a slash", "ghn", "EE123/../456"},
			{"a URL", "ghn", "javascript:alert(1)"},
			{"a control character", "ghn", "EE123\x07456"},
			{"letters with diacritics", "ghn", "ĐƠN123456"},
			{"no carrier", "", "EE123456789VN"},
			{"other without a name", "other", "EE123456789VN"},
			{"a carrier name with a control character", "Xe\x1bkhách", "EE123456789VN"},
			{"a carrier name too long", strings.Repeat("x", 61), "EE123456789VN"},
		} {
			table = append(table, webtest.Scenario{Name: "ship refused: " + bad.name, As: "producer@example.com", Method: "POST",
				URL: "/api/v1/portal/orders/" + code + "/ship", Body: map[string]string{"carrier": bad.carrier, "tracking_code": bad.number},
				Status: 400, Unchanged: true})
		}
		table = append(table, webtest.Scenario{Name: "my orders list", As: shopperEmail, URL: "/account/orders", Status: 200,
			Contains: []string{last.Code, "Đã thanh toán", "146.000", "Đang giao"}})
		webtest.RunScenarios(t, app, table)
	}, withBankSecret)
}

// TestCancelOfferedOnlyWhenAllowed: "Hủy đơn" is on the page (a link to a
// confirmation page with a destructive button) exactly when cancelling
// works: an unpaid group, a paid one nothing of which has shipped; never
// once a part has shipped or the group has expired, and the confirmation
// page then sends back to the order. The answer matches CanCancel in the API.
func TestCancelOfferedOnlyWhenAllowed(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := sell(t, app, item{producer: producer1Slug, price: 70000, stock: 50, grams: 400})
		b := sell(t, app, item{producer: producer2Slug, price: 40000, stock: 50, grams: 300})
		tok := app.TokenOf(shopperEmail)
		addToCart(t, app, tok, a.ID, 1)
		pending := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
		paid := placePaid(t, app, a.ID, b.ID)
		shipped := placePaid(t, app, a.ID, b.ID)
		ship(t, app, "producer@example.com", orderOf(t, shipped, producer1Slug), "ghn", "GYY3XU88")
		addToCart(t, app, tok, a.ID, 1)
		expired := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
		app.DB.Model(&order.Group{}).Where("code = ?", expired.Code).Update("expires_at", time.Now().Add(-time.Hour))
		// Only that one is past its time: the sweep of now expires it alone.
		if n, err := order.NewService(app.DB, app.Config.PaymentTTL, payment.CommissionBP).ExpireDue(context.Background(), time.Now()); err != nil || n != 1 {
			t.Fatalf("expired %d groups, %v; want 1", n, err)
		}
		offered := func(code string) webtest.Scenario {
			return webtest.Scenario{Name: "offered on " + code, As: shopperEmail, URL: "/orders/" + code, Status: 200,
				Contains: []string{`href="/orders/` + code + `/cancel" id="cancel-order"`, `class="button danger"`}}
		}
		notOffered := func(code string) []webtest.Scenario {
			return []webtest.Scenario{
				{Name: "not offered on " + code, As: shopperEmail, URL: "/orders/" + code, Status: 200, NotContains: []string{`id="cancel-order"`}},
				{Name: "the confirmation of " + code + " goes back", As: shopperEmail, URL: "/orders/" + code + "/cancel", Status: 303, Location: "/orders/" + code},
				{Name: "the API says no for " + code, As: shopperEmail, URL: "/api/v1/orders/" + code, Status: 200, Contains: []string{`"can_cancel":false`}},
			}
		}
		table := []webtest.Scenario{offered(pending.Code), offered(paid.Code),
			{Name: "the API says yes", As: shopperEmail, URL: "/api/v1/orders/" + paid.Code, Status: 200, Contains: []string{`"can_cancel":true`}},
			{Name: "the confirmation asks, with a destructive button", As: shopperEmail, URL: "/orders/" + paid.Code + "/cancel", Status: 200,
				Contains: []string{"hoàn tiền", `<button type="submit" class="danger" id="confirm-yes">`}},
			{Name: "cancelling a paid group from the confirmation", As: shopperEmail, Method: "POST", URL: "/orders/" + paid.Code + "/cancel",
				FormPage: "/orders/" + paid.Code + "/cancel", Status: 303, Location: "/orders/" + paid.Code},
		}
		table = append(table, notOffered(shipped.Code)...)
		table = append(table, notOffered(expired.Code)...)
		table = append(table, notOffered(paid.Code)...) // now refunded
		webtest.RunScenarios(t, app, table)
	}, withBankSecret)
}

// TestMyOrders: "My orders" is in the header for shoppers (not producers);
// the list pages by 20, newest first, with clear 400s for a bad page.
func TestMyOrders(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var u struct{ ID int64 }
		app.DB.Table("users").Where("email = ?", shopperEmail).Select("id").Scan(&u)
		now := time.Now().UTC()
		for i := range 21 {
			g := order.Group{Code: fmt.Sprintf("DHPAGE%03d", i), UserID: u.ID, Status: order.GroupExpired, PaymentMethod: order.MethodVietQR,
				ItemsTotal: 10000 + int64(i), Total: 10000 + int64(i), RecipientName: "Lan", Phone: "0912345678", ProvinceCode: "20",
				CommuneCode: langSonCommune(t, app), Street: "1 Lê Lợi", ExpiresAt: now, CreatedAt: now, UpdatedAt: now}
			if err := app.DB.Create(&g).Error; err != nil {
				t.Fatal(err)
			}
		}
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "the header links to my orders", As: shopperEmail, URL: "/", Status: 200, Contains: []string{`href="/account/orders" id="my-orders-link">Đơn hàng của tôi</a>`}},
			{Name: "not for a producer", As: "producer@example.com", URL: "/", Status: 200, NotContains: []string{`id="my-orders-link"`}},
			{Name: "the account page links to orders and addresses", As: shopperEmail, URL: "/account", Status: 200,
				Contains: []string{`href="/account/orders"`, `href="/account/addresses"`}},
			{Name: "page 1: the 20 newest", As: shopperEmail, URL: "/account/orders", Status: 200,
				Contains: []string{"DHPAGE020", "DHPAGE001", "10.020", `href="/account/orders?page=2" rel="next"`}, NotContains: []string{"DHPAGE000", `rel="prev"`}},
			{Name: "page 2: the oldest", As: shopperEmail, URL: "/account/orders?page=2", Status: 200,
				Contains: []string{"DHPAGE000", `href="/account/orders" rel="prev"`}, NotContains: []string{"DHPAGE001", `rel="next"`}},
			{Name: "past the end: empty", As: shopperEmail, URL: "/account/orders?page=9", Status: 200, Contains: []string{"Chưa có đơn hàng nào."}},
			{Name: "page 0", As: shopperEmail, URL: "/account/orders?page=0", Status: 400},
			{Name: "a page that is not a number", As: shopperEmail, URL: "/account/orders?page=abc", Status: 400},
			{Name: "a huge page", As: shopperEmail, URL: "/account/orders?page=99999999999999999999", Status: 400},
			{Name: "another shopper sees none of them", As: "producer@example.com", URL: "/account/orders", Status: 200, NotContains: []string{"DHPAGE"}},
		})
	})
}
