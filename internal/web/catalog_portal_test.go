package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
)

func counts(app *webtest.App) (products, variants, photos int64) {
	app.DB.Model(&catalog.Product{}).Count(&products)
	app.DB.Model(&catalog.Variant{}).Count(&variants)
	app.DB.Model(&catalog.Photo{}).Count(&photos)
	return
}

func TestPortalAuthorization(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := app.Token("producer@example.com")
		b := app.Token("producer2@example.com")
		shopper := app.Token("shopper@example.com")
		mine := newProduct(t, app, a, "Na Chi Lăng loại đặc biệt", "I.1.a", false)
		body := map[string]any{"name": "Hijacked", "group_code": "I.1.a", "variants": []map[string]any{{"sku": "X-1", "name": "x", "price": 10000, "stock": 1}}}
		p0, v0, ph0 := counts(app)
		cases := []struct {
			name   string
			req    webtest.Req
			status int
		}{
			{"other producer reads", webtest.Req{Method: "GET", Path: "/api/v1/portal/products/" + mine.Slug, Token: b}, 404},
			{"other producer edits", webtest.Req{Method: "PUT", Path: "/api/v1/portal/products/" + mine.Slug, Token: b, Body: body}, 404},
			{"other producer publishes", webtest.Req{Method: "POST", Path: "/api/v1/portal/products/" + mine.Slug + "/publish", Token: b}, 404},
			{"other producer archives", webtest.Req{Method: "POST", Path: "/api/v1/portal/products/" + mine.Slug + "/archive", Token: b}, 404},
			{"other producer adds a photo", webtest.Req{Method: "POST", Path: "/api/v1/portal/products/" + mine.Slug + "/photos", Token: b, Body: pngBytes(t, 40, 30), Header: map[string]string{"Content-Type": "image/png"}}, 404},
			{"shopper", webtest.Req{Method: "GET", Path: "/api/v1/portal/products", Token: shopper}, 403},
			{"anonymous", webtest.Req{Method: "POST", Path: "/api/v1/portal/products", Body: body}, 401},
			{"a draft is not public", webtest.Req{Method: "GET", Path: "/api/v1/products/" + mine.Slug}, 404},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if res := app.API(tc.req); res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, res.Body)
				}
			})
		}
		if p1, v1, ph1 := counts(app); p1 != p0 || v1 != v0 || ph1 != ph0 {
			t.Errorf("refused requests changed rows: %d/%d/%d → %d/%d/%d", p0, v0, ph0, p1, v1, ph1)
		}
		// Producer B's own list does not include A's product.
		res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/products", Token: b})
		if strings.Contains(string(res.Body), mine.Slug) {
			t.Error("producer B's list shows producer A's product")
		}
	})
}

func TestPortalProductLifecycleAndBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := &productLife{app: app}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "alcohol is adult-only, a repeated name gets its own slug, group VI is a service", Run: l.create},
			{Name: "bad input is a 4xx naming the field and writes no row", Run: l.badInput},
			{Name: "an edit keeps the variant id of a kept SKU", Run: l.edit},
			{Name: "publish, unpublish and archive show in the public API", Run: l.states},
		})
	})
}

// productLife is what TestPortalProductLifecycleAndBadInput's steps share.
type productLife struct {
	app *webtest.App
	p   productDoc // the alcohol product the later steps change
}

func (l *productLife) create(t *testing.T) {
	app := l.app.For(t)
	tok := app.TokenOf(producerEmail)
	l.p = newProduct(t, app, tok, "Rượu ngô men lá", "II.1.a", false)
	if !l.p.AdultOnly || l.p.IsService || l.p.Status != "draft" {
		t.Fatalf("alcohol product: %+v", l.p)
	}
	// Same name again: a unique slug, not an error.
	if q := newProduct(t, app, tok, "Rượu ngô men lá", "II.1.a", false); q.Slug == l.p.Slug || !strings.HasPrefix(q.Slug, l.p.Slug) {
		t.Errorf("slug collision: %q then %q", l.p.Slug, q.Slug)
	}
	if svc := newProduct(t, app, tok, "Tham quan vườn na", "VI", false); !svc.IsService {
		t.Error("group VI product is not a service")
	}
}

func (l *productLife) badInput(t *testing.T) {
	variant := func(sku string, price, stock any) map[string]any {
		return map[string]any{"name": "X", "group_code": "I.1.a", "variants": []map[string]any{{"sku": sku, "name": "Gói", "price": price, "stock": stock}}}
	}
	bad := func(name string, body any, status int, field string) webtest.Scenario {
		sc := webtest.Scenario{Name: name, As: producerEmail, Method: "POST", URL: "/api/v1/portal/products", Body: body, Status: status}
		if field != "" {
			sc.Contains = []string{`"name":"` + field + `"`} // the problem names the field
		}
		return sc
	}
	p0, v0, _ := counts(l.app)
	webtest.RunScenarios(t, l.app, []webtest.Scenario{
		bad("negative price", variant("N-1", -5, 1), 400, "variants[0].price"),
		bad("zero price", variant("N-1", 0, 1), 400, "variants[0].price"),
		bad("absurd price", variant("N-1", 9_000_000_000_000, 1), 400, "variants[0].price"),
		bad("negative stock", variant("N-1", 10000, -1), 400, "variants[0].stock"),
		bad("absurd stock", variant("N-1", 10000, 50_000_000), 400, "variants[0].stock"),
		bad("fractional price", `{"name":"X","group_code":"I.1.a","variants":[{"sku":"N","name":"G","price":1000.5,"stock":1}]}`, 400, ""),
		bad("variant without SKU", variant("", 10000, 1), 400, "variants[0].sku"),
		bad("SKU with spaces", variant("A B", 10000, 1), 400, "variants[0].sku"),
		bad("no variants", map[string]any{"name": "X", "group_code": "I.1.a", "variants": []any{}}, 400, "variants"),
		bad("unknown group", map[string]any{"name": "X", "group_code": "IX.9", "variants": []map[string]any{{"sku": "N-2", "name": "G", "price": 10000, "stock": 1}}}, 400, "group_code"),
		bad("unknown commune", map[string]any{"name": "X", "group_code": "I.1.a", "origin_commune_code": "nowhere", "variants": []map[string]any{{"sku": "N-3", "name": "G", "price": 10000, "stock": 1}}}, 400, "origin_commune_code"),
		bad("SKU repeated in one product", map[string]any{"name": "X", "group_code": "I.1.a", "variants": []map[string]any{{"sku": "R-1", "name": "a", "price": 10000, "stock": 1}, {"sku": "r-1", "name": "b", "price": 10000, "stock": 1}}}, 400, "variants[1].sku"),
		bad("SKU of another own product", variant(l.p.Variants[0].SKU, 10000, 1), 409, ""),
		bad("unknown field", `{"name":"X","group_code":"I.1.a","stars":5,"variants":[{"sku":"N","name":"G","price":10000,"stock":1}]}`, 400, "stars"),
	})
	if p1, v1, _ := counts(l.app); p1 != p0 || v1 != v0 {
		t.Errorf("rejected input wrote rows: %d/%d → %d/%d", p0, v0, p1, v1)
	}
}

func (l *productLife) edit(t *testing.T) {
	app, p := l.app.For(t), l.p
	res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/portal/products/" + p.Slug, Token: app.TokenOf(producerEmail), Body: map[string]any{
		"name": "Rượu ngô men lá", "name_en": "Leaf-yeast corn liquor", "group_code": "II.1.a",
		"variants": []map[string]any{{"sku": p.Variants[0].SKU, "name": "Chai 500 ml", "price": 99000, "stock": 5}, {"sku": "NEW-2L", "name": "Bình 2 l", "price": 300000, "stock": 2}}}})
	var edited productDoc
	res.JSON(t, &edited)
	if res.StatusCode != 200 || len(edited.Variants) != 2 || edited.Variants[0].ID != p.Variants[0].ID || edited.MinPrice != 99000 {
		t.Fatalf("edit: %d %s", res.StatusCode, res.Body)
	}
}

func (l *productLife) states(t *testing.T) {
	app, slug := l.app.For(t), l.p.Slug
	var table []webtest.Scenario
	for _, step := range []struct {
		action, want string
		public       int
	}{{"publish", "published", 200}, {"unpublish", "unpublished", 404}, {"publish", "published", 200}, {"archive", "archived", 404}} {
		table = append(table, webtest.Scenario{Name: step.action + " to " + step.want, As: producerEmail, Method: "POST",
			URL: "/api/v1/portal/products/" + slug + "/" + step.action, Status: 200,
			Check: func(t *testing.T, app *webtest.App, res *webtest.Response) {
				var got productDoc
				res.JSON(t, &got)
				if got.Status != step.want {
					t.Fatalf("%s: %s", step.action, res.Body)
				}
				if st, _ := getProduct(t, app, slug); st != step.public {
					t.Errorf("after %s the public API answers %d, want %d", step.action, st, step.public)
				}
			}})
	}
	webtest.RunScenarios(t, app, append(table, webtest.Scenario{Name: "publishing an archived product", As: producerEmail, Method: "POST",
		URL: "/api/v1/portal/products/" + slug + "/publish", Status: 409}))
}

func TestBadgeFollowsCertificateDates(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		today := day.Today()
		cases := []struct {
			name                 string
			from, until, revoked day.Date
			badge, soon          bool
		}{
			{"valid", today.AddDays(-30), today.AddDays(400), day.Date{}, true, false},
			{"valid, expiring in 60 days", today.AddDays(-900), today.AddDays(60), day.Date{}, true, true},
			{"last valid day is today", today.AddDays(-1000), today, day.Date{}, true, true},
			{"expired yesterday", today.AddDays(-1000), today.AddDays(-1), day.Date{}, false, false},
			{"revoked today", today.AddDays(-30), today.AddDays(400), today, false, false},
			{"revoked tomorrow", today.AddDays(-30), today.AddDays(400), today.AddDays(1), true, false},
			{"not yet valid", today.AddDays(1), today.AddDays(400), day.Date{}, false, false},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := newProduct(t, app, tok, "Hồi khô "+tc.name, "I.4.b", true)
				if p.Badge != nil {
					t.Fatal("a new product has a badge before any certificate")
				}
				code := certify(t, app, p.Slug, 3+i%2, tc.from, tc.until, tc.revoked)
				_, got := getProduct(t, app, p.Slug)
				if (got.Badge != nil) != tc.badge {
					t.Fatalf("badge = %+v, want present=%v", got.Badge, tc.badge)
				}
				if got.Badge != nil && (got.Badge.Code != code || got.Badge.ExpiresSoon != tc.soon) {
					t.Errorf("badge %+v, want code %s soon=%v", got.Badge, code, tc.soon)
				}
				// The product page shows the badge linking to the verify page, or none.
				page := app.Browser().Get("/products/" + p.Slug)
				if has := strings.Contains(string(page.Body), `href="/verify/`+code+`"`); has != tc.badge {
					t.Errorf("page badge link present=%v, want %v", has, tc.badge)
				}
			})
		}
	})
}

func TestSuspendedProducerDisappears(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		const slug = "hkd-tran-dieu-huong"
		before := search(t, app, "producer="+slug)
		if len(before.Items) == 0 {
			t.Fatal("no products of the producer to begin with")
		}
		app.DB.Model(&producer.Producer{}).Where("slug = ?", slug).Update("status", producer.StatusSuspended)
		if l := search(t, app, "q=dieu+huong"); len(l.Items) != 0 {
			t.Errorf("search still lists %d products of a suspended producer", len(l.Items))
		}
		if st, _ := getProduct(t, app, before.Items[0].Slug); st != 404 {
			t.Errorf("product of a suspended producer: %d, want 404", st)
		}
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/producers/" + slug}); res.StatusCode != 404 {
			t.Errorf("suspended producer page: %d", res.StatusCode)
		}
	})
}

func pngBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPhotoUploadAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		p := newProduct(t, app, tok, "Quýt vàng thử ảnh", "I.1.a", true)
		var jb bytes.Buffer
		jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 900, 600)), nil)
		webp, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
		bomb := pngBytes(t, 1, 1)
		binary.BigEndian.PutUint32(bomb[16:], 60000)
		binary.BigEndian.PutUint32(bomb[20:], 60000)
		binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
		path := "/api/v1/portal/products/" + p.Slug + "/photos"
		cases := []struct {
			name, ct string
			body     []byte
			status   int
		}{
			{"jpeg", "image/jpeg", jb.Bytes(), 201},
			{"png declared as octet-stream", "application/octet-stream", pngBytes(t, 50, 50), 201},
			{"webp", "image/webp", webp, 201},
			{"html posing as png", "image/png", []byte("<script>alert(1)</script>"), 400},
			{"decompression bomb", "image/png", bomb, 400},
			{"over 8 MiB", "image/png", make([]byte, catalog.MaxPhotoBytes+100<<10), 413},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, _, before := counts(app)
				res := app.API(webtest.Req{Method: "POST", Path: path, Token: tok, Body: tc.body, Header: map[string]string{"Content-Type": tc.ct}})
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, res.Body)
				}
				_, _, after := counts(app)
				if want := before + map[bool]int64{true: 1}[tc.status == 201]; after != want {
					t.Errorf("photos %d → %d", before, after)
				}
				if tc.status == 201 {
					var ph struct {
						CardURL string `json:"card_url"`
					}
					res.JSON(t, &ph)
					img := app.Browser().Get(ph.CardURL)
					if img.StatusCode != 200 || img.Header.Get("Content-Type") != "image/jpeg" {
						t.Errorf("GET %s: %d %s", ph.CardURL, img.StatusCode, img.Header.Get("Content-Type"))
					}
				}
			})
		}
		_, got := getProduct(t, app, p.Slug)
		if len(got.Photos) != 3 {
			t.Errorf("product has %d photos, want 3", len(got.Photos))
		}
		if res := app.Browser().Get("/media/photos/../../etc/passwd"); res.StatusCode != 404 && res.StatusCode != 400 {
			t.Errorf("path traversal in /media: %d", res.StatusCode)
		}
	})
}

func TestProfileAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/profile", Token: tok})
		var prof struct {
			CommuneCode string `json:"commune_code"`
			BankHolder  string `json:"bank_holder"`
		}
		res.JSON(t, &prof)
		ok := map[string]any{"story": "Hợp tác xã trồng na trên núi đá vôi.", "street": "Thôn Đồng Bành", "commune_code": prof.CommuneCode,
			"phone": "0912345678", "email": "htx@example.com", "bank_bin": "970405", "bank_account": "0000001234", "bank_holder": "Hợp tác xã Đồng Bành"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for a, b := range ok {
				m[a] = b
			}
			m[k] = v
			return m
		}
		for _, tc := range []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"unknown bank BIN", with("bank_bin", "999999"), 400, "bank_bin"},
			{"account with letters", with("bank_account", "12AB5678"), 400, "bank_account"},
			{"unknown commune", with("commune_code", "99999"), 400, "commune_code"},
			{"bad phone", with("phone", "12345"), 400, "phone"},
			{"valid", ok, 200, ""},
		} {
			res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/portal/profile", Token: tok, Body: tc.body})
			if res.StatusCode != tc.status {
				t.Fatalf("%s: %d %s", tc.name, res.StatusCode, res.Body)
			}
			if tc.field != "" && !strings.Contains(string(res.Body), `"name":"`+tc.field+`"`) {
				t.Errorf("%s: field not named: %s", tc.name, res.Body)
			}
		}
		res = app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/profile", Token: tok})
		res.JSON(t, &prof)
		if prof.BankHolder != "HOP TAC XA DONG BANH" {
			t.Errorf("bank holder %q, want upper-case ASCII", prof.BankHolder)
		}
		// The public producer document never carries the street or the bank account.
		pub := app.API(webtest.Req{Method: "GET", Path: "/api/v1/producers/htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh"})
		if pub.StatusCode != 200 || strings.Contains(string(pub.Body), "0000001234") || strings.Contains(string(pub.Body), "Thôn Đồng Bành") {
			t.Errorf("public producer leaks private fields: %s", pub.Body)
		}
	})
}

func TestCatalogReferenceAPIs(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		for _, tc := range []struct {
			path   string
			status int
			has    string
		}{
			{"/api/v1/categories", 200, `"code":"II.1"`},
			{"/api/v1/regions", 200, `"code":"20"`},
			{"/api/v1/regions?province=20", 200, "Chi Lăng"},
			{"/api/v1/regions?province=99", 404, ""},
			{"/api/v1/producers", 200, "hkd-tran-dieu-huong"},
			{"/api/v1/producers?province=20", 200, "hkd-tran-dieu-huong"},
			{"/api/v1/producers?cursor=forged", 400, ""},
			{"/api/v1/producers/hkd-tran-dieu-huong", 200, "Vịt quay Diệu Hương"},
			{"/api/v1/producers/nobody", 404, ""},
			{"/api/v1/products/na-chi-lang", 200, `"currency":"VND"`},
			{"/api/v1/products/nothing-here", 404, ""},
		} {
			res := app.API(webtest.Req{Method: "GET", Path: tc.path})
			if res.StatusCode != tc.status || !strings.Contains(string(res.Body), tc.has) {
				t.Errorf("%s: %d, want %d containing %q: %.300s", tc.path, res.StatusCode, tc.status, tc.has, res.Body)
			}
		}
	})
}
