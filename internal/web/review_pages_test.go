package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestTheReviewFormKeepsYourWork: from the order page's "Đánh giá" link,
// a fourth photo or a non-image photo is a 400 page with the rating and
// text kept and the error beside the photos, writing nothing (no row, no
// file); two photos go through the product photo pipeline and show on the
// product page.
func TestTheReviewFormKeepsYourWork(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := deliveredLine(t, app, onSale(t, app))
		b := app.As(reviewShopper)
		if res := b.Get("/orders/" + l.Group); !strings.Contains(string(res.Body), `href="`+l.pageURL()+`"`) {
			t.Fatalf("the order page has no review link to %s", l.pageURL())
		}
		photo, kept := jpegBytes(t), map[string]string{"rating": "4", "body": "Đóng gói cẩn thận"}
		files := blobFiles(t, app)
		before := app.Snapshot()
		for name, photos := range map[string][][]byte{
			"a fourth photo":               {photo, photo, photo, photo},
			"a photo that is not an image": {[]byte("%PDF-1.4 not an image")},
		} {
			res := reviewForm(t, app, l, kept, photos)
			body := string(res.Body)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Đóng gói cẩn thận") || !strings.Contains(body, `id="e-photos"`) ||
				!strings.Contains(body, `value="4" checked`) {
				t.Errorf("%s: %d, want 400 with the text, the rating and the photos' error kept\n%s", name, res.StatusCode, body)
			}
		}
		res := reviewForm(t, app, l, map[string]string{"rating": "9", "body": "x"}, nil)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), `id="e-rating"`) {
			t.Errorf("rating 9: %d, want 400 with the rating's error", res.StatusCode)
		}
		app.Unchanged(before)
		if n := blobFiles(t, app); n != files {
			t.Errorf("refused reviews left %d files in the blob store; want %d", n, files)
		}
		if res := reviewForm(t, app, l, kept, [][]byte{photo, photo}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the review form: %d\n%s", res.StatusCode, res.Body)
		}
		var r review.Review
		must(t, app.DB.Preload("Photos").Take(&r).Error)
		if len(r.Photos) != 2 || r.Rating != 4 || blobFiles(t, app) != files+2*2 {
			t.Fatalf("stored review %+v with %d photos, %d files; want 2 photos of 2 sizes each", r, len(r.Photos), blobFiles(t, app)-files)
		}
		page := string(app.Browser().Get("/products/" + l.Slug).Body)
		for _, want := range []string{"Đóng gói cẩn thận", "/media/" + r.Photos[0].Key + "-card.jpg", `id="rating-summary"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the product page does not show %q", want)
			}
		}
		if res := b.Get(l.pageURL()); !strings.Contains(string(res.Body), `id="my-review"`) || strings.Contains(string(res.Body), `id="review-submit"`) {
			t.Errorf("the review page after reviewing: %d, want the review and no form", res.StatusCode)
		}
	}, withBankSecret)
}

// TestReviewPagesByRole: who may open which review page, in both languages.
func TestReviewPagesByRole(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := deliveredLine(t, app, onSale(t, app))
		code := reviewCode(t, postReview(t, app, l, 3, "Tạm được"))
		paid := buy(t, app, onSale(t, app))
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{URL: l.pageURL(), As: reviewShopper, Status: 200, Contains: []string{`id="my-review"`, "Tạm được"}},
			{URL: paid.pageURL(), As: reviewShopper, Status: 200, Contains: []string{`id="not-delivered"`}, NotContains: []string{`id="review-submit"`}},
			{URL: l.pageURL(), As: "officer@example.com", Status: 404},
			{URL: l.pageURL(), Status: http.StatusSeeOther},
			{URL: "/portal/reviews", As: "producer@example.com", Status: 200, Contains: []string{"review-" + code, `action="/portal/reviews/` + code + `/reply"`}},
			{URL: "/portal/reviews", As: "producer2@example.com", Status: 200, NotContains: []string{code}},
			{URL: "/portal/reviews", As: reviewShopper, Status: 403},
			{URL: "/admin/reviews", As: "admin@example.com", Status: 200, Contains: []string{`action="/admin/reviews/` + code + `/hide"`}},
			{URL: "/admin/reviews", As: "producer@example.com", Status: 403},
			{Name: "an empty reply re-renders the list with the error", Method: "POST", URL: "/portal/reviews/" + code + "/reply", As: "producer@example.com",
				FormPage: "/portal/reviews", Form: url.Values{"reply": {" "}}, Status: 400, Contains: []string{`id="e-reply-` + code + `"`}, Unchanged: true},
			{Name: "the producer replies by the form", Method: "POST", URL: "/portal/reviews/" + code + "/reply", As: "producer@example.com",
				FormPage: "/portal/reviews", Form: url.Values{"reply": {"Cảm ơn"}}, Status: http.StatusSeeOther},
			{Name: "another producer's review is 404", Method: "POST", URL: "/portal/reviews/" + code + "/reply", As: "producer2@example.com",
				FormPage: "/portal/reviews", Form: url.Values{"reply": {"x"}}, Status: 404, Unchanged: true},
			{Name: "the admin hides by the form", Method: "POST", URL: "/admin/reviews/" + code + "/hide", As: "admin@example.com",
				FormPage: "/admin/reviews", Form: url.Values{"reason": {"Lộ số điện thoại"}}, Status: http.StatusSeeOther},
			{URL: "/products/" + l.Slug, Status: 200, NotContains: []string{"Tạm được"}, Contains: []string{`id="no-reviews"`}},
			{URL: "/lang/en", As: reviewShopper, Status: http.StatusSeeOther},
			{URL: l.pageURL(), As: reviewShopper, Status: 200, Contains: []string{"Review a product", "An administrator has hidden this review."}},
		})
	}, withBankSecret)
}

// TestProductPageBuyNowEstimateAndUnitsSold: "Mua ngay" sets the line
// and goes to checkout (twice leaves one unit), the shipping estimate
// charges what checkout would, and units sold count paid lines only.
func TestProductPageBuyNowEstimateAndUnitsSold(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := onSale(t, app)
		l := deliveredLine(t, app, v)
		buy(t, app, v) // paid: sold
		pending := onSale(t, app)
		addToCart(t, app, app.TokenOf(reviewShopper), pending.ID, 2)
		est := "/shipping/estimate?variant_id=" + itoa(v.ID) + "&quantity=2&province_code=01&slug=" + l.Slug
		buyNow := url.Values{"variant_id": {itoa(v.ID)}, "quantity": {"3"}}
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "the product page links to the estimate instead of carrying its form", URL: "/products/" + l.Slug, Status: 200,
				Contains:    []string{"Đã bán 2", `formaction="/cart/buy"`, `aria-label="Tăng số lượng"`, `href="/shipping/estimate?slug=` + l.Slug + `"`, `hx-get="/shipping/estimate?slug=` + l.Slug + `&amp;part=form"`},
				NotContains: []string{`id="ship-province"`}},
			{Name: "the link opens the form in place (htmx)", URL: "/shipping/estimate?slug=" + l.Slug + "&part=form", Header: map[string]string{"HX-Request": "true"}, Status: 200,
				Contains:    []string{`<form class="ship-estimate"`, `action="/shipping/estimate"`, `id="ship-province"`, `<option value="01">Hà Nội</option>`, `name="slug" value="` + l.Slug + `"`, "autofocus", `<output id="ship-result"`},
				NotContains: []string{"<html", "estimate-fee"}},
			{Name: "without script the link opens the form as a page", URL: "/shipping/estimate?slug=" + l.Slug, Status: 200,
				Contains: []string{`<html lang="vi"`, `action="/shipping/estimate"`, `id="ship-province"`, `href="/products/` + l.Slug + `"`}, NotContains: []string{"estimate-fee", "autofocus"}},
			{Name: "the estimate: 1 kg from Lạng Sơn to Hà Nội", URL: est, Status: 200,
				Contains: []string{"30.000", "Hà Nội", `id="ship-province"`, `<option value="01" selected>`, `value="2"`}},
			{Name: "the estimate as an htmx fragment", URL: est, Header: map[string]string{"HX-Request": "true"}, Status: 200, Contains: []string{"30.000"}, NotContains: []string{"<html", "<form"}},
			{Name: "no province", URL: "/shipping/estimate?variant_id=" + itoa(v.ID), Status: 400,
				Contains: []string{"Hãy chọn tỉnh/thành", `id="e-province_code"`, `aria-describedby="e-province_code"`, `name="variant_id" value="` + itoa(v.ID) + `"`}},
			{Name: "no province, htmx: said in the output", URL: "/shipping/estimate?variant_id=" + itoa(v.ID), Header: map[string]string{"HX-Request": "true"}, Status: 200,
				Contains: []string{"Hãy chọn tỉnh/thành và số lượng"}},
			{Name: "a quantity out of range keeps the form and says so beside the field",
				URL: "/shipping/estimate?slug=" + l.Slug + "&variant_id=" + itoa(v.ID) + "&quantity=5000&province_code=01", Status: 400,
				Contains: []string{`id="e-quantity"`, "Số lượng từ 1 đến 1000", `value="5000"`, `<option value="01" selected>`}, NotContains: []string{"estimate-fee"}},
			{Name: "the form of no product", URL: "/shipping/estimate?slug=no-such-product", Status: 404},
			{Name: "an unknown variant", URL: "/shipping/estimate?variant_id=99999999&province_code=01", Status: 200, Contains: []string{"không bán"}},
			{Name: "hostile query", URL: "/shipping/estimate?variant_id=x%00&quantity=-5&province_code=%ff", Status: 400},
			{Name: "buy now", Method: "POST", URL: "/cart/buy", As: reviewShopper, Form: buyNow, Status: http.StatusSeeOther, Location: "/checkout"},
			{Name: "buy now twice", Method: "POST", URL: "/cart/buy", As: reviewShopper, Form: buyNow, Status: http.StatusSeeOther, Location: "/checkout",
				Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					var items []order.CartItem
					must(t, app.DB.Order("variant_id").Find(&items).Error)
					if len(items) != 2 || items[0].Quantity != 3 || items[1].Quantity != 2 {
						t.Fatalf("cart after buying now twice: %+v; want 3 of the variant beside the 2 already there", items)
					}
				}},
			{Name: "buy now above the stock is refused", Method: "POST", URL: "/cart/buy", As: reviewShopper, Form: url.Values{"variant_id": {itoa(v.ID)}, "quantity": {"1000"}}, Status: 409, Unchanged: true},
		})
	}, withBankSecret)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
