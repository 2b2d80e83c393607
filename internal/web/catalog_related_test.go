package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestRelatedProducts: the product page links to its group's list and asks
// htmx for the "same group" cards, which come as a fragment of at most four
// published products of that group, never the product itself, in the
// visitor's language; an unknown product is 404.
func TestRelatedProducts(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var p catalog.Product
		if err := app.DB.Where("slug = ?", "na-chi-lang").Take(&p).Error; err != nil {
			t.Fatal(err)
		}
		b := app.Browser()
		page := string(b.Get("/products/na-chi-lang").Body)
		for _, want := range []string{`hx-get="/products/na-chi-lang/related"`, `hx-trigger="revealed"`, `href="/products?group=` + p.GroupCode + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("product page lacks %s", want)
			}
		}
		res := b.Get("/products/na-chi-lang/related")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("related: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		frag := string(res.Body)
		if strings.Contains(frag, "<html") || !strings.Contains(frag, "Xem tất cả sản phẩm cùng nhóm") {
			t.Errorf("related is not a Vietnamese fragment: %.200s", frag)
		}
		slugs := regexp.MustCompile(`href="/products/([^"?]+)" class="product-card-link"`).FindAllStringSubmatch(frag, -1)
		if len(slugs) == 0 || len(slugs) > 4 {
			t.Fatalf("%d related cards, want 1 to 4", len(slugs))
		}
		for _, m := range slugs {
			var r catalog.Product
			if err := app.DB.Where("slug = ?", m[1]).Take(&r).Error; err != nil {
				t.Fatal(err)
			}
			if r.ID == p.ID || r.GroupCode != p.GroupCode || r.Status != catalog.StatusPublished {
				t.Errorf("related card %s: group %s, status %s (the product is %s in %s)", r.Slug, r.GroupCode, r.Status, p.Slug, p.GroupCode)
			}
		}
		b.Get("/lang/en?next=/")
		if en := string(b.Get("/products/na-chi-lang/related").Body); !strings.Contains(en, "See every product of this group") {
			t.Errorf("English related cards: %.200s", en)
		}
		if res := b.Get("/products/no-such-product/related"); res.StatusCode != 404 {
			t.Errorf("unknown product's related cards: %d, want 404", res.StatusCode)
		}
	})
}
