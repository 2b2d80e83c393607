package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

// inputValue is the value attribute of the input with id, on a page.
func inputValue(t *testing.T, body []byte, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<input[^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>`).Find(body)
	if m == nil {
		t.Fatalf("no input #%s on the page", id)
	}
	v := regexp.MustCompile(`value="([^"]*)"`).FindSubmatch(m)
	if v == nil {
		return ""
	}
	return string(v[1])
}

// TestRefusedFormsKeepTheWork posts forms that are refused and checks each
// comes back as the same form: the refusal's status, every value as typed,
// the error beside its field in the visitor's language, no raw message key,
// and nothing else of the page lost (the product's status, its photos).
func TestRefusedFormsKeepTheWork(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer1Slug, price: 65000, stock: 25, grams: 300})
		var p catalog.Product
		if err := app.DB.Take(&p, v.ProductID).Error; err != nil {
			t.Fatal(err)
		}
		edit := "/portal/products/" + p.Slug
		for _, lang := range []string{"vi", "en"} {
			b := app.Browser()
			b.Login("producer@example.com")
			b.Get("/lang/" + lang)

			// A product edit with a price that is not a number.
			form := url.Values{"name": {"Mứt gừng " + lang}, "group_code": {"I.3.c"}, "unit": {"hộp"},
				"sku": {"MG-1", ""}, "variant_name": {"Hộp 200 g", ""}, "price": {"sáu mươi nghìn", ""}, "stock": {"17", ""}, "weight_grams": {"250", ""}}
			res := b.Post(edit, edit, form)
			body := text(res)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s: bad price: status %d, want 400", lang, res.StatusCode)
			}
			for id, want := range map[string]string{"name": "Mứt gừng " + lang, "price-0": "sáu mươi nghìn", "stock-0": "17", "weight_grams-0": "250", "sku-0": "MG-1"} {
				if got := inputValue(t, res.Body, id); got != want {
					t.Errorf("%s: bad price: #%s = %q, want %q kept", lang, id, got, want)
				}
			}
			if !strings.Contains(string(res.Body), `id="e-price-0"`) {
				t.Errorf("%s: bad price: no error beside the price field", lang)
			}
			if !strings.Contains(string(res.Body), `id="product-status"`) || !strings.Contains(string(res.Body), `id="upload-photo"`) {
				t.Errorf("%s: bad price: the product's status or photo form is gone", lang)
			}
			if keys := rawKeys(t, res.Body); len(keys) > 0 {
				t.Errorf("%s: bad price: raw message keys %v", lang, keys)
			}
			if lang == "en" && strings.Contains(body, "Vui lòng") {
				t.Errorf("en: bad price: Vietnamese on an English page")
			}
			if got := stockOf(t, app, v.ID); got != 25 {
				t.Errorf("%s: refused edit changed the stock to %d", lang, got)
			}

			// A photo that is not an image.
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("_csrf", b.CSRF(edit))
			fw, _ := mw.CreateFormFile("photo", "notes.txt")
			fw.Write([]byte("this is not a picture"))
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, app.HTTP.URL+edit+"/photos", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			hres, err := b.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			pres := readBody(t, hres)
			if hres.StatusCode != http.StatusBadRequest || !bytes.Contains(pres, []byte(`id="e-photo"`)) || !bytes.Contains(pres, []byte(`id="product-form"`)) {
				t.Errorf("%s: non-image photo: status %d, want 400 on the product page with the error beside the photo field", lang, hres.StatusCode)
			}
			if keys := rawKeys(t, pres); len(keys) > 0 {
				t.Errorf("%s: non-image photo: raw message keys %v", lang, keys)
			}
		}

		// The admin's shipping table with a bad second line: the text as typed, the line named.
		admin := app.As("admin@example.com")
		typed := "20,20,1000,18000\n20,*,abc,30000\n"
		res := admin.Post("/admin/settings", "/admin/settings/shipping", url.Values{"rates": {typed}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(text(res), typed) || !strings.Contains(text(res), "Dòng 2") {
			t.Errorf("bad shipping line: status %d, want 400 with the text kept and line 2 named", res.StatusCode)
		}
		if !strings.Contains(string(res.Body), `id="e-rates"`) {
			t.Errorf("bad shipping line: no error beside the table")
		}
	})
}

func readBody(t *testing.T, res *http.Response) []byte {
	t.Helper()
	defer res.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
