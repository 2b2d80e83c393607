package web_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
)

var ldRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestProductPageSEOAndEscaping(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		evil := `Na </script><script>alert(1)</script>`
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/products", Token: tok, Body: map[string]any{
			"name": evil, "group_code": "I.1.a", "description": `<img src=x onerror=alert(2)> ngọt "thơm"`,
			"variants": []map[string]any{{"sku": "EVIL-1", "name": "Gói <b>1</b>", "price": 150000, "stock": 3}}}})
		var p productDoc
		res.JSON(t, &p)
		app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/products/" + p.Slug + "/publish", Token: tok})

		page := app.Browser().Get("/products/" + p.Slug)
		body := string(page.Body)
		if page.StatusCode != 200 {
			t.Fatalf("product page: %d", page.StatusCode)
		}
		for _, bad := range []string{"<script>alert(1)", "<img src=x", "<b>1</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("page contains unescaped %q", bad)
			}
		}
		if !strings.Contains(body, "&lt;img src=x onerror=alert(2)&gt;") {
			t.Error("description is not shown as text")
		}
		for _, want := range []string{`<link rel="canonical" href="` + app.Config.BaseURL + `/products/` + p.Slug + `"`,
			`property="og:title"`, `property="og:url"`, `property="product:price:currency" content="VND"`,
			"150.000", `action="/cart/items"`, `name="variant_id" value="` + jsonInt(p.Variants[0].ID) + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		m := ldRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no JSON-LD block")
		}
		var ld struct {
			Type   string `json:"@type"`
			Name   string `json:"name"`
			Offers struct {
				PriceCurrency string `json:"priceCurrency"`
				LowPrice      int64  `json:"lowPrice"`
				Availability  string `json:"availability"`
			} `json:"offers"`
		}
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		if ld.Type != "Product" || ld.Name != evil || ld.Offers.PriceCurrency != "VND" || ld.Offers.LowPrice != 150000 ||
			ld.Offers.Availability != "https://schema.org/InStock" {
			t.Errorf("JSON-LD: %+v", ld)
		}
		if strings.Contains(m[1], "</script") {
			t.Error("JSON-LD can close its script element")
		}
	})
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestStorefrontPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := app.Browser()
		for _, tc := range []struct {
			path   string
			status int
			has    []string
		}{
			{"/", 200, []string{"Vịt quay", "/producers/hkd-tran-dieu-huong", "Sao OCOP"}},
			{"/products", 200, []string{"Na Chi Lăng", `name="stars"`}},
			{"/products?q=vit+quay", 200, []string{"Vịt quay Hồng Xiêm"}},
			{"/products?q=zzzz", 200, []string{`id="no-results"`}},
			{"/products?province=20", 200, []string{`name="commune"`, "Xã Chi Lăng"}},
			{"/products?stars=abc", 400, nil},
			{"/products?cursor=forged", 400, nil},
			{"/products/na-chi-lang", 200, []string{"Na Chi Lăng", "HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành", "/media/photos/demo-"}},
			{"/products/rươu-khong-co", 404, nil},
			{"/producers/hkd-tran-dieu-huong", 200, []string{"Khâu nhục Diệu Hương", "Phường Đông Kinh"}},
			{"/producers/nobody", 404, nil},
			{"/robots.txt", 200, []string{"Sitemap: " + app.Config.BaseURL + "/sitemap.xml", "Disallow: /portal"}},
			{"/sitemap.xml", 200, []string{"<urlset", app.Config.BaseURL + "/products/na-chi-lang", "/producers/hkd-tran-dieu-huong"}},
		} {
			res := b.Get(tc.path)
			if res.StatusCode != tc.status {
				t.Errorf("%s: %d, want %d", tc.path, res.StatusCode, tc.status)
				continue
			}
			for _, h := range tc.has {
				if !strings.Contains(string(res.Body), h) {
					t.Errorf("%s lacks %q", tc.path, h)
				}
			}
		}
		// A demo photo is drawn on request.
		res := b.Get("/products/na-chi-lang")
		img := regexp.MustCompile(`/media/photos/demo-[^"]+-page\.jpg`).FindString(string(res.Body))
		if r := b.Get(img); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("demo photo %s: %d", img, r.StatusCode)
		}
		// English by choice.
		b.Get("/lang/en?next=/products")
		if res := b.Get("/products"); !strings.Contains(string(res.Body), "Product group") {
			t.Error("English products page is not in English")
		}
	})
}

func TestPortalPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := app.Browser()
		b.Login("producer@example.com")
		for _, p := range []string{"/portal", "/portal/products", "/portal/products/new", "/portal/profile"} {
			if res := b.Get(p); res.StatusCode != 200 {
				t.Fatalf("%s: %d", p, res.StatusCode)
			}
		}
		form := url.Values{"name": {"Thạch đen Tràng Định"}, "group_code": {"I.3.c"}, "description": {"Thạch đen nấu từ cây thạch đen."},
			"sku": {"TD-250", "", "", ""}, "variant_name": {"Gói 250 g", "", "", ""}, "price": {"45.000", "", "", ""},
			"stock": {"30", "", "", ""}, "weight_grams": {"250", "", "", ""}}
		res := b.Post("/portal/products/new", "/portal/products", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create by form: %d %s", res.StatusCode, res.Body)
		}
		loc := res.Header.Get("Location")
		slug := strings.TrimPrefix(loc, "/portal/products/")
		// Bad input re-renders the form with a 400 and saves nothing.
		bad := url.Values{"name": {"X"}, "group_code": {"I.3.c"}, "sku": {"TD-X"}, "variant_name": {"a"}, "price": {"-5"}, "stock": {"1"}}
		if res := b.Post("/portal/products/new", "/portal/products", bad); res.StatusCode != 400 || !strings.Contains(string(res.Body), `id="form-errors"`) {
			t.Errorf("bad form: %d", res.StatusCode)
		}
		if res := b.Post(loc, loc+"/status", url.Values{"to": {"published"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		// Multipart photo upload with the CSRF token.
		var jb bytes.Buffer
		jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 640, 480)), nil)
		var mp bytes.Buffer
		w := multipart.NewWriter(&mp)
		w.WriteField("_csrf", b.CSRF(loc))
		fw, _ := w.CreateFormFile("photo", "thach.jpg")
		fw.Write(jb.Bytes())
		w.Close()
		req, _ := http.NewRequest("POST", app.HTTP.URL+loc+"/photos", &mp)
		req.Header.Set("Content-Type", w.FormDataContentType())
		up, err := b.Client.Do(req)
		if err != nil || up.StatusCode != http.StatusSeeOther {
			t.Fatalf("photo upload: %v %d", err, up.StatusCode)
		}
		up.Body.Close()
		_, got := getProduct(t, app, slug)
		if got.Name != "Thạch đen Tràng Định" || len(got.Photos) != 1 || got.MinPrice != 45000 {
			t.Errorf("product after form flow: %+v", got)
		}
		// Another producer's edit page is 404.
		b2 := app.Browser()
		b2.Login("producer2@example.com")
		if res := b2.Get(loc); res.StatusCode != 404 {
			t.Errorf("producer 2 opens producer 1's edit page: %d", res.StatusCode)
		}
		form.Del("_csrf")
		if res := b2.Post("/portal/products/new", loc, form); res.StatusCode != 404 {
			t.Errorf("producer 2 posts producer 1's edit form: %d", res.StatusCode)
		}
		// Profile form with an unknown bank is refused.
		if res := b.Post("/portal/profile", "/portal/profile", url.Values{"commune_code": {"x"}, "bank_bin": {"123456"}}); res.StatusCode != 400 {
			t.Errorf("bad profile form: %d", res.StatusCode)
		}
	})
}
