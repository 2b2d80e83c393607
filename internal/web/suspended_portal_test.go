package web_test

import (
	"net/http"
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
		const who = "producer@example.com"
		own := newProduct(t, app, app.TokenOf(who), "Măng khô thử tạm ngưng", "I.1.a", false)
		app.As(who) // signed in before the suspension and the snapshot
		setProducerStatus(t, app, producer1Slug, producer.StatusSuspended)
		var suspended int64
		app.DB.Model(&producer.Producer{}).Where("status = ?", producer.StatusSuspended).Count(&suspended)
		if suspended != 1 {
			t.Fatalf("%d suspended producers, want the demo producer", suspended)
		}
		writes := suspendedWrites(app, who, own.Slug)
		if len(writes) < 15 {
			t.Fatalf("only %d portal write routes walked", len(writes))
		}
		before := app.Snapshot()
		webtest.RunScenarios(t, app, writes)
		app.Unchanged(before)

		// Reading still works; lifting the suspension lifts the refusal.
		var reads []webtest.Scenario
		for _, p := range []string{"/portal", "/portal/products", "/portal/products/" + own.Slug, "/portal/registry", "/portal/orders", "/portal/profile",
			"/api/v1/portal/products", "/api/v1/portal/profile", "/api/v1/portal/applications", "/api/v1/portal/orders"} {
			reads = append(reads, webtest.Scenario{Name: "GET " + p + " while suspended", As: who, URL: p, Status: http.StatusOK})
		}
		webtest.RunScenarios(t, app, append(reads, webtest.Scenario{Name: "publish after the suspension is lifted", As: who, Method: "POST",
			URL: "/api/v1/portal/products/" + own.Slug + "/publish", Status: http.StatusOK,
			Before: func(t *testing.T, app *webtest.App) {
				setProducerStatus(t, app, producer1Slug, producer.StatusApproved)
			}}))
	})
}

// suspendedWrites is every unsafe portal route (pages and API) as the
// suspended producer who sends it with a body an active producer would get
// accepted: each must be 403 saying the producer is suspended.
func suspendedWrites(app *webtest.App, who, slug string) []webtest.Scenario {
	bodies := map[string]any{
		"POST /api/v1/portal/products": map[string]any{"name": "Sản phẩm mới", "group_code": "I.1.a",
			"variants": []map[string]any{{"sku": "SUS-1", "name": "Gói", "price": 50000, "stock": 3}}},
		"PUT /api/v1/portal/products/:slug": map[string]any{"name": "Đổi tên", "group_code": "I.1.a",
			"variants": []map[string]any{{"sku": "SUS-1", "name": "Gói", "price": 50000, "stock": 3}}},
		"POST /api/v1/portal/applications": map[string]any{"product_name": "Măng khô", "group_code": "I.1.a"},
	}
	var out []webtest.Scenario
	for _, rt := range app.Server.Routes() {
		if rt.Method != http.MethodPost && rt.Method != http.MethodPut && rt.Method != http.MethodDelete && rt.Method != http.MethodPatch {
			continue
		}
		if !strings.HasPrefix(rt.Path, "/portal") && !strings.HasPrefix(rt.Path, "/api/v1/portal") {
			continue
		}
		sc := webtest.Scenario{Name: rt.Method + " " + rt.Path, As: who, Method: rt.Method,
			URL:    strings.NewReplacer(":slug", slug, ":code", "DEMO", ":action", "confirm", ":id", "1").Replace(rt.Path),
			Status: http.StatusForbidden, Contains: []string{"tạm ngưng"}}
		if webtest.IsAPI(rt.Path) {
			sc.Body = bodies[rt.Method+" "+rt.Path]
			if sc.Body == nil {
				sc.Body = map[string]any(nil) // JSON null, as before: a body the route cannot use
			}
		} else {
			sc.Form = url.Values{"name": {"Sản phẩm mới"}, "group_code": {"I.1.a"}, "to": {"published"}}
		}
		out = append(out, sc)
	}
	return out
}

// setProducerStatus sets a producer's status straight in the table.
func setProducerStatus(t *testing.T, app *webtest.App, slug string, status producer.Status) {
	t.Helper()
	if err := app.DB.Model(&producer.Producer{}).Where("slug = ?", slug).Update("status", status).Error; err != nil {
		t.Fatal(err)
	}
}
