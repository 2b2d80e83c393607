package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

// reviewShopper is the demo shopper who buys and reviews in these tests.
const reviewShopper = "shopper@example.com"

// boughtLine is one line of the shopper's order: the group, the variant
// and its product.
type boughtLine struct {
	Group   string
	Variant int64
	Slug    string
	Order   string // the producer's order code
}

// reviewURL is the API route reviewing the line.
func (l boughtLine) reviewURL() string {
	return fmt.Sprintf("/api/v1/orders/%s/reviews/%d", l.Group, l.Variant)
}

// pageURL is the shopper's review page of the line.
func (l boughtLine) pageURL() string {
	return fmt.Sprintf("/orders/%s/reviews/%d", l.Group, l.Variant)
}

// buy makes the shopper buy one unit of v (producer 1's) and pay by bank:
// a paid line, not yet delivered.
func buy(t testing.TB, app *webtest.App, v catalog.Variant) boughtLine {
	t.Helper()
	tok := app.TokenOf(reviewShopper)
	if res := addToCart(t, app, tok, v.ID, 1); res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		t.Fatalf("add to cart: %d %s", res.StatusCode, res.Body)
	}
	g := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
	payByBank(t, app, g)
	var slug string
	if err := app.DB.Model(&catalog.Product{}).Where("id = ?", v.ProductID).Pluck("slug", &slug).Error; err != nil {
		t.Fatal(err)
	}
	return boughtLine{Group: g.Code, Variant: v.ID, Slug: slug, Order: g.Orders[0].Code}
}

// deliver moves the line's order through confirm, pack, ship and deliver
// as its producer (producer 1) does.
func deliver(t testing.TB, app *webtest.App, l boughtLine) {
	t.Helper()
	tok := app.TokenOf("producer@example.com")
	for _, step := range []struct {
		action string
		body   any
	}{{"confirm", nil}, {"pack", nil}, {"ship", map[string]string{"carrier": "VNPost", "tracking_code": "EE1" + l.Order}}, {"deliver", nil}} {
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/orders/" + l.Order + "/" + step.action, Token: tok, Body: step.body})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", step.action, l.Order, res.StatusCode, res.Body)
		}
	}
}

// deliveredLine is buy then deliver.
func deliveredLine(t testing.TB, app *webtest.App, v catalog.Variant) boughtLine {
	t.Helper()
	l := buy(t, app, v)
	deliver(t, app, l)
	return l
}

// onSale puts a product of producer 1 on sale with plenty of stock.
func onSale(t testing.TB, app *webtest.App) catalog.Variant {
	return sell(t, app, item{producer: producer1Slug, price: 100000, stock: 100, grams: 500})
}

// postReview sends a review as the shopper through the API.
func postReview(t testing.TB, app *webtest.App, l boughtLine, rating int, body string) *webtest.Response {
	t.Helper()
	return app.API(webtest.Req{Method: "POST", Path: l.reviewURL(), Token: app.TokenOf(reviewShopper), Body: map[string]any{"rating": rating, "body": body}})
}

// reviewCode is the code of a created review.
func reviewCode(t testing.TB, res *webtest.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create review: %d %s", res.StatusCode, res.Body)
	}
	var r struct{ Code string }
	res.JSON(t, &r)
	return r.Code
}

// jpegBytes is a small valid JPEG.
func jpegBytes(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 48)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reviewForm posts the review page's multipart form from the shopper's
// browser, with the CSRF token of the page, fields and photos.
func reviewForm(t testing.TB, app *webtest.App, l boughtLine, fields map[string]string, photos [][]byte) *webtest.Response {
	t.Helper()
	b := app.As(reviewShopper)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	must(t, w.WriteField("_csrf", b.CSRF(l.pageURL())))
	for k, v := range fields {
		must(t, w.WriteField(k, v))
	}
	for i, p := range photos {
		fw, err := w.CreateFormFile("photos", "p"+strconv.Itoa(i)+".jpg")
		must(t, err)
		_, err = fw.Write(p)
		must(t, err)
	}
	must(t, w.Close())
	req, err := http.NewRequest("POST", app.HTTP.URL+l.pageURL(), &buf)
	must(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := b.Client.Do(req)
	must(t, err)
	defer res.Body.Close()
	var out bytes.Buffer
	_, err = out.ReadFrom(res.Body)
	must(t, err)
	return &webtest.Response{Response: res, Body: out.Bytes()}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// blobFiles counts the files the app's blob store holds.
func blobFiles(t testing.TB, app *webtest.App) int {
	t.Helper()
	n := 0
	root := filepath.Join(app.Config.DataDir, "blobs")
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	must(t, err)
	return n
}

// productLD parses the product page's JSON-LD.
func productLD(t testing.TB, app *webtest.App, slug string) map[string]any {
	t.Helper()
	res := app.Browser().Get("/products/" + slug)
	m := ldRe.FindSubmatch(res.Body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("product page %s: %d, JSON-LD found: %v", slug, res.StatusCode, m != nil)
	}
	var ld map[string]any
	if err := json.Unmarshal(m[1], &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	return ld
}
