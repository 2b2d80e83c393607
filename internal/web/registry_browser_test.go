package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/platform/qr/qrtest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestRegistryBrowserJourney: an officer scores and recognises an
// application in the registry pages, and a shopper then verifies the
// certificate from the URL its QR code holds.
func TestRegistryBrowserJourney(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		if browsertest.Chromium() == "" && !browsertest.Required() {
			t.Skip("no chromium")
		}
		// The producer applies and the commune proposes, through the API.
		r := regClient{t, app}
		producer, officer := app.Token("producer@example.com"), app.Token("officer@example.com")
		var a appJSON
		r.do(producer, "POST", "/api/v1/portal/applications", map[string]any{"product_name": "Mứt na Chi Lăng", "group_code": "I.3.c"}, http.StatusCreated).JSON(t, &a)
		r.upload(producer, a.Code, "phieu-dang-ky.pdf", pdfBytes, http.StatusCreated)
		r.do(producer, "POST", "/api/v1/portal/applications/"+a.Code+"/submit", nil, http.StatusOK)
		r.do(officer, "POST", "/api/v1/registry/applications/"+a.Code+"/propose", map[string]string{"note": "Đủ hồ sơ"}, http.StatusOK)

		b := browsertest.New(t, app.HTTP.URL)
		b.Open("/login")
		b.Fill("Email", "officer@example.com")
		b.Fill("Mật khẩu", "ocop-demo")
		b.Click("Đăng nhập")
		b.Open("/registry/applications/" + a.Code)
		b.WaitText("Mứt na Chi Lăng")
		b.Fill("part_a", "31,5")
		b.Fill("part_b", "20")
		b.Fill("part_c", "25")
		b.Click("Lưu phiếu chấm")
		b.WaitText("Đã lưu phiếu chấm.")
		b.WaitText("76.5")

		b.Open("/registry/decisions/new")
		b.Fill("number", "DEMO-77/QĐ-UBND")
		b.Do("tick the application", chromedp.Click(chromedp.CSS(`input[name="applications"][value="`+a.Code+`"]`)))
		b.Click("Ghi quyết định")
		b.WaitText("Đã ghi quyết định.")
		b.WaitText("Mứt na Chi Lăng")
		b.NoConsoleErrors()

		var c registry.Certificate
		if err := app.DB.Where("product_name = ?", "Mứt na Chi Lăng").First(&c).Error; err != nil {
			t.Fatalf("no certificate after the decision: %v", err)
		}
		if c.Stars != 4 || c.DecisionNo != "DEMO-77/QĐ-UBND" {
			t.Fatalf("certificate: %d stars, decision %q", c.Stars, c.DecisionNo)
		}

		// The shopper scans the QR code on the package.
		res, err := http.Get(app.HTTP.URL + "/api/v1/certificates/" + c.Code + "/qr.png")
		if err != nil {
			t.Fatal(err)
		}
		png, _ := io.ReadAll(res.Body)
		res.Body.Close()
		url, err := qrtest.DecodePNG(png)
		if err != nil || !strings.HasSuffix(url, "/verify/"+c.Code) {
			t.Fatalf("QR decodes to %q (%v)", url, err)
		}
		shopper := browsertest.New(t, app.HTTP.URL)
		shopper.Open(url)
		shopper.WaitText("Còn hiệu lực")
		shopper.WaitText("Mứt na Chi Lăng")
		shopper.WaitText("★★★★")
		if got := shopper.Text("#cert-product"); got != "Mứt na Chi Lăng" {
			t.Errorf("verify page product %q", got)
		}
		shopper.NoConsoleErrors()
	})
}

// TestCertificateListAndPrintInTheBrowser: an officer filters the
// certificate list with the form, pages through it, and opens a revoked
// certificate's printable page, whose watermark is drawn by the stylesheet
// alone (the CSP blocks inline styles, so a console error would show one).
func TestCertificateListAndPrintInTheBrowser(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		if browsertest.Chromium() == "" && !browsertest.Required() {
			t.Skip("no chromium")
		}
		var revoked registry.Certificate
		if err := app.DB.Where("revoked_on IS NOT NULL AND province_code = ?", "20").First(&revoked).Error; err != nil {
			t.Fatal("seed: no revoked certificate in Lạng Sơn")
		}
		b := browsertest.New(t, app.HTTP.URL)
		b.Open("/login")
		b.Fill("Email", "officer@example.com")
		b.Fill("Mật khẩu", "ocop-demo")
		b.Click("Đăng nhập")
		b.Open("/registry/certificates")
		b.Select("status", "Đã bị thu hồi")
		b.Click("Lọc")
		b.WaitText(revoked.ProductName)
		if got := b.Text("#cert-count"); !strings.Contains(got, "trong 1 giấy chứng nhận") {
			t.Errorf("revoked filter count: %q", got)
		}
		if href := b.Attr("#cert-export", "href"); !strings.Contains(href, "status=revoked") {
			t.Errorf("the export link does not carry the filter: %q", href)
		}
		b.Open("/registry/certificates?limit=5")
		firstRow := b.Text("#certificates tbody tr")
		b.Click("Trang sau »")
		b.WaitText("« Trang đầu")
		if next := b.Text("#certificates tbody tr"); next == firstRow {
			t.Errorf("the next page starts with the same row: %q", next)
		}
		b.NoConsoleErrors()

		b.Open("/verify/" + revoked.Code + "/print")
		b.WaitText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
		// The watermark's words are drawn by the stylesheet from data-text
		// (a decoration: the status is said in the page's text too).
		var drawn string
		if err := json.Unmarshal(b.Eval(`getComputedStyle(document.querySelector('#watermark span'), '::before').content`), &drawn); err != nil || drawn != `"ĐÃ THU HỒI"` {
			t.Errorf("the watermark draws %q, want \"ĐÃ THU HỒI\" (%v)", drawn, err)
		}
		var transform string
		if err := json.Unmarshal(b.Eval(`getComputedStyle(document.querySelector('#watermark span')).transform`), &transform); err != nil || transform == "none" || transform == "" {
			t.Errorf("the watermark is not rotated by the stylesheet: %q (%v)", transform, err)
		}
		b.NoConsoleErrors()
	})
}
