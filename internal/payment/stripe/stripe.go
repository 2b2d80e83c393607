// Package stripe is the platform's narrow use of Stripe: Checkout Sessions
// in VND for an order group, refunds, and webhook verification. Each
// Client carries its own key and API base (stripe-mock in tests); the
// stripe-go package-global key is never set.
package stripe

import (
	"context"
	"fmt"
	"net/http"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Client talks to Stripe (or stripe-mock) with one key.
type Client struct {
	api           *client.API
	webhookSecret string
}

// New returns a client for key. apiBase "" means Stripe itself.
func New(key, apiBase, webhookSecret string) *Client {
	cfg := &stripego.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 15 * time.Second},
		MaxNetworkRetries: stripego.Int64(2), // safe: every call carries an idempotency key
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelError},
	}
	if apiBase != "" {
		cfg.URL = stripego.String(apiBase)
	}
	backends := &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, cfg),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, cfg),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, cfg),
	}
	return &Client{api: client.New(key, backends), webhookSecret: webhookSecret}
}

// LineItem is one line of a Checkout Session.
type LineItem struct {
	Name     string
	Amount   int64 // whole đồng: VND is zero-decimal in Stripe
	Quantity int64
}

// SessionInput describes the Checkout Session of one order group.
type SessionInput struct {
	GroupCode  string
	Items      []LineItem
	SuccessURL string
	CancelURL  string
	CreatedAt  time.Time // when the group was placed
	ExpiresAt  time.Time // when the group expires
}

// Session is what the shopper is sent to.
type Session struct {
	ID  string
	URL string
}

// CreateSession makes a Checkout Session in VND. The idempotency key is
// the group code, so a retried request never makes a second session, and
// the payment's transfer_group is the group code too.
func (c *Client) CreateSession(ctx context.Context, in SessionInput) (Session, error) {
	p := &stripego.CheckoutSessionParams{
		Mode:              stripego.String(string(stripego.CheckoutSessionModePayment)),
		SuccessURL:        stripego.String(in.SuccessURL),
		CancelURL:         stripego.String(in.CancelURL),
		ClientReferenceID: stripego.String(in.GroupCode),
		PaymentIntentData: &stripego.CheckoutSessionPaymentIntentDataParams{
			TransferGroup: stripego.String(in.GroupCode),
			Metadata:      map[string]string{"group_code": in.GroupCode},
		},
		Metadata: map[string]string{"group_code": in.GroupCode},
	}
	if !in.ExpiresAt.IsZero() {
		// Close the session with the order group, so a late payment is rare
		// (it is still recorded for refund). Stripe needs at least 30 minutes.
		// Derived from the group only, so a repeated call sends the same
		// parameters under the same idempotency key.
		exp := in.ExpiresAt
		if floor := in.CreatedAt.Add(31 * time.Minute); exp.Before(floor) {
			exp = floor
		}
		p.ExpiresAt = stripego.Int64(exp.Unix())
	}
	for _, it := range in.Items {
		p.LineItems = append(p.LineItems, &stripego.CheckoutSessionLineItemParams{
			Quantity: stripego.Int64(it.Quantity),
			PriceData: &stripego.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripego.String(string(stripego.CurrencyVND)),
				UnitAmount:  stripego.Int64(it.Amount),
				ProductData: &stripego.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripego.String(it.Name)},
			},
		})
	}
	p.Context = ctx
	p.SetIdempotencyKey("checkout-session-" + in.GroupCode)
	s, err := c.api.CheckoutSessions.New(p)
	if err != nil {
		return Session{}, fmt.Errorf("stripe: checkout session for %s: %w", in.GroupCode, err)
	}
	return Session{ID: s.ID, URL: s.URL}, nil
}

// Refund returns amount đồng of a payment intent. The idempotency key
// names the order, so a retried refund is made once.
func (c *Client) Refund(ctx context.Context, paymentIntent, orderCode string, amount int64) (string, error) {
	p := &stripego.RefundParams{PaymentIntent: stripego.String(paymentIntent), Amount: stripego.Int64(amount)}
	p.Context = ctx
	p.AddMetadata("order_code", orderCode)
	p.SetIdempotencyKey("refund-" + orderCode)
	r, err := c.api.Refunds.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: refund %s: %w", orderCode, err)
	}
	return r.ID, nil
}

// Event is a verified webhook event.
type Event = stripego.Event

// Verify checks the Stripe-Signature header on the raw body (and its
// timestamp, within stripe-go's default tolerance of five minutes).
func (c *Client) Verify(body []byte, signature string) (Event, error) {
	return webhook.ConstructEvent(body, signature, c.webhookSecret) // security: the raw body, never a re-encoding
}
