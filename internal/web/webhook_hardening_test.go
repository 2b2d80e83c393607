package web_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/web/webtest"
)

// notifyBankBody posts a bank notification with a body of the test's
// choosing, signed with the test secret now.
func notifyBankBody(app *webtest.App, body string) *webtest.Response {
	unix := time.Now().Unix()
	return app.API(webtest.Req{Method: "POST", Path: "/webhooks/bank", Body: body, Header: map[string]string{
		"X-OCOP-Timestamp": strconv.FormatInt(unix, 10),
		"X-OCOP-Signature": payment.SignBank(bankSecret, unix, []byte(body)),
	}})
}

// TestBankTransferToAnotherAccountPaysNothing: a correctly signed
// notification whose account is not the collection account (or is
// missing) is recorded once as a foreign_account issue for an admin and
// leaves the group unpaid; the same transfer to the collection account pays.
func TestBankTransferToAnotherAccountPaysNothing(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		v := sell(t, app, item{producer: producer1Slug, price: 80000, stock: 5, grams: 200})
		addToCart(t, app, shopper, v.ID, 1)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		collection := app.Config.CollectionAccount
		cases := []struct{ name, account string }{
			{"another account", "0000000000002"},
			{"collection account with a prefix", "9" + collection},
			{"empty account", ""},
		}
		for i, c := range cases {
			body := fmt.Sprintf(`{"id":"TXN-FOREIGN-%d","amount":%d,"content":"OCOP %s","account":%q}`, i, g.Total, g.Code, c.account)
			res := notifyBankBody(app, body)
			if res.StatusCode != http.StatusOK || !contains(res.Body, `"issue"`) {
				t.Fatalf("%s: %d %s, want 200 issue", c.name, res.StatusCode, res.Body)
			}
			if res := notifyBankBody(app, body); res.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s replayed: %d, want 400", c.name, res.StatusCode)
			}
			if st := getGroup(t, app, shopper, g.Code).Status; st != "pending" {
				t.Fatalf("%s: group is %s, want pending", c.name, st)
			}
		}
		if n := issues(t, app, payment.IssueForeignAccount); n != int64(len(cases)) {
			t.Fatalf("%d foreign_account issues, want %d (one per transfer)", n, len(cases))
		}
		if n := assertBalanced(t, app, g.Code); n != 0 {
			t.Fatalf("%d ledger entries after foreign transfers, want 0", n)
		}
		body := fmt.Sprintf(`{"id":"TXN-OURS","amount":%d,"content":"OCOP %s","account":%q}`, g.Total, g.Code, collection)
		if res := notifyBankBody(app, body); !contains(res.Body, `"paid"`) {
			t.Fatalf("transfer to the collection account: %d %s", res.StatusCode, res.Body)
		}
	}, withBankSecret)
}

// TestStripeSignatureTimeWindow: a correctly signed Stripe event is
// refused (400, nothing changes) when its signature's timestamp is more
// than 5 minutes from now, in the past or in the future.
func TestStripeSignatureTimeWindow(t *testing.T) {
	opt := withStripe(t)
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		v := sell(t, app, item{producer: producer1Slug, price: 80000, stock: 5, grams: 200})
		addToCart(t, app, shopper, v.ID, 1)
		g := checkout(t, app, shopper, checkoutBody(app, t, "card"))
		send := func(id string, at time.Time) *webtest.Response {
			payload := fmt.Sprintf(`{"id":%q,"object":"event","api_version":%q,"created":%d,"type":"checkout.session.completed","data":{"object":%s}}`,
				id, stripego.APIVersion, at.Unix(), sessionCompleted(g.Code, g.Total, "pi_window"))
			signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: stripeWebhookSecret, Timestamp: at})
			return app.API(webtest.Req{Method: "POST", Path: "/webhooks/stripe", Body: payload, Header: map[string]string{"Stripe-Signature": signed.Header}})
		}
		for _, c := range []struct {
			name string
			off  time.Duration
		}{{"6 minutes ahead", 6 * time.Minute}, {"10 minutes ahead", 10 * time.Minute}, {"6 minutes late", -6 * time.Minute}, {"a day ahead", 24 * time.Hour}} {
			if res := send("evt_window_"+c.name, time.Now().Add(c.off)); res.StatusCode != http.StatusBadRequest {
				t.Fatalf("signature %s: %d %s, want 400", c.name, res.StatusCode, res.Body)
			}
			if st := getGroup(t, app, shopper, g.Code).Status; st != "pending" {
				t.Fatalf("signature %s paid the group", c.name)
			}
		}
		var n int64
		app.DB.Model(&payment.WebhookEvent{}).Where("provider = 'stripe'").Count(&n)
		if n != 0 {
			t.Fatalf("%d Stripe events recorded from refused signatures, want 0", n)
		}
		if res := send("evt_window_ok", time.Now().Add(4*time.Minute)); !contains(res.Body, `"paid"`) {
			t.Fatalf("signature 4 minutes ahead (a clock slightly off): %d %s, want paid", res.StatusCode, res.Body)
		}
	}, opt)
}
