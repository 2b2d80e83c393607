package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestAdminJobs: only an admin sees the jobs page and its API; bad filters,
// cursors, sizes and ids are refused with 400/404 and change nothing; a
// cancelled job is listed with its error and retried once (CSRF, audited),
// after which retrying it again is a conflict.
func TestAdminJobs(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		ctx := context.Background()
		// A provider call that does not exist: its job is cancelled at once, with the reason.
		if err := app.Server.Jobs().Enqueue(ctx, payment.CallArgs{CallID: 424242}, nil); err != nil {
			t.Fatal(err)
		}
		worker := instance(t, app, nil)
		jobstest.Drain(t, worker)
		// Stopped, so that nothing changes the database under the checks below.
		if err := worker.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		// Signed in now, so that the refusals below change nothing.
		app.TokenOf("officer@example.com")
		app.As("producer@example.com")
		page, err := app.Server.Jobs().List(ctx, jobs.FilterCancelled, "", 10)
		if err != nil || len(page.Jobs) != 1 {
			t.Fatalf("cancelled jobs = %+v, %v; want one", page.Jobs, err)
		}
		id := page.Jobs[0].ID
		retry := fmt.Sprintf("/admin/jobs/%d/retry", id)
		apiRetry := fmt.Sprintf("/api/v1/admin/jobs/%d/retry", id)
		const admin = "admin@example.com"
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "a visitor is sent to sign in", URL: "/admin/jobs", Status: http.StatusSeeOther},
			{Name: "a shopper may not look", URL: "/admin/jobs", As: "shopper@example.com", Status: http.StatusForbidden},
			{Name: "a producer may not retry", Method: "POST", URL: retry, As: "producer@example.com", Status: http.StatusForbidden, Unchanged: true},
			{Name: "a shopper may not use the API", URL: "/api/v1/admin/jobs", As: "shopper@example.com", Status: http.StatusForbidden},
			{Name: "an officer may not retry by API", Method: "POST", URL: apiRetry, As: "officer@example.com", Status: http.StatusForbidden, Unchanged: true},
			{Name: "the page lists the cancelled job and why", URL: "/admin/jobs?state=cancelled", As: admin, Status: http.StatusOK,
				Contains: []string{"payment.provider_call", "#" + fmt.Sprint(id), "not found", `action="` + retry + `"`}},
			{Name: "the page in English", URL: "/admin/jobs?state=failed", As: admin, Header: map[string]string{"Cookie": "lang=en"}, Status: http.StatusOK},
			{Name: "the API lists it", URL: "/api/v1/admin/jobs?state=cancelled&limit=5", As: admin, Status: http.StatusOK,
				Contains: []string{`"kind":"payment.provider_call"`, `"state":"cancelled"`}},
			{Name: "the API shows one job", URL: fmt.Sprintf("/api/v1/admin/jobs/%d", id), As: admin, Status: http.StatusOK},
			{Name: "a forged CSRF token is refused", Method: "POST", URL: retry, As: admin, CSRF: webtest.ForgedToken, Status: http.StatusForbidden, Unchanged: true},
			{Name: "retry", Method: "POST", URL: retry, As: admin, Status: http.StatusSeeOther, Location: "/admin/jobs?state=queued",
				Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					if n := countRows(t, app, &jobs.Audit{}, "action = ? AND subject = ?", "job.retry", fmt.Sprint(id)); n != 1 {
						t.Fatalf("%d audit rows for the retry, want 1", n)
					}
					if j, err := app.Server.Jobs().Get(context.Background(), id); err != nil || j.State != jobs.FilterQueued {
						t.Fatalf("job after retry = %+v, %v; want queued", j, err)
					}
				}},
			{Name: "retrying a queued job is a conflict", Method: "POST", URL: apiRetry, As: admin, Status: http.StatusConflict, Unchanged: true},
			{Name: "retrying a job that is not there", Method: "POST", URL: "/api/v1/admin/jobs/99999999/retry", As: admin, Status: http.StatusNotFound, Unchanged: true},
		})
		// Hostile input: a clear 4xx, nothing changed.
		hostile := []struct{ url, page string }{
			{"/api/v1/admin/jobs?state=discarded", "/admin/jobs?state=discarded"},
			{"/api/v1/admin/jobs?state=" + url.QueryEscape(strings.Repeat("x", 10000)), "/admin/jobs?state=" + url.QueryEscape(strings.Repeat("x", 10000))},
			{"/api/v1/admin/jobs?cursor=not-a-cursor", "/admin/jobs?cursor=not-a-cursor"},
			{"/api/v1/admin/jobs?cursor=" + strings.Repeat("A", 5000), "/admin/jobs?cursor=" + strings.Repeat("A", 5000)},
			{"/api/v1/admin/jobs?cursor=%FF%FE", "/admin/jobs?cursor=%FF%FE"},
			{"/api/v1/admin/jobs?state=failed%00", "/admin/jobs?state=failed%00"},
			{"/api/v1/admin/jobs?limit=0", "/admin/jobs?limit=0"},
			{"/api/v1/admin/jobs?limit=101", "/admin/jobs?limit=101"},
			{"/api/v1/admin/jobs?limit=ten", "/admin/jobs?limit=ten"},
		}
		var table []webtest.Scenario
		for _, h := range hostile {
			table = append(table,
				webtest.Scenario{URL: h.url, As: admin, Status: http.StatusBadRequest, Unchanged: true},
				webtest.Scenario{URL: h.page, As: admin, Status: http.StatusBadRequest, Unchanged: true})
		}
		table = append(table, // a NUL anywhere is refused before routing
			webtest.Scenario{URL: "/api/v1/admin/jobs/1%00", As: admin, Status: http.StatusBadRequest},
			webtest.Scenario{Method: "POST", URL: "/admin/jobs/1%00/retry", As: admin, Status: http.StatusBadRequest, Unchanged: true})
		for _, id := range []string{"abc", "-1", "0", "99999999999999999999"} {
			table = append(table,
				webtest.Scenario{URL: "/api/v1/admin/jobs/" + id, As: admin, Status: http.StatusNotFound},
				webtest.Scenario{Method: "POST", URL: "/admin/jobs/" + id + "/retry", As: admin, Status: http.StatusNotFound, Unchanged: true})
		}
		webtest.RunScenarios(t, app, table)
	})
}
