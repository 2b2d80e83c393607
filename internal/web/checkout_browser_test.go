package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// noOverflow fails when the page is wider than the phone's screen.
func noOverflow(t *testing.T, br *browsertest.Browser, page string) {
	t.Helper()
	if w := strings.TrimSpace(string(br.Eval(`document.documentElement.scrollWidth`))); w != "390" {
		t.Errorf("%s is %s px wide on a 390 px screen (horizontal scrolling): %s", page, w, br.Eval(`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width)).join(' | ')`))
	}
}

// TestCheckoutOnAPhone, in Chromium at 390 px: choosing the province on
// the checkout updates the summary with shipping before anything is
// submitted (htmx), the order is placed at exactly that total, and the
// VietQR page has its copy buttons shown (our own script) and the
// details behind "Chi tiết"; no page scrolls sideways, none logs an error.
func TestCheckoutOnAPhone(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := sell(t, app, item{producer: producer1Slug, price: 120000, stock: 10, grams: 500})
		b := sell(t, app, item{producer: producer2Slug, price: 80000, stock: 10, grams: 300})
		tok := app.TokenOf(shopperEmail)
		addToCart(t, app, tok, a.ID, 1)
		addToCart(t, app, tok, b.ID, 1)
		br := browsertest.New(t, app.HTTP.URL)
		br.Do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		signIn(br, shopperEmail)
		br.Open("/checkout")
		br.WaitText("Tóm tắt")
		noOverflow(t, br, "/checkout")
		if got := br.Text("#checkout-total"); got != money.VND(200000) {
			t.Fatalf("before choosing a province the total is %q, want the goods alone", got)
		}
		br.Select("Tỉnh/thành phố", "Thành phố Hà Nội")
		br.WaitText(money.VND(260000)) // 2 parcels from Lạng Sơn to Hà Nội, 30.000 ₫ each
		if got := br.Text("#checkout-shipping"); got != money.VND(60000) {
			t.Fatalf("shipping shown %q, want %s", got, money.VND(60000))
		}
		br.Select("Tỉnh/thành phố", "Tỉnh Lạng Sơn")
		br.WaitText(money.VND(236000)) // within Lạng Sơn, 18.000 ₫ each
		if v := br.Attr("#expected-total", "value"); v != "236000" {
			t.Fatalf("the form would place the order at %s, the page shows 236000", v)
		}
		br.Fill("Người nhận", "Nguyễn Văn Mua")
		br.Fill("Số điện thoại", "0912345678")
		br.Do("wait for the communes", chromedp.Poll[chromedp.Void](`document.querySelectorAll('#f-commune_code option').length > 1`))
		br.Do("choose commune", chromedp.SetValue(chromedp.CSS("#f-commune_code"), langSonCommune(t, app)))
		br.Fill("Số nhà, đường, thôn", "12 Lê Lợi")
		br.Click("Đặt hàng và thanh toán")
		br.WaitText("Quét mã VietQR bằng ứng dụng ngân hàng")
		code := br.Text("#group-code")
		if got := groupTotal(t, app, code); got != 236000 {
			t.Fatalf("charged %d, shown 236000", got)
		}
		noOverflow(t, br, "/orders/"+code)
		if n := strings.TrimSpace(string(br.Eval(`[...document.querySelectorAll('button[data-copy]')].filter(b => !b.hidden && b.offsetParent !== null).length`))); n != "3" {
			t.Fatalf("%s copy buttons visible, want 3 (account, amount, content)", n)
		}
		if got := br.Attr("#save-qr", "download"); got != "vietqr-"+code+".png" {
			t.Errorf("save QR downloads as %q", got)
		}
		if open := string(br.Eval(`document.querySelector('details.payload').open`)); open != "false" {
			t.Errorf("the raw payload is not behind Chi tiết (details open: %s)", open)
		}
		br.Text("#qr-bank") // the bank by name
		if bank := br.Text("#qr-bank"); !strings.Contains(bank, "Agribank") || strings.Contains(bank, "970405") {
			t.Errorf("bank shown as %q, want its name", bank)
		}
		br.NoConsoleErrors()
	})
}
