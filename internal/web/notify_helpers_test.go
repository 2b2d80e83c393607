package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/notify/mailpittest"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// withMail points the app's e-mail at mp and makes its job engine poll
// fast, for tests that read what arrived.
func withMail(mp *mailpittest.Server) webtest.Option {
	return func(c *config.Config) {
		c.SMTPURL, c.MailFrom = mp.SMTPURL(), "Chợ OCOP <no-reply@cho-ocop.example>"
		c.JobPollInterval = jobstest.PollInterval
		c.BankWebhookSecret = bankSecret
	}
}

// withSubject keeps the messages whose subject holds s.
func withSubject(ms []mailpittest.Message, s string) []mailpittest.Message {
	var out []mailpittest.Message
	for _, m := range ms {
		if strings.Contains(m.Subject, s) {
			out = append(out, m)
		}
	}
	return out
}

// waitSubject waits until a message to address whose subject holds s
// arrived, and returns the matching ones.
func waitSubject(t *testing.T, mp *mailpittest.Server, address, s string) []mailpittest.Message {
	t.Helper()
	return waitSubjectFor(t, mp, address, s, 30*time.Second)
}

// waitSubjectFor is waitSubject with its own time limit.
func waitSubjectFor(t *testing.T, mp *mailpittest.Server, address, s string, limit time.Duration) []mailpittest.Message {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		if ms := withSubject(mp.To(address), s); len(ms) > 0 {
			return ms
		}
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail to %s with %q in its subject after %s; have %d messages", address, s, limit, len(mp.Messages()))
		}
		time.Sleep(20 * time.Millisecond) // polling the mailbox, not a fixed wait
	}
}

// buyAndPay has the shopper buy one item of producer1 by VietQR and the
// bank pay it; it returns the group.
func buyAndPay(t *testing.T, app *webtest.App) group {
	t.Helper()
	v := sell(t, app, item{producer: producer1Slug, price: 150_000, stock: 10, grams: 500})
	tok := app.TokenOf("shopper@example.com")
	addToCart(t, app, tok, v.ID, 1)
	g := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
	payByBank(t, app, g)
	return g
}
