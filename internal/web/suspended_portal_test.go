package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestSuspendedProducerPortalIsReadOnly suspends a producer and walks every
// unsafe route of the portal (pages and API: products, photos, profile,
// orders, registry applications and documents): each is 403 with the
// reason and no table changes, while the portal's pages and API still read.
// Both dialects.
func TestSuspendedProducerPortalIsReadOnly(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		own := newProduct(t, app, tok, "Măng khô thử tạm ngưng", "I.1.a", false)
		b := app.Browser()
		b.Login("producer@example.com")
		csrf := b.CSRF("/portal/products/new")
		u, _ := url.Parse(app.HTTP.URL)
		cookies := b.Client.Jar.Cookies(u)
		if err := app.DB.Model(&producer.Producer{}).Where("slug = ?", "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh").
			Update("status", producer.StatusSuspended).Error; err != nil {
			t.Fatal(err)
		}
		var suspended int64
		app.DB.Model(&producer.Producer{}).Where("status = ?", producer.StatusSuspended).Count(&suspended)
		if suspended != 1 {
			t.Fatalf("%d suspended producers, want the demo producer", suspended)
		}
		before := snapshotTables(t, app)

		// Bodies that would be accepted from an active producer.
		bodies := map[string]any{
			"POST /api/v1/portal/products": map[string]any{"name": "Sản phẩm mới", "group_code": "I.1.a",
				"variants": []map[string]any{{"sku": "SUS-1", "name": "Gói", "price": 50000, "stock": 3}}},
			"PUT /api/v1/portal/products/:slug": map[string]any{"name": "Đổi tên", "group_code": "I.1.a",
				"variants": []map[string]any{{"sku": "SUS-1", "name": "Gói", "price": 50000, "stock": 3}}},
			"POST /api/v1/portal/applications": map[string]any{"product_name": "Măng khô", "group_code": "I.1.a"},
		}
		walked := 0
		for _, rt := range app.Server.Routes() {
			if rt.Method != http.MethodPost && rt.Method != http.MethodPut && rt.Method != http.MethodDelete && rt.Method != http.MethodPatch {
				continue
			}
			if !strings.HasPrefix(rt.Path, "/portal") && !strings.HasPrefix(rt.Path, "/api/v1/portal") {
				continue
			}
			walked++
			path := strings.NewReplacer(":slug", own.Slug, ":code", "DEMO", ":action", "confirm", ":id", "1").Replace(rt.Path)
			var body []byte
			ct := "application/x-www-form-urlencoded"
			if strings.HasPrefix(path, "/api/") {
				ct = "application/json"
				body, _ = json.Marshal(bodies[rt.Method+" "+rt.Path]) // maps of strings and numbers always marshal
			} else {
				body = []byte(url.Values{"name": {"Sản phẩm mới"}, "group_code": {"I.1.a"}, "to": {"published"}}.Encode())
			}
			req := httptest.NewRequest(rt.Method, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+tok)
			} else {
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				req.Header.Set("X-CSRF-Token", csrf)
			}
			rec := httptest.NewRecorder()
			app.Server.Handler().ServeHTTP(rec, req)
			webtest.CheckOpenAPI(t, req, body, &webtest.Response{Response: rec.Result(), Body: rec.Body.Bytes()})
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s by a suspended producer: %d, want 403\n%s", rt.Method, rt.Path, rec.Code, clip(rec.Body.String()))
				continue
			}
			if !strings.Contains(rec.Body.String(), "tạm ngưng") {
				t.Errorf("%s %s: the 403 does not say the producer is suspended:\n%s", rt.Method, rt.Path, clip(rec.Body.String()))
			}
		}
		if walked < 15 {
			t.Fatalf("only %d portal write routes walked", walked)
		}
		if after := snapshotTables(t, app); !equalSnapshots(before, after) {
			for name, sum := range after {
				if before[name] != sum {
					t.Errorf("table %s changed", name)
				}
			}
		}
		// Reading still works.
		for _, p := range []string{"/portal", "/portal/products", "/portal/products/" + own.Slug, "/portal/registry", "/portal/orders", "/portal/profile"} {
			if res := b.Get(p); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s while suspended: %d, want 200", p, res.StatusCode)
			}
		}
		for _, p := range []string{"/api/v1/portal/products", "/api/v1/portal/profile", "/api/v1/portal/applications", "/api/v1/portal/orders"} {
			if res := app.API(webtest.Req{Method: "GET", Path: p, Token: tok}); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s while suspended: %d, want 200", p, res.StatusCode)
			}
		}
		// Lifting the suspension lifts the refusal.
		app.DB.Model(&producer.Producer{}).Where("slug = ?", "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh").Update("status", producer.StatusApproved)
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/products/" + own.Slug + "/publish", Token: tok}); res.StatusCode != http.StatusOK {
			t.Errorf("publish after the suspension is lifted: %d %s", res.StatusCode, res.Body)
		}
	})
}
