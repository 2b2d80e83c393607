package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/payment/stripe/stripetest"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// stripeProxy stands between the app and stripe-mock: it records every
// refund request's idempotency key and can make Stripe fail (500, retry
// later) or refuse (400, never) refunds.
type stripeProxy struct {
	*httptest.Server
	mu      sync.Mutex
	mode    string   // "ok", "fail" or "refuse"
	keys    []string // Idempotency-Key of every POST /v1/refunds seen
	created int      // refunds that reached stripe-mock
}

func newStripeProxy(t *testing.T) *stripeProxy {
	base, err := url.Parse(stripetest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	p := &stripeProxy{mode: "ok"}
	rp := httputil.NewSingleHostReverseProxy(base)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/refunds" {
			p.mu.Lock()
			p.keys = append(p.keys, r.Header.Get("Idempotency-Key"))
			mode := p.mode
			if mode == "ok" {
				p.created++
			}
			p.mu.Unlock()
			w.Header().Set("Stripe-Should-Retry", "false") // one request per attempt: the sweep does the retrying
			switch mode {
			case "fail":
				http.Error(w, `{"error":{"type":"api_error","message":"Stripe is having a bad day"}}`, http.StatusInternalServerError)
				return
			case "refuse":
				http.Error(w, `{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"already refunded"}}`, http.StatusBadRequest)
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *stripeProxy) set(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
}

func (p *stripeProxy) seen() (keys []string, created int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.keys...), p.created
}

func (p *stripeProxy) option() webtest.Option {
	return func(c *config.Config) {
		c.StripeSecretKey, c.StripeAPIBase, c.StripeWebhookSecret = "sk_test_123", p.URL, stripeWebhookSecret
		c.BankWebhookSecret = bankSecret
	}
}

// instance is another instance of the app on its database: a job engine
// with every worker and sweep of the server, retrying failed jobs by
// policy (nil: at once), stopped when the test (or step) ends.
func instance(t *testing.T, app *webtest.App, policy river.ClientRetryPolicy) *jobs.Engine {
	t.Helper()
	e := jobstest.New(t, app.DB, jobs.Options{RetryPolicy: policy})
	app.Server.RegisterJobs(e)
	return e
}

// inAnHour retries a failed job an hour later: longer than any test.
type inAnHour struct{}

func (inAnHour) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Hour) }

func callOf(t *testing.T, app *webtest.App, key string) payment.ProviderCall {
	t.Helper()
	var c payment.ProviderCall
	if err := app.DB.Where("idempotency_key = ?", key).Take(&c).Error; err != nil {
		t.Fatalf("provider call %s: %v", key, err)
	}
	return c
}

// paidCardGroup checks out one product by card and pays it by webhook.
func paidCardGroup(t *testing.T, app *webtest.App, shopper string, variantID int64, pi string) group {
	t.Helper()
	addToCart(t, app, shopper, variantID, 1)
	g := checkout(t, app, shopper, checkoutBody(app, t, "card"))
	if res := stripeEvent(t, app, "evt_"+pi, "checkout.session.completed", sessionCompleted(g.Code, g.Total, pi), stripeWebhookSecret); !contains(res.Body, `"paid"`) {
		t.Fatalf("pay %s: %d %s", g.Code, res.StatusCode, res.Body)
	}
	return g
}

// TestCardRefundIsRetriedUntilDone: a card refund is owed in the
// cancellation's transaction and made after commit by its job: a Stripe
// failure is retried later with backoff and the same idempotency key; two
// instances working the queue make one request; a refusal or too many
// failures give up, leave a refund_failed issue and show on the admin's
// page and API, where an admin can queue it again.
func TestCardRefundIsRetriedUntilDone(t *testing.T) {
	proxy := newStripeProxy(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := &cardRefunds{app: app, proxy: proxy, shopper: app.Token("shopper@example.com"),
			v: sell(t, app, item{producer: producer1Slug, price: 120000, stock: 10, grams: 300})}
		r.keys0, r.created0 = proxy.seen()
		webtest.RunSteps(t, []webtest.Step{
			{Name: "a cancel owes the refund and sends nothing yet", Run: r.cancelOwes},
			{Name: "a Stripe failure is retried only after the backoff", Run: r.failureBacksOff},
			{Name: "Stripe back: two instances refund once, with one key", Run: r.concurrentSweeps},
			{Name: "a refusal gives up at once, with an issue the admin sees", Run: r.refusalGivesUp},
			{Name: "the admin queues it again", Run: r.adminRetries},
			{Name: "failing every time gives up after the last attempt", Run: r.failingGivesUp},
		})
		proxy.set("ok")
	}, proxy.option())
}

// cardRefunds is what TestCardRefundIsRetriedUntilDone's steps share.
type cardRefunds struct {
	app       *webtest.App
	proxy     *stripeProxy
	shopper   string
	v         catalog.Variant
	keys0     []string // refund requests Stripe saw before this dialect's run
	created0  int
	key, key2 string // idempotency keys of the first two refunds
	retryURL  string
}

// cancelled pays a card group, cancels it and returns its refund's idempotency key.
func (r *cardRefunds) cancelled(t *testing.T, pi string) (group, string) {
	app := r.app.For(t)
	g := paidCardGroup(t, app, r.shopper, r.v.ID, pi+"_"+app.DB.Dialector.Name())
	if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + g.Code + "/cancel", Token: r.shopper}); res.StatusCode != 200 {
		t.Fatalf("cancel: %d %s", res.StatusCode, res.Body)
	}
	return g, "refund-" + g.Orders[0].Code
}

// cancelOwes: ledger reversed and the refund owed, but nothing sent yet.
func (r *cardRefunds) cancelOwes(t *testing.T) {
	var g group
	g, r.key = r.cancelled(t, "pi_retry")
	app := r.app.For(t)
	if c := callOf(t, app, r.key); c.DoneAt != nil || c.Attempts != 0 || c.Kind != payment.CallStripeRefund {
		t.Fatalf("call after cancel = %+v, want pending with no attempt", c)
	}
	if keys, _ := r.proxy.seen(); len(keys) != len(r.keys0) {
		t.Fatal("the refund was sent to Stripe inside the request; it must wait for the job")
	}
	assertBalanced(t, app, g.Code)
}

// failureBacksOff: Stripe fails; the attempt is recorded and the job
// waits for its backoff before the next.
func (r *cardRefunds) failureBacksOff(t *testing.T) {
	app := r.app.For(t)
	r.proxy.set("fail")
	e := instance(t, app, inAnHour{})
	before := time.Now()
	jobstest.Drain(t, e)
	c := callOf(t, app, r.key)
	if c.Attempts != 1 || c.LastError == "" || c.DoneAt != nil || c.FailedAt != nil {
		t.Fatalf("call after a failed attempt = %+v", c)
	}
	j := callJob(t, app, jobs.FilterRetrying)
	if j.Attempt != 1 || !j.ScheduledAt.After(before.Add(59*time.Minute)) || j.LastError() == "" {
		t.Fatalf("job after a failed attempt = %+v, want retrying in an hour", j)
	}
	sent, _ := r.proxy.seen()
	jobstest.Drain(t, e)
	if after, _ := r.proxy.seen(); len(after) != len(sent) {
		t.Fatal("a failed call was retried before its backoff")
	}
}

// callJob is the one provider-call job in filter.
func callJob(t *testing.T, app *webtest.App, filter jobs.Filter) jobs.Job {
	t.Helper()
	page, err := app.Server.Jobs().List(context.Background(), filter, "", jobs.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	var found []jobs.Job
	for _, j := range page.Jobs {
		if j.Kind == (payment.CallArgs{}).Kind() {
			found = append(found, j)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d provider-call jobs %s, want 1: %+v", len(found), filter, found)
	}
	return found[0]
}

// concurrentSweeps: Stripe is back and the admin retries the job now; two
// instances work the queue and make the refund once, every attempt with
// the same idempotency key.
func (r *cardRefunds) concurrentSweeps(t *testing.T) {
	app := r.app.For(t)
	r.proxy.set("ok")
	j := callJob(t, app, jobs.FilterRetrying)
	if _, err := app.Server.Jobs().Retry(context.Background(), userID(t, app, "admin@example.com"), j.ID); err != nil {
		t.Fatal(err)
	}
	a, b := instance(t, app, nil), instance(t, app, nil)
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	jobstest.Drain(t, a)
	jobstest.Drain(t, b)
	c := callOf(t, app, r.key)
	if c.DoneAt == nil || c.Result == "" || c.LastError != "" {
		t.Fatalf("call after Stripe came back = %+v, want done with the refund id", c)
	}
	keys, created := r.proxy.seen()
	if created-r.created0 != 1 {
		t.Fatalf("%d refunds reached Stripe, want exactly 1", created-r.created0)
	}
	for _, k := range keys[len(r.keys0):] {
		if k != r.key {
			t.Fatalf("refund request with idempotency key %q, want %q on every attempt", k, r.key)
		}
	}
	// Adopting owed calls again finds nothing to do for a done one.
	if err := a.Enqueue(context.Background(), jobs.SweepArgs{Name: "payment.provider_calls.adopt"}, nil); err != nil {
		t.Fatal(err)
	}
	jobstest.Drain(t, a)
	if _, created := r.proxy.seen(); created-r.created0 != 1 {
		t.Fatal("a done call ran again")
	}
}

// refusalGivesUp: Stripe refuses; the call is given up at once, an issue
// is left, and the admin's page and API show it (and only it).
func (r *cardRefunds) refusalGivesUp(t *testing.T) {
	app := r.app.For(t)
	var g2 group
	g2, r.key2 = r.cancelled(t, "pi_refuse")
	r.proxy.set("refuse")
	jobstest.Drain(t, instance(t, app, nil))
	if c := callOf(t, app, r.key2); c.FailedAt == nil || c.DoneAt != nil {
		t.Fatalf("refused call = %+v, want given up", c)
	}
	if n := countRows(t, app, &payment.Issue{}, "kind = ? AND reference = ?", payment.IssueRefundFailed, g2.Orders[0].Code); n != 1 {
		t.Fatalf("%d refund_failed issues for %s, want 1", n, g2.Orders[0].Code)
	}
	if res := app.As("admin@example.com").Get("/admin/payments"); res.StatusCode != 200 || !contains(res.Body, r.key2+"</td>") || contains(res.Body, r.key+"</td>") {
		t.Fatalf("admin payments page should list the given-up call %s and not the done one: %d", r.key2, res.StatusCode)
	}
	res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/admin/provider-calls", Token: app.TokenOf("admin@example.com")})
	var list struct{ Calls []payment.ProviderCall }
	res.JSON(t, &list)
	if len(list.Calls) != 1 || list.Calls[0].IdempotencyKey != r.key2 || list.Calls[0].FailedAt == nil {
		t.Fatalf("provider calls to watch = %s, want only %s, given up", res.Body, r.key2)
	}
	if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/admin/provider-calls", Token: r.shopper}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a shopper listed provider calls: %d", res.StatusCode)
	}
	r.retryURL = fmt.Sprintf("/api/v1/admin/provider-calls/%d/retry", list.Calls[0].ID)
}

// adminRetries: the admin queues the given-up call again once the cause is
// fixed, and the next sweep finishes it.
func (r *cardRefunds) adminRetries(t *testing.T) {
	r.proxy.set("ok")
	webtest.RunScenarios(t, r.app, []webtest.Scenario{
		{Name: "retry", As: "admin@example.com", Method: "POST", URL: r.retryURL, Status: http.StatusNoContent},
		{Name: "retry of a queued call", As: "admin@example.com", Method: "POST", URL: r.retryURL, Status: http.StatusNotFound},
	})
	jobstest.Drain(t, instance(t, r.app.For(t), nil))
	if callOf(t, r.app.For(t), r.key2).DoneAt == nil {
		t.Fatal("the retried call did not finish")
	}
}

// failingGivesUp: a call that fails every time is given up after the
// last attempt, with an issue.
func (r *cardRefunds) failingGivesUp(t *testing.T) {
	app := r.app.For(t)
	g3, key3 := r.cancelled(t, "pi_tired")
	r.proxy.set("fail")
	jobstest.Drain(t, instance(t, app, nil)) // retried at once: ten attempts, then given up
	if c := callOf(t, app, key3); c.FailedAt == nil || c.Attempts != 10 {
		t.Fatalf("call failing every time = %+v, want given up after 10 attempts", c)
	}
	if n := countRows(t, app, &payment.Issue{}, "kind = ? AND reference = ?", payment.IssueRefundFailed, g3.Orders[0].Code); n != 1 {
		t.Fatalf("%d refund_failed issues after giving up, want 1", n)
	}
	j := callJob(t, app, jobs.FilterFailed)
	if j.Attempt != 10 || len(j.Errors) != 10 {
		t.Fatalf("job of the call given up = %+v, want discarded after 10 attempts", j)
	}
	// The admin's jobs page shows it failed, with Stripe's error and a retry button.
	res := app.As("admin@example.com").Get("/admin/jobs?state=failed")
	if res.StatusCode != 200 || !contains(res.Body, "payment.provider_call") || !contains(res.Body, "Stripe is having a bad day") ||
		!contains(res.Body, fmt.Sprintf(`action="/admin/jobs/%d/retry"`, j.ID)) {
		t.Fatalf("the failed job is not on the admin's jobs page: %d", res.StatusCode)
	}
}

// breakInserts makes every INSERT into table fail until the returned
// function is called: a database that refuses to record something.
func breakInserts(t *testing.T, app *webtest.App, table string) func() {
	t.Helper()
	var stmts, undo []string
	if app.DB.Dialector.Name() == "postgres" {
		stmts = []string{
			`CREATE FUNCTION test_refuse_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER test_refuse_insert BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()`,
		}
		undo = []string{`DROP TRIGGER test_refuse_insert ON ` + table, `DROP FUNCTION test_refuse_insert()`}
	} else {
		stmts = []string{`CREATE TRIGGER test_refuse_insert BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`}
		undo = []string{`DROP TRIGGER test_refuse_insert`}
	}
	for _, s := range stmts {
		if err := app.DB.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, s := range undo {
			if err := app.DB.Exec(s).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestRefundOwedInTheSameTransaction: the obligation to give the money
// back is written with the refund entries or not at all. When the
// database refuses the VietQR refund's to-do (or the card refund's
// provider call), the cancellation fails as a whole: the orders stay
// paid, no reversal is written, the stock stays sold. Once it can be
// written, each refunded order has exactly one obligation.
func TestRefundOwedInTheSameTransaction(t *testing.T) {
	proxy := newStripeProxy(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		a := sell(t, app, item{producer: producer1Slug, price: 50000, stock: 10, grams: 200})
		b := sell(t, app, item{producer: producer2Slug, price: 70000, stock: 10, grams: 200})
		cancel := func(code string) *webtest.Response {
			return app.API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + code + "/cancel", Token: shopper})
		}
		addToCart(t, app, shopper, a.ID, 1)
		addToCart(t, app, shopper, b.ID, 1)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		payByBank(t, app, g)
		card := paidCardGroup(t, app, shopper, a.ID, "pi_tx_"+app.DB.Dialector.Name())

		cases := []struct {
			name, table, code string
		}{
			{"VietQR refund_due issue", "payment_issues", g.Code},
			{"card refund provider call", "provider_calls", card.Code},
		}
		for _, c := range cases {
			entries := assertBalanced(t, app, c.code)
			stockA := stockOf(t, app, a.ID)
			restore := breakInserts(t, app, c.table)
			// Straight to the server: a 500 is not in the API's document.
			req, err := http.NewRequest(http.MethodPost, app.HTTP.URL+"/api/v1/orders/"+c.code+"/cancel", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+shopper)
			res, err := http.DefaultClient.Do(req)
			restore()
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusInternalServerError {
				t.Fatalf("%s: cancel while the obligation cannot be written: %d, want 500", c.name, res.StatusCode)
			}
			after := getGroup(t, app, shopper, c.code)
			for _, o := range after.Orders {
				if o.Status != "paid" {
					t.Fatalf("%s: order %s = %s after the failed cancel, want paid", c.name, o.Code, o.Status)
				}
			}
			if n := assertBalanced(t, app, c.code); n != entries || stockOf(t, app, a.ID) != stockA {
				t.Fatalf("%s: the failed cancel left %d entries (want %d) and stock %d (want %d)", c.name, n, entries, stockOf(t, app, a.ID), stockA)
			}
			if res := cancel(c.code); res.StatusCode != 200 {
				t.Fatalf("%s: cancel: %d %s", c.name, res.StatusCode, res.Body)
			}
		}
		// Every refunded order owes exactly one thing: an issue (VietQR) or a call (card).
		var rows []struct {
			Code   string
			Method string
			Issues int64
			Calls  int64
		}
		err := app.DB.Raw(`SELECT o.code, g.payment_method AS method,
			(SELECT COUNT(*) FROM payment_issues i WHERE i.reference = o.code AND i.kind = 'refund_due') AS issues,
			(SELECT COUNT(*) FROM provider_calls c WHERE c.idempotency_key = 'refund-' || o.code) AS calls
			FROM orders o JOIN order_groups g ON g.id = o.group_id WHERE o.status = 'refunded'`).Scan(&rows).Error
		if err != nil || len(rows) != 3 {
			t.Fatalf("refunded orders: %d, %v; want 3", len(rows), err)
		}
		for _, r := range rows {
			want := [2]int64{1, 0}
			if r.Method == "card" {
				want = [2]int64{0, 1}
			}
			if [2]int64{r.Issues, r.Calls} != want {
				t.Errorf("refunded %s order %s has %d refund_due issues and %d provider calls, want %v", r.Method, r.Code, r.Issues, r.Calls, want)
			}
		}
	}, proxy.option())
}
