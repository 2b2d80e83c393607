package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

var variantRe = regexp.MustCompile(`name="variant_id" value="(\d+)"`)

// TestGuestCartFromProductPageFollowsSignIn joins the storefront and the
// orders area: the add-to-cart form of a (cached) product page works for a
// guest, and the guest cart becomes the account's cart at sign-in.
func TestGuestCartFromProductPageFollowsSignIn(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var p catalog.Product
		if err := app.DB.Where("name = ?", "Vịt quay Hồng Xiêm").Take(&p).Error; err != nil {
			t.Fatalf("seeded product: %v", err)
		}
		b := app.Browser()
		// Render the page twice: the second answer comes from the page cache and
		// must still carry this visitor's CSRF token.
		b.Get("/products/" + p.Slug)
		page := b.Get("/products/" + p.Slug)
		if page.StatusCode != http.StatusOK {
			t.Fatalf("product page: %d", page.StatusCode)
		}
		m := variantRe.FindSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no add-to-cart form on the product page")
		}
		res := b.Post("/products/"+p.Slug, "/cart/items", url.Values{"variant_id": {string(m[1])}, "quantity": {"2"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cart" {
			t.Fatalf("add to cart: %d to %q, want 303 to /cart", res.StatusCode, res.Header.Get("Location"))
		}
		if cart := b.Get("/cart"); !strings.Contains(string(cart.Body), p.Name) {
			t.Fatalf("guest cart does not show %q", p.Name)
		}

		b.Login("shopper@example.com")
		var cart struct {
			Count int64 `json:"count"`
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/cart", Token: app.Token("shopper@example.com")}).JSON(t, &cart)
		if cart.Count != 2 {
			t.Fatalf("account cart after sign-in holds %d units, want the guest's 2", cart.Count)
		}
		if cart := b.Get("/cart"); !strings.Contains(string(cart.Body), p.Name) {
			t.Fatalf("signed-in cart page does not show %q", p.Name)
		}
	})
}
