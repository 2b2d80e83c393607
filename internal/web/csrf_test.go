package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// roleOfPath is the demo account a page route is for: its area's role,
// else a shopper.
func roleOfPath(path string) string {
	for prefix, email := range map[string]string{"/portal": "producer@example.com", "/registry": "officer@example.com", "/admin": "admin@example.com"} {
		if strings.HasPrefix(path, prefix) {
			return email
		}
	}
	return "shopper@example.com"
}

// TestUnsafePagesNeedTheCSRFToken walks Echo's route table: every unsafe
// page route, signed in with the role it is for, without a token, with a
// forged one and with another visitor's, is the 403 page and changes no
// row of any table. The forms that matter most (register, sign-in,
// sign-out, an admin's suspension) are sent in full, with their data.
func TestUnsafePagesNeedTheCSRFToken(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var approved producer.Producer
		if err := app.DB.Where("status = ?", producer.StatusApproved).Take(&approved).Error; err != nil {
			t.Fatal(err)
		}
		register := url.Values{"name": {"X"}, "email": {"x1@example.com"}, "password": {"longenough"}}
		table := []webtest.Scenario{
			{Name: "register without a token", Method: "POST", URL: "/register", Form: register, CSRF: webtest.NoToken, FormPage: "/register",
				Status: http.StatusForbidden, Contains: []string{"Không có quyền"}},
			{Name: "register with a forged token", Method: "POST", URL: "/register", Form: register, CSRF: webtest.ForgedToken, FormPage: "/register",
				Status: http.StatusForbidden},
			{Name: "register with another visitor's token", Method: "POST", URL: "/register", Form: register, CSRF: webtest.OtherVisitorsToken,
				FormPage: "/register", Status: http.StatusForbidden},
			{Name: "sign in without a token", Method: "POST", URL: "/login", Form: url.Values{"email": {"shopper@example.com"}, "password": {seed.DemoPassword}},
				CSRF: webtest.NoToken, Fresh: true, Status: http.StatusForbidden},
			{Name: "sign out without a token keeps the session", As: "shopper@example.com", Method: "POST", URL: "/logout", CSRF: webtest.NoToken,
				Status: http.StatusForbidden, Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					if res := app.As("shopper@example.com").Get("/account"); res.StatusCode != http.StatusOK {
						t.Fatalf("session ended by a forged sign-out: /account answers %d", res.StatusCode)
					}
				}},
			{Name: "an admin's suspension without a token", As: "admin@example.com", Method: "POST", URL: "/admin/producers/" + approved.Slug + "/suspend",
				Form: url.Values{"from": {"approved"}}, CSRF: webtest.NoToken, Status: http.StatusForbidden,
				Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					var after producer.Producer
					app.DB.Take(&after, approved.ID)
					if after.Status != producer.StatusApproved {
						t.Errorf("producer status changed to %q by a forged form", after.Status)
					}
				}},
		}
		walked := 0
		for _, rt := range app.Server.Routes() {
			if rt.Method != http.MethodPost && rt.Method != http.MethodPut && rt.Method != http.MethodDelete && rt.Method != http.MethodPatch {
				continue
			}
			if webtest.IsAPI(rt.Path) {
				continue // bearer tokens, never cookies: no CSRF to forge
			}
			if rt.Path == "/notifications/unsubscribe/:token" {
				continue // RFC 8058 one-click: the signed link is the authority (TestUnsubscribeLinks)
			}
			walked++
			path := strings.NewReplacer(":slug", approved.Slug, ":code", "DEMO", ":action", "confirm", ":id", "1", ":variant_id", "1", ":key", "20").Replace(rt.Path)
			for _, mode := range []struct {
				name string
				csrf webtest.CSRF
			}{{"without a token", webtest.NoToken}, {"with a forged token", webtest.ForgedToken}, {"with another visitor's token", webtest.OtherVisitorsToken}} {
				table = append(table, webtest.Scenario{Name: rt.Method + " " + rt.Path + " " + mode.name, As: roleOfPath(rt.Path), Method: rt.Method, URL: path,
					Form: url.Values{"name": {"Tên mới"}, "from": {"approved"}, "to": {"published"}, "quantity": {"1"}}, CSRF: mode.csrf,
					Status: http.StatusForbidden, Contains: []string{"Không có quyền"}})
			}
		}
		if walked < 30 {
			t.Fatalf("only %d unsafe page routes walked: the route walk is broken", walked)
		}
		for _, email := range []string{"shopper@example.com", "producer@example.com", "officer@example.com", "admin@example.com"} {
			app.As(email) // signed in before the snapshot: a sign-in writes a session
		}
		before := app.Snapshot()
		webtest.RunScenarios(t, app, table)
		app.Unchanged(before)
	})
}
