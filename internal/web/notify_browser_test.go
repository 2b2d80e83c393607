package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/notify/mailpittest"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestSaleReachesProducerInBrowser: a shopper buys in Chromium and the bank
// pays; the producer's bell shows 1, the inbox names the order, and the
// e-mail is in Mailpit.
func TestSaleReachesProducerInBrowser(t *testing.T) {
	mp := mailpittest.Start(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer1Slug, price: 120000, stock: 10, grams: 500})
		br := browsertest.New(t, app.HTTP.URL)
		signIn(br, "shopper@example.com")
		br.Open("/products/" + productSlug(t, app, v))
		br.Click("Thêm vào giỏ")
		br.WaitText("Giỏ hàng")
		br.Open("/cart")
		br.Click("Đặt hàng")
		br.WaitText("Người nhận")
		br.Fill("Người nhận", "Nguyễn Văn Mua")
		br.Fill("Số điện thoại", "0912345678")
		// As a person does: the change event makes htmx reprice the summary
		// (the form then carries the total with shipping) and load the
		// communes. Setting the value alone left the total without
		// shipping, and the order came back as "total recomputed".
		br.Select("Tỉnh/thành phố", "Tỉnh Lạng Sơn")
		br.WaitText(money.VND(138000)) // 120.000 ₫ and 18.000 ₫ within Lạng Sơn
		br.Do("wait for the communes", chromedp.Poll[chromedp.Void](`document.querySelectorAll('#f-commune_code option').length > 1`))
		br.Do("choose commune", chromedp.SetValue(chromedp.CSS("#f-commune_code"), langSonCommune(t, app)))
		if v := br.Attr("#expected-total", "value"); v != "138000" {
			t.Fatalf("the form would place the order at %s, the page shows 138000", v)
		}
		br.Fill("Số nhà, đường, thôn", "12 Lê Lợi")
		br.Click("Đặt hàng và thanh toán")
		br.WaitText("Quét mã VietQR bằng ứng dụng ngân hàng")
		code := br.Text("#group-code")
		var g order.Group
		if err := app.DB.Preload("Orders").Where("code = ?", code).Take(&g).Error; err != nil {
			t.Fatalf("group %q: %v", code, err)
		}
		payByBank(t, app, group{Code: g.Code, Total: g.Total})
		jobstest.Drain(t, app.Server.Jobs())

		pb := browsertest.New(t, app.HTTP.URL)
		signIn(pb, "producer@example.com")
		if got := strings.TrimSpace(pb.Text("#bell-count")); got != "1" {
			t.Fatalf("the producer's bell shows %q, want 1", got)
		}
		pb.Open("/account/notifications")
		pb.WaitText("Đơn mới đã thanh toán: " + g.Orders[0].Code)
		pb.NoConsoleErrors()
		waitSubject(t, mp, "producer@example.com", "Đơn mới đã thanh toán: "+g.Orders[0].Code)
	}, withMail(mp))
}
