// Package stripe is the platform's narrow use of Stripe: Checkout Sessions
// in VND for an order group, refunds, and webhook verification. Each
// Client carries its own key and API base (stripe-mock in tests); the
// stripe-go package-global key is never set.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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

// Refund returns amount đồng of a payment intent for one order, once.
// key is the idempotency key, derived from the order by the caller, so a
// retried request within Stripe's 24 hours makes no second refund; past
// that window the refund is first looked up by the order code in its
// metadata, so a late retry finds the refund made before instead of
// refunding again.
func (c *Client) Refund(ctx context.Context, paymentIntent, orderCode string, amount int64, key string) (string, error) {
	lp := &stripego.RefundListParams{PaymentIntent: stripego.String(paymentIntent)}
	lp.Context = ctx
	lp.Limit = stripego.Int64(100)
	it := c.api.Refunds.List(lp)
	for it.Next() {
		r := it.Refund()
		if r.Metadata["order_code"] == orderCode && r.Status != stripego.RefundStatusFailed && r.Status != stripego.RefundStatusCanceled {
			return r.ID, nil
		}
	}
	if err := it.Err(); err != nil {
		return "", fmt.Errorf("stripe: refunds of %s: %w", paymentIntent, err)
	}
	p := &stripego.RefundParams{PaymentIntent: stripego.String(paymentIntent), Amount: stripego.Int64(amount)}
	p.Context = ctx
	p.AddMetadata("order_code", orderCode)
	p.SetIdempotencyKey(key)
	r, err := c.api.Refunds.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: refund %s: %w", orderCode, err)
	}
	return r.ID, nil
}

// Event is a verified webhook event.
type Event = stripego.Event

// SignatureTolerance is how far a webhook signature's timestamp may be
// from now, either way. stripe-go checks only the past; a timestamp in the
// future is refused here too, so a signature made ahead of time (a clock
// far off, or a leaked secret) cannot be kept for later.
const SignatureTolerance = 5 * time.Minute

// ErrSignatureTime is a signature whose timestamp is too far from now.
var ErrSignatureTime = errors.New("stripe: signature timestamp outside the tolerance")

// Verify checks the Stripe-Signature header on the raw body, and that its
// timestamp is within SignatureTolerance of now, before or after.
func (c *Client) Verify(body []byte, signature string) (Event, error) {
	ev, err := webhook.ConstructEventWithTolerance(body, signature, c.webhookSecret, SignatureTolerance) // security: the raw body, never a re-encoding
	if err != nil {
		return ev, err
	}
	if d := time.Since(signedAt(signature)); d > SignatureTolerance || d < -SignatureTolerance {
		return Event{}, ErrSignatureTime
	}
	return ev, nil
}

// signedAt reads the t= timestamp of a Stripe-Signature header as
// stripe-go does (the last one wins); the zero time when there is none.
func signedAt(header string) time.Time {
	var at time.Time
	for _, pair := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k != "t" {
			continue
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			at = time.Unix(n, 0)
		}
	}
	return at
}
