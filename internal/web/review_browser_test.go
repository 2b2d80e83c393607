package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestProductAndReviewPagesOnAPhone: at 390 px the product page (with a
// review) and the review form do not overflow; the stepper's + raises the
// quantity; the shipping estimate's link opens its form in place and the
// form answers in place (htmx); the page logs no console or CSP error.
func TestProductAndReviewPagesOnAPhone(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := onSale(t, app)
		reviewCode(t, postReview(t, app, deliveredLine(t, app, v), 5, strings.Repeat("Rất ngon và thơm. ", 20)))
		open := deliveredLine(t, app, v)
		b := browsertest.New(t, app.HTTP.URL)
		b.Do("phone viewport", chromedp.EmulateViewport(390, 844))
		b.Open("/login")
		b.Fill("Email", reviewShopper)
		b.Fill("Mật khẩu", "ocop-demo")
		b.Click("Đăng nhập")
		for _, path := range []string{"/products/" + open.Slug, open.pageURL(), "/orders/" + open.Group} {
			b.Open(path)
			if w := string(b.Eval(`document.documentElement.scrollWidth`)); w != "390" {
				t.Errorf("%s is %s px wide at 390 px", path, w)
			}
		}
		b.Open("/products/" + open.Slug)
		// stepper.js puts the page's two buttons around the field, named by aria-controls.
		qty := "qty-" + itoa(v.ID)
		if got := string(b.Eval(`[...document.querySelectorAll(".stepper button.step")].map(b => b.getAttribute("aria-controls") + " " + b.dataset.step + " " + !!b.getAttribute("aria-label") + " " + b.nextElementSibling?.id).join("|")`)); got != `"`+qty+` -1 true `+qty+`|`+qty+` 1 true undefined"` {
			t.Errorf("stepper buttons: %s; want − before and + after %s", got, qty)
		}
		// Neither button leaves the page, so they are pressed without waiting for one.
		b.Do("press +", chromedp.Click(chromedp.CSS(`#product button.step[data-step="1"]`)))
		if q := string(b.Eval(`document.getElementById("` + qty + `").value`)); q != `"2"` {
			t.Errorf("after +, the quantity is %s; want 2", q)
		}
		b.Do("press −", chromedp.Click(chromedp.CSS(`#product button.step[data-step="-1"]`)), chromedp.Click(chromedp.CSS(`#product button.step[data-step="-1"]`)))
		if q := string(b.Eval(`document.getElementById("` + qty + `").value`)); q != `"1"` {
			t.Errorf("after − twice from 2, the quantity is %s; want 1 (the field's min)", q)
		}
		b.Do("press + again", chromedp.Click(chromedp.CSS(`#product button.step[data-step="1"]`)))
		// The estimate is a link: htmx puts its form in the link's place,
		// with the focus in it.
		b.Do("open the estimate", chromedp.Click(chromedp.CSS(`.ship-open a`)), chromedp.WaitVisible(chromedp.CSS(`#ship-province`)))
		// htmx moves the focus after it settles the swap, a moment after the
		// form is visible: wait for it (up to 3 s) before judging it.
		b.Do("let the focus move", chromedp.Poll[chromedp.Void](`(window.focusWaitFrom ??= Date.now(), !!document.activeElement.closest(".ship-estimate") || Date.now() - window.focusWaitFrom > 3000)`))
		if f := string(b.Eval(`!!document.activeElement.closest(".ship-estimate")`)); f != "true" {
			t.Errorf("the estimate form opened without the focus in it")
		}
		b.Select("ship-province", "Hà Nội")
		b.Do("estimate", chromedp.Click(chromedp.CSS(`.ship-estimate button[type=submit]`)))
		b.WaitText("30.000")
		if p := b.Path(); p != "/products/"+open.Slug {
			t.Errorf("the estimate left the page for %s; htmx should answer in place", p)
		}
		b.NoConsoleErrors()
	}, withBankSecret)
}
