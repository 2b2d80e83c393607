package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestAdminProducerStatus proves the admin's approve and suspend actions:
// they move a producer from the status the admin saw, a stale page gets 409
// and changes nothing, an unknown producer is 404 and other roles get 403.
func TestAdminProducerStatus(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var p producer.Producer
		if err := app.DB.Where("status = ?", producer.StatusApproved).Order("id").Take(&p).Error; err != nil {
			t.Fatal(err)
		}
		status := func() producer.Status {
			var now producer.Producer
			if err := app.DB.Take(&now, p.ID).Error; err != nil {
				t.Fatal(err)
			}
			return now.Status
		}
		admin := app.Browser()
		admin.Login("admin@example.com")
		cases := []struct {
			name   string
			as     *webtest.Browser
			action string
			from   string
			status int
			after  producer.Status
		}{
			{"suspend an approved producer", admin, "suspend", "approved", 303, producer.StatusSuspended},
			{"stale page: suspend again", admin, "suspend", "approved", 409, producer.StatusSuspended},
			{"approve the suspended producer", admin, "approve", "suspended", 303, producer.StatusApproved},
			{"from is not a status", admin, "approve", "sleeping", 400, producer.StatusApproved},
			{"a shopper may not", loggedIn(app, "shopper@example.com"), "suspend", "approved", 403, producer.StatusApproved},
			{"an officer may not", loggedIn(app, "officer@example.com"), "suspend", "approved", 403, producer.StatusApproved},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := tc.as.Post("/", "/admin/producers/"+p.Slug+"/"+tc.action, url.Values{"from": {tc.from}})
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, tc.status, clip(text(res)))
				}
				if tc.status == 303 {
					if res.Header.Get("Location") != "/admin" {
						t.Errorf("redirect to %q, want /admin", res.Header.Get("Location"))
					}
					if page := tc.as.Get("/admin"); !strings.Contains(text(page), "Đã lưu.") {
						t.Errorf("the admin page does not confirm the change")
					}
				}
				if tc.status == 409 && !strings.Contains(text(res), "Xung đột") {
					t.Errorf("409 page does not explain the conflict")
				}
				if got := status(); got != tc.after {
					t.Errorf("producer status %q, want %q", got, tc.after)
				}
			})
		}
		if res := admin.Post("/", "/admin/producers/no-such-producer/approve", url.Values{"from": {"pending"}}); res.StatusCode != 404 {
			t.Errorf("unknown producer: %d, want 404", res.StatusCode)
		}
	})
}

func loggedIn(app *webtest.App, email string) *webtest.Browser {
	b := app.Browser()
	b.Login(email)
	return b
}
