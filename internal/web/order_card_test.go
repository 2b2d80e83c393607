package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/chocop/ocop/internal/payment/stripe/stripetest"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/web/webtest"
)

const stripeWebhookSecret = "whsec_test_secret"

func withStripe(t *testing.T) webtest.Option {
	base := stripetest.Start(t)
	return func(c *config.Config) {
		c.StripeSecretKey, c.StripeAPIBase, c.StripeWebhookSecret = "sk_test_123", base, stripeWebhookSecret
		c.BankWebhookSecret = bankSecret
	}
}

// stripeEvent posts a webhook event signed by stripe-go's own test helper.
func stripeEvent(t testing.TB, app *webtest.App, id, typ, object string, secret string) *webtest.Response {
	t.Helper()
	payload := fmt.Sprintf(`{"id":%q,"object":"event","api_version":%q,"created":%d,"type":%q,"data":{"object":%s}}`,
		id, stripego.APIVersion, time.Now().Unix(), typ, object)
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: secret})
	return app.API(webtest.Req{Method: "POST", Path: "/webhooks/stripe", Body: payload, Header: map[string]string{"Stripe-Signature": signed.Header}})
}

func sessionCompleted(code string, amount int64, pi string) string {
	return fmt.Sprintf(`{"id":"cs_test_%s","object":"checkout.session","client_reference_id":%q,"amount_total":%d,"currency":"vnd","payment_status":"paid","status":"complete","payment_intent":%q,"metadata":{"group_code":%q}}`,
		code, code, amount, pi, code)
}

// TestCardJourney: checkout opens a Stripe Checkout Session in VND (on
// stripe-mock); only a signed webhook marks the group paid; the second
// event of the same payment changes nothing; a cancel refunds through the
// Stripe API; a refund made at Stripe reverses what is still open.
func TestCardJourney(t *testing.T) {
	opt := withStripe(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		a := sell(t, app, item{producer: producer1Slug, price: 150000, stock: 5, grams: 400})
		b := sell(t, app, item{producer: producer2Slug, price: 90000, stock: 5, grams: 400})
		addToCart(t, app, shopper, a.ID, 1)
		addToCart(t, app, shopper, b.ID, 2)
		g := checkout(t, app, shopper, checkoutBody(app, t, "card"))
		if g.CheckoutURL == "" || g.VietQR != nil || g.Status != "pending" {
			t.Fatalf("card checkout = %+v, want a Stripe checkout_url and no VietQR", g)
		}
		// Coming back from Stripe's page does not pay anything.
		br := app.Browser()
		br.Login("shopper@example.com")
		if res := br.Get("/orders/" + g.Code); res.StatusCode != 200 || getGroup(t, app, shopper, g.Code).Status != "pending" {
			t.Fatal("the browser's return marked the order paid")
		}
		if res := br.Post("/orders/"+g.Code, "/orders/"+g.Code+"/pay", url.Values{}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") == "" {
			t.Fatalf("pay again: %d, want a redirect to the same Stripe session", res.StatusCode)
		}

		if res := stripeEvent(t, app, "evt_forged", "checkout.session.completed", sessionCompleted(g.Code, g.Total, "pi_1"), "whsec_wrong"); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("forged Stripe event: %d, want 400", res.StatusCode)
		}
		if res := stripeEvent(t, app, "evt_paid", "checkout.session.completed", sessionCompleted(g.Code, g.Total, "pi_1"), stripeWebhookSecret); res.StatusCode != 200 || !contains(res.Body, `"paid"`) {
			t.Fatalf("session completed: %d %s", res.StatusCode, res.Body)
		}
		if res := stripeEvent(t, app, "evt_paid", "checkout.session.completed", sessionCompleted(g.Code, g.Total, "pi_1"), stripeWebhookSecret); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("replayed Stripe event: %d, want 400", res.StatusCode)
		}
		pi := fmt.Sprintf(`{"id":"pi_1","object":"payment_intent","amount":%d,"amount_received":%d,"currency":"vnd","status":"succeeded","transfer_group":%q,"metadata":{"group_code":%q}}`, g.Total, g.Total, g.Code, g.Code)
		if res := stripeEvent(t, app, "evt_pi", "payment_intent.succeeded", pi, stripeWebhookSecret); res.StatusCode != 200 || !contains(res.Body, `"already_paid"`) {
			t.Fatalf("payment_intent.succeeded after the session: %d %s", res.StatusCode, res.Body)
		}
		if n := assertBalanced(t, app, g.Code); n != 5 {
			t.Fatalf("%d entries after the card payment, want 5 (written once)", n)
		}

		// Cancel: refunded through Stripe (stripe-mock accepts it: no refund_failed issue).
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/orders/" + g.Code + "/cancel", Token: shopper}); res.StatusCode != 200 {
			t.Fatalf("cancel: %d %s", res.StatusCode, res.Body)
		}
		if issues(t, app, "refund_failed") != 0 || issues(t, app, "refund_due") != 0 {
			t.Fatal("a card refund should go through Stripe, not to an admin")
		}
		charge := `{"id":"ch_1","object":"charge","amount":1,"amount_refunded":1,"currency":"vnd","refunded":true,"payment_intent":"pi_1"}`
		if res := stripeEvent(t, app, "evt_refunded", "charge.refunded", charge, stripeWebhookSecret); res.StatusCode != 200 {
			t.Fatalf("charge.refunded: %d %s", res.StatusCode, res.Body)
		}
		if n := assertBalanced(t, app, g.Code); n != 5+6 {
			t.Fatalf("%d entries after refund and its webhook, want 11 (reversed once)", n)
		}

		// A refund made in the Stripe dashboard reverses a paid group here.
		addToCart(t, app, shopper, a.ID, 1)
		g2 := checkout(t, app, shopper, checkoutBody(app, t, "card"))
		stripeEvent(t, app, "evt_paid2", "checkout.session.completed", sessionCompleted(g2.Code, g2.Total, "pi_2"), stripeWebhookSecret)
		charge2 := `{"id":"ch_2","object":"charge","amount":1,"amount_refunded":1,"currency":"vnd","refunded":true,"payment_intent":"pi_2"}`
		if res := stripeEvent(t, app, "evt_refunded2", "charge.refunded", charge2, stripeWebhookSecret); res.StatusCode != 200 || !contains(res.Body, `"refunded"`) {
			t.Fatalf("dashboard refund: %d %s", res.StatusCode, res.Body)
		}
		if getGroup(t, app, shopper, g2.Code).Orders[0].Status != "refunded" || stockOf(t, app, a.ID) != 5 {
			t.Fatal("a refund at Stripe should refund the order and give its stock back")
		}
		assertBalanced(t, app, g2.Code)

		// A session paid with the wrong amount is an issue, not a payment.
		addToCart(t, app, shopper, b.ID, 1)
		g3 := checkout(t, app, shopper, checkoutBody(app, t, "card"))
		if res := stripeEvent(t, app, "evt_wrong", "checkout.session.completed", sessionCompleted(g3.Code, g3.Total-1, "pi_3"), stripeWebhookSecret); !contains(res.Body, `"issue"`) {
			t.Fatalf("wrong amount: %s", res.Body)
		}
		if getGroup(t, app, shopper, g3.Code).Status != "pending" {
			t.Fatal("a wrong amount marked the group paid")
		}
	}, opt)
}
