package web_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/notify/mailpittest"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestPerfWebhookToEmail measures the time from a paid bank notification
// to the producer's e-mail in Mailpit, with 1,000 e-mail jobs (admins'
// alerts, a lower priority) queued each time, at the engine's production poll interval (1 s). Figures
// in docs/performance.md ("Notifications").
func TestPerfWebhookToEmail(t *testing.T) {
	if os.Getenv("OCOP_PERF") != "1" {
		t.Skip("set OCOP_PERF=1 to measure")
	}
	samples := 10
	if v, err := strconv.Atoi(os.Getenv("OCOP_PERF_SAMPLES")); err == nil && v > 0 {
		samples = v
	}
	mp := mailpittest.Start(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		admin := userID(t, app, "admin@example.com")
		startJobs(t, app)
		var took []time.Duration
		for i := range samples {
			queueMails(t, app, admin, i, 1000)
			v := sell(t, app, item{producer: producer1Slug, price: 50_000, stock: 10, grams: 500})
			tok := app.TokenOf("shopper@example.com")
			addToCart(t, app, tok, v.ID, 1)
			g := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
			start := time.Now()
			payByBank(t, app, g)
			waitSubjectFor(t, mp, "producer@example.com", g.Orders[0].Code, 10*time.Minute)
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		p99 := took[min(len(took)-1, len(took)*99/100)]
		t.Logf("webhook → producer's e-mail in Mailpit, 1,000 queued, %d samples: median %s, p99 %s, min %s, max %s",
			len(took), took[len(took)/2].Round(time.Millisecond), p99.Round(time.Millisecond), took[0].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
		// The backlog (1,000 queued per sample) is left to the engine, which
		// the test's cleanup stops: sending it all would outlast Drain's limit
		// and measure nothing.
	}, withMail(mp), func(c *config.Config) { c.JobPollInterval = 0 }) // the production default
}

// queueMails queues n e-mails to the admin (payment-issue messages) in one
// transaction, ahead of what the test measures.
func queueMails(t *testing.T, app *webtest.App, admin int64, round, n int) {
	t.Helper()
	err := db.Tx(context.Background(), app.DB, func(tx *gorm.DB) error {
		for i := range n {
			ev := notify.Event{Kind: notify.PaymentIssue, Key: fmt.Sprintf("perf:%d:%d", round, i), To: notify.Audience{Users: []int64{admin}},
				Fields: []notify.Field{notify.F("issue", "underpaid"), notify.F("amount", "1 ₫")}, Link: "/admin/payments"}
			if err := app.Server.Notifier().Emit(context.Background(), tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
