package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/internal/webhook"
)

// TestAdminWebhooks: only an admin registers an endpoint, whose secret is
// shown once; hostile addresses and kinds are refused with 400 and change
// nothing; an endpoint is disabled once; both actions are audited.
func TestAdminWebhooks(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		const admin = "admin@example.com"
		app.As("shopper@example.com") // signed in now, so that its refusal changes nothing
		form := func(u, kinds string) url.Values { return url.Values{"url": {u}, "kinds": {kinds}} }
		table := []webtest.Scenario{
			{Name: "a visitor is sent to sign in", URL: "/admin/webhooks", Status: http.StatusSeeOther},
			{Name: "a shopper may not register", Method: "POST", URL: "/admin/webhooks", As: "shopper@example.com",
				Form: form("https://example.com/hook", "*"), Status: http.StatusForbidden, Unchanged: true},
			{Name: "register", Method: "POST", URL: "/admin/webhooks", As: admin, FormPage: "/admin/webhooks",
				Form: form("https://zalo.example.vn/ocop", "order.paid, order.shipped"), Status: http.StatusOK,
				Contains: []string{"whsec_", "https://zalo.example.vn/ocop"}},
			{Name: "the secret is not shown again", URL: "/admin/webhooks", As: admin, Status: http.StatusOK,
				Contains: []string{"order.paid,order.shipped"}, NotContains: []string{"whsec_"}},
			{Name: "a forged token", Method: "POST", URL: "/admin/webhooks", As: admin, FormPage: "/admin/webhooks", CSRF: webtest.ForgedToken,
				Form: form("https://example.com/x", "*"), Status: http.StatusForbidden, Unchanged: true},
		}
		for _, h := range []struct{ name, url, kinds string }{
			{"javascript", "javascript:alert(1)", "*"},
			{"file", "file:///etc/passwd", "*"},
			{"user info", "https://u:p@example.com/", "*"},
			{"huge", "https://example.com/" + strings.Repeat("a", 3000), "*"},
			{"control character", "https://example.com/\x01", "*"},
			{"bad kinds", "https://example.com/", "order.paid;DROP"},
		} {
			table = append(table, webtest.Scenario{Name: "refused: " + h.name, Method: "POST", URL: "/admin/webhooks", As: admin,
				FormPage: "/admin/webhooks", Form: form(h.url, h.kinds), Status: http.StatusBadRequest, Unchanged: true})
		}
		webtest.RunScenarios(t, app, table)
		var ep webhook.Endpoint
		if err := app.DB.Take(&ep).Error; err != nil {
			t.Fatal(err)
		}
		disable := "/admin/webhooks/" + strconv.FormatInt(ep.ID, 10) + "/disable"
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "disable", Method: "POST", URL: disable, As: admin, FormPage: "/admin/webhooks", Status: http.StatusSeeOther, Location: "/admin/webhooks"},
			{Name: "disable again", Method: "POST", URL: disable, As: admin, FormPage: "/admin/webhooks", Status: http.StatusNotFound, Unchanged: true},
			{Name: "a bad id", Method: "POST", URL: "/admin/webhooks/x/disable", As: admin, FormPage: "/admin/webhooks", Status: http.StatusNotFound, Unchanged: true},
		})
		// Both actions are in the chained audit log, by the admin, with the
		// endpoint before and after and never its secret; refusals wrote nothing.
		var entries []webhook.Audit
		if err := app.DB.Order("id").Find(&entries).Error; err != nil {
			t.Fatal(err)
		}
		adminID := userID(t, app, admin)
		if len(entries) != 2 || entries[0].Action != "webhook.register" || entries[1].Action != "webhook.disable" {
			t.Fatalf("webhook audit: %+v", entries)
		}
		for _, e := range entries {
			if e.ActorID != adminID || e.Subject != strconv.FormatInt(ep.ID, 10) || !strings.Contains(e.After, "zalo.example.vn") ||
				strings.Contains(e.Before+e.After, "whsec_") || strings.Contains(e.Before+e.After, ep.Secret) {
				t.Errorf("audit entry %+v", e)
			}
		}
		if !strings.Contains(entries[1].After, "disabled_at") || strings.Contains(entries[1].Before, "disabled_at") {
			t.Errorf("disable entry does not show the change: before %s after %s", entries[1].Before, entries[1].After)
		}
		if rep, err := webhook.VerifyAudit(t.Context(), app.DB); err != nil || rep.Broken != nil || rep.Rows != 2 {
			t.Errorf("webhook audit chain: %+v %v", rep, err)
		}
	})
}
