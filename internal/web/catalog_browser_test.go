package web_test

import (
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestCatalogJourney: a producer lists a product with a photo and publishes
// it; a shopper finds it by an unaccented search, opens it, and the OCOP
// badge links to the certificate's verify page.
func TestCatalogJourney(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		photo := filepath.Join(t.TempDir(), "mut-gung.jpg")
		img := image.NewRGBA(image.Rect(0, 0, 800, 600))
		for x := 0; x < 800; x++ {
			img.Set(x, x%600, color.RGBA{180, 120, 20, 255})
		}
		f, err := os.Create(photo)
		if err != nil {
			t.Fatal(err)
		}
		jpeg.Encode(f, img, nil)
		f.Close()

		b := browsertest.New(t, app.HTTP.URL)
		b.Open("/login")
		b.Fill("Email", "producer@example.com")
		b.Fill("Mật khẩu", "ocop-demo")
		b.Click("Đăng nhập")
		b.Open("/portal/products/new")
		b.Fill("Tên sản phẩm (tiếng Việt)", "Mứt gừng Đồng Bành")
		b.Do("choose the group", chromedp.SetValue(chromedp.CSS("#group_code"), "I.3.c"))
		b.Fill("Mô tả", "Mứt gừng non làm thủ công.")
		b.Fill("sku-0", "MG-200")
		b.Fill("variant_name-0", "Hộp 200 g")
		b.Fill("price-0", "65000")
		b.Fill("stock-0", "25")
		b.Click("save-product")
		b.WaitText("Đã lưu.")
		b.Do("choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}))
		b.Click("upload-photo")
		b.WaitText("Đã lưu.")
		b.Click("publish")
		b.WaitText("Đang bán")
		slug := b.Path()[len("/portal/products/"):]

		// The provincial registry recognises it (inserted as the registry would).
		today := day.Today()
		code := certify(t, app, slug, 4, today.AddDays(-5), today.AddDays(1000), day.Date{})

		// A shopper (signed out) searches without diacritics.
		b.Click("Đăng xuất")
		b.Open("/")
		b.Fill("q", "mut gung dong banh")
		b.Click("Tìm")
		b.WaitText("Mứt gừng Đồng Bành")
		b.Click("Mứt gừng Đồng Bành")
		b.WaitText("65.000")
		if got := b.Attr("#ocop-badge", "href"); got != "/verify/"+code {
			t.Errorf("badge links to %q, want /verify/%s", got, code)
		}
		if src := b.Attr(".gallery img", "src"); src == "" {
			t.Error("the product page shows no photo")
		}
		b.NoConsoleErrors()
	})
}
