package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

func signIn(b *browsertest.Browser, email string) {
	b.Open("/login")
	b.Fill("Email", email)
	b.Fill("Mật khẩu", "ocop-demo")
	b.Click("Đăng nhập")
	b.WaitText("Bạn đã đăng nhập.")
}

// waitThroughReload waits for text on a page that reloads itself (the
// htmx poll's HX-Refresh), where a wait in flight sees the document go away.
func waitThroughReload(t *testing.T, b *browsertest.Browser, text string) {
	t.Helper()
	deadline := time.Now().Add(browsertest.Timeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Context(), time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body ? document.body.innerText.includes(`+strconv.Quote(text)+`) : false`))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond) // polling a page that reloads on its own schedule
	}
	b.WaitText(text) // fails with the page's text and a screenshot
}

// TestBuyAndShipInBrowser: a shopper buys two products from two producers
// in Chromium, pays by VietQR (the test plays the bank and posts the signed
// notification), and the order page updates itself to paid; then each
// producer sees only their own order and ships it.
func TestBuyAndShipInBrowser(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := sell(t, app, item{producer: producer1Slug, price: 120000, stock: 10, grams: 500})
		b := sell(t, app, item{producer: producer2Slug, price: 80000, stock: 10, grams: 300})
		br := browsertest.New(t, app.HTTP.URL)
		signIn(br, "shopper@example.com")
		// The shopper puts both products in the cart from their product
		// pages (the storefront's add-to-cart form), two of the second.
		br.Open("/products/" + productSlug(t, app, a))
		br.Click("Thêm vào giỏ")
		br.WaitText("Giỏ hàng")
		br.Open("/products/" + productSlug(t, app, b))
		br.Fill("Số lượng", "2")
		br.Click("Thêm vào giỏ")
		br.WaitText("Giỏ hàng")
		br.Open("/cart")
		br.WaitText("Giỏ hàng")
		br.Do("choose province", chromedp.SetValue(chromedp.CSS("#province"), "20"))
		br.Click("Tính phí vận chuyển")
		br.WaitText("18.000")
		br.Click("Đặt hàng")
		br.WaitText("Người nhận")
		br.Fill("Người nhận", "Nguyễn Văn Mua")
		br.Fill("Số điện thoại", "0912345678")
		br.Do("choose commune", chromedp.SetValue(chromedp.CSS("#f-commune_code"), langSonCommune(t, app)))
		br.Fill("Số nhà, đường, thôn", "12 Lê Lợi")
		br.Click("Đặt hàng và thanh toán")
		br.WaitText("Quét mã VietQR bằng ứng dụng ngân hàng")
		br.WaitText("Chờ thanh toán")
		code := br.Text("#group-code")
		if w := string(br.Eval(`document.getElementById('vietqr-img').naturalWidth`)); w == "0" {
			t.Fatal("the VietQR image did not load")
		}
		var g order.Group
		if err := app.DB.Where("code = ?", code).Take(&g).Error; err != nil {
			t.Fatalf("group %q: %v", code, err)
		}
		payByBank(t, app, group{Code: g.Code, Total: g.Total})
		waitThroughReload(t, br, "Đã thanh toán") // the page polls and refreshes itself
		br.NoConsoleErrors()

		for _, who := range []string{"producer@example.com", "producer2@example.com"} {
			pb := browsertest.New(t, app.HTTP.URL)
			signIn(pb, who)
			pb.Open("/portal/orders")
			pb.WaitText(code + "-")
			if n := strings.TrimSpace(string(pb.Eval(`document.querySelectorAll('article.order-part').length`))); n != "1" {
				t.Fatalf("%s sees %s orders, want only their own", who, n)
			}
			pb.Click("Xác nhận")
			pb.WaitText("Đã xác nhận")
			pb.Click("Đã đóng gói")
			pb.WaitText("Gửi hàng")
			pb.Select("carrier", "VNPost")
			pb.Fill("tracking_code", "EE"+time.Now().Format("150405")+"VN")
			pb.Click("Gửi hàng")
			pb.WaitText("Đang giao")
			pb.NoConsoleErrors()
		}
		var shipped int64
		app.DB.Model(&order.Order{}).Where("group_id = ? AND status = ?", g.ID, order.StatusShipped).Count(&shipped)
		if shipped != 2 {
			t.Fatalf("%d orders shipped, want 2", shipped)
		}
		assertBalanced(t, app, code)
	}, withBankSecret)
}

// productSlug is the slug of v's product, for opening its storefront page.
func productSlug(t *testing.T, app *webtest.App, v catalog.Variant) string {
	t.Helper()
	var p catalog.Product
	if err := app.DB.Take(&p, v.ProductID).Error; err != nil {
		t.Fatal(err)
	}
	return p.Slug
}
