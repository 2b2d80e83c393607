package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/notify/mailpittest"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/web/webtest"
)

// A paid order tells the producer at once, by e-mail in the producer's
// language with a link to the exact page and a working one-click
// unsubscribe, and the shopper gets "placed" (with the VietQR details) and
// "paid" in Vietnamese. The bell counts the producer's new message.
func TestPaidOrderEmailsProducerAndShopper(t *testing.T) {
	mp := mailpittest.Start(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		if err := app.DB.Exec("UPDATE users SET locale = 'en' WHERE email = ?", "producer@example.com").Error; err != nil {
			t.Fatal(err)
		}
		g := buyAndPay(t, app)
		jobstest.Drain(t, app.Server.Jobs())
		base := app.Config.BaseURL

		sale := waitSubject(t, mp, "producer@example.com", "New paid order: "+g.Orders[0].Code)
		if len(sale) != 1 {
			t.Fatalf("producer got %d 'new paid order' e-mails, want 1", len(sale))
		}
		m := mp.Message(sale[0].ID)
		h := mp.Headers(sale[0].ID)
		if !strings.Contains(m.Text, base+"/portal/orders#"+g.Orders[0].Code) || !strings.Contains(m.HTML, base+"/portal/orders#"+g.Orders[0].Code) {
			t.Errorf("the e-mail does not link to the order's page %s/portal/orders#%s:\n%s", base, g.Orders[0].Code, m.Text)
		}
		if got := h["Content-Language"]; len(got) != 1 || got[0] != "en" {
			t.Errorf("Content-Language = %v, want en (the producer's locale)", got)
		}
		unsub := strings.Trim(first(h["List-Unsubscribe"]), "<>")
		if !strings.HasPrefix(unsub, base+"/notifications/unsubscribe/") {
			t.Errorf("List-Unsubscribe = %q, want a link to %s/notifications/unsubscribe/…", unsub, base)
		}
		if got := first(h["List-Unsubscribe-Post"]); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post = %q", got)
		}
		if first(h["Message-Id"]) == "" && first(h["Message-ID"]) == "" {
			t.Error("no Message-ID")
		}

		placed := waitSubject(t, mp, "shopper@example.com", "Đơn hàng "+g.Code+" đã được đặt")
		pm := mp.Message(placed[0].ID)
		for _, want := range []string{"OCOP " + g.Code, "0000000000001", money.VND(g.Total)} {
			if !strings.Contains(pm.Text, want) {
				t.Errorf("the 'placed' e-mail lacks %q (the VietQR details):\n%s", want, pm.Text)
			}
		}
		if got := first(mp.Headers(placed[0].ID)["Content-Language"]); got != "vi" {
			t.Errorf("shopper's Content-Language = %q, want vi", got)
		}
		waitSubject(t, mp, "shopper@example.com", "Đơn hàng "+g.Code+" đã được thanh toán")

		// The bell of the producer shows its one unread message.
		page := app.As("producer@example.com").Get("/account")
		if !contains(page.Body, `id="bell-count" aria-hidden="true">1<`) {
			t.Errorf("the producer's bell does not show 1:\n%s", page.Body)
		}

		// One-click unsubscribe (RFC 8058): a POST with no cookie turns the kind's e-mail off.
		res, err := http.PostForm(unsub, url.Values{"List-Unsubscribe": {"One-Click"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("one-click unsubscribe: %d", res.StatusCode)
		}
		var email []bool
		app.DB.Raw("SELECT p.email FROM notification_prefs p JOIN users u ON u.id = p.user_id WHERE u.email = ? AND p.kind = ?",
			"producer@example.com", string(notify.SaleNew)).Scan(&email)
		if len(email) != 1 || email[0] {
			t.Errorf("after unsubscribing, sale.new e-mail = %v, want off", email)
		}
	}, withMail(mp))
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// The same bank notification delivered 20 times at once pays once and
// tells once: one "paid" e-mail to the shopper, one "new order" to the
// producer.
func TestReplayedBankWebhookTellsOnce(t *testing.T) {
	mp := mailpittest.Start(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer1Slug, price: 90_000, stock: 10, grams: 500})
		tok := app.TokenOf("shopper@example.com")
		addToCart(t, app, tok, v.ID, 1)
		g := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
		var wg sync.WaitGroup
		paid := make(chan int, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := notifyBank(t, app, "TXN-"+g.Code, g.Total, "OCOP "+g.Code, time.Now(), bankSecret)
				if res.StatusCode >= 500 {
					t.Errorf("replay: %d %s", res.StatusCode, res.Body)
				}
				if res.StatusCode == http.StatusOK {
					paid <- 1
				}
			}()
		}
		wg.Wait()
		close(paid)
		if n := len(paid); n != 1 {
			t.Fatalf("%d of 20 deliveries were applied, want 1", n)
		}
		jobstest.Drain(t, app.Server.Jobs())
		waitSubject(t, mp, "shopper@example.com", g.Code+" đã được thanh toán")
		waitSubject(t, mp, "producer@example.com", g.Orders[0].Code)
		jobstest.Drain(t, app.Server.Jobs())
		if n := len(withSubject(mp.To("shopper@example.com"), g.Code+" đã được thanh toán")); n != 1 {
			t.Errorf("shopper got %d 'paid' e-mails, want 1", n)
		}
		if n := len(withSubject(mp.To("producer@example.com"), g.Orders[0].Code)); n != 1 {
			t.Errorf("producer got %d e-mails about %s, want 1", n, g.Orders[0].Code)
		}
		var rows int64
		app.DB.Raw("SELECT COUNT(*) FROM notifications WHERE event_key = ?", "order.paid:"+g.Code).Scan(&rows)
		if rows != 1 {
			t.Errorf("%d inbox rows for the payment, want 1", rows)
		}
	}, withMail(mp))
}

// A producer who turned "new sale" e-mail off still finds the sale in the
// inbox, and no e-mail is sent.
func TestEmailOffMeansInboxOnly(t *testing.T) {
	mp := mailpittest.Start(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		res := app.API(webtest.Req{Method: "PUT", Path: "/api/v1/notifications/preferences", Token: app.TokenOf("producer@example.com"),
			Body: map[string]any{"preferences": []map[string]any{{"kind": "sale.new", "email": false}}}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("preferences: %d %s", res.StatusCode, res.Body)
		}
		g := buyAndPay(t, app)
		jobstest.Drain(t, app.Server.Jobs())
		waitSubject(t, mp, "shopper@example.com", g.Code+" đã được thanh toán") // e-mail works: the shopper's arrived
		jobstest.Drain(t, app.Server.Jobs())
		if ms := withSubject(mp.To("producer@example.com"), g.Orders[0].Code); len(ms) != 0 {
			t.Errorf("the producer got %d e-mails about %s with e-mail off", len(ms), g.Orders[0].Code)
		}
		inbox := app.API(webtest.Req{Method: "GET", Path: "/api/v1/notifications", Token: app.TokenOf("producer@example.com")})
		if inbox.StatusCode != http.StatusOK || !contains(inbox.Body, `"kind":"sale.new"`) || !contains(inbox.Body, g.Orders[0].Code) {
			t.Errorf("the sale is not in the producer's inbox: %d %s", inbox.StatusCode, inbox.Body)
		}
	}, withMail(mp))
}

// With the SMTP server down, messages wait; when it is back (same port)
// each arrives once.
func TestSMTPOutageDeliversOnceAfterwards(t *testing.T) {
	mp := mailpittest.Start(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		mp.Stop()
		g := buyAndPay(t, app)
		startJobs(t, app)
		// Wait until every e-mail has failed at least once against the closed port.
		deadline := time.Now().Add(30 * time.Second)
		for {
			var failing, pending int64
			app.DB.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'notify.email' AND attempt >= 1 AND state <> 'completed'").Scan(&failing)
			app.DB.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'notify.email'").Scan(&pending)
			if failing > 0 && failing == pending {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d e-mail jobs failed while the SMTP server was down", failing, pending)
			}
			time.Sleep(20 * time.Millisecond) // polling the queue, not a fixed wait
		}
		mp.Start()
		waitSubject(t, mp, "producer@example.com", g.Orders[0].Code)
		waitSubject(t, mp, "shopper@example.com", g.Code+" đã được thanh toán")
		waitSubject(t, mp, "shopper@example.com", g.Code+" đã được đặt")
		jobstest.Drain(t, app.Server.Jobs())
		for _, c := range []struct{ to, subject string }{
			{"producer@example.com", g.Orders[0].Code}, {"shopper@example.com", g.Code + " đã được thanh toán"}, {"shopper@example.com", g.Code + " đã được đặt"},
		} {
			if n := len(withSubject(mp.To(c.to), c.subject)); n != 1 {
				t.Errorf("%s got %d e-mails with %q after the outage, want 1", c.to, n, c.subject)
			}
		}
	}, withMail(mp))
}

// startJobs starts the app's job engine for the rest of the test (without
// waiting for the queue to empty, as jobstest.Drain does).
func startJobs(t *testing.T, app *webtest.App) {
	t.Helper()
	e := app.Server.Jobs()
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
}
