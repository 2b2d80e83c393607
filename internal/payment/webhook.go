package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Bank notifications. The bank (or its gateway) POSTs to /webhooks/bank:
//
//	X-OCOP-Timestamp: <unix seconds>
//	X-OCOP-Signature: sha256=<hex HMAC-SHA256(OCOP_BANK_WEBHOOK_SECRET, timestamp + "." + raw body)>
//
//	{"id": "bank transaction id", "amount": 150000, "content": "OCOP DHABCD2345 ...", "account": "collection account"}
//
// The account must be the collection account (OCOP_COLLECTION_ACCOUNT): a
// transfer to any other account is recorded as a foreign_account issue
// and pays nothing.
//
// A timestamp more than BankTolerance away from now is stale and refused,
// so a captured request cannot be replayed later; within the window the
// transaction id is recorded once.
const BankTolerance = 5 * time.Minute

// BankNotification is the body of a bank notification.
type BankNotification struct {
	ID      string `json:"id"`
	Amount  int64  `json:"amount"`
	Content string `json:"content"`
	Account string `json:"account"`
}

// SignBank returns the signature header value for body at ts: what a bank
// gateway (and the tests) send.
func SignBank(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10) + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is a forged, unsigned or stale webhook: 400, nothing done.
var ErrBadSignature = &errs.Reasoned{Err: errs.Invalid("signature", "webhook.bad_signature"), Reason: "webhook.bad_signature"}

var groupCodeRe = regexp.MustCompile(`DH[A-HJ-NP-Z2-9]{8}`)

// BankWebhook verifies and applies a bank notification.
func (s *Service) BankWebhook(ctx context.Context, body []byte, timestamp, signature string) (string, error) {
	if len(s.bankSecret) == 0 {
		return "", ErrBadSignature // security: with no secret nothing can be trusted
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return "", ErrBadSignature
	}
	if d := s.now().Sub(time.Unix(ts, 0)); d > BankTolerance || d < -BankTolerance {
		return "", ErrBadSignature
	}
	want := SignBank(string(s.bankSecret), ts, body)
	if !hmac.Equal([]byte(want), []byte(signature)) { // security: constant-time compare
		return "", ErrBadSignature
	}
	var n BankNotification
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil || n.ID == "" || n.Amount <= 0 {
		return "", errs.Invalid("body", "webhook.bad_body")
	}
	code := groupCodeRe.FindString(strings.ToUpper(n.Content))
	in := Incoming{Provider: "bank", Code: code, Amount: n.Amount, Ref: "bank:" + n.ID}
	return s.record(ctx, "bank", n.ID, "transfer", func(tx *gorm.DB) (string, error) {
		if acct := strings.TrimSpace(n.Account); acct != s.collection.Account {
			// security: money sent to another account never pays a group,
			// whatever its content says; an admin sees it.
			return OutcomeIssue, s.newIssue(ctx, tx, in, IssueForeignAccount,
				fmt.Sprintf("transfer to account %q, not the collection account", acct))
		}
		return s.apply(ctx, tx, in)
	})
}

// StripeWebhook verifies the signature on the raw body and handles the
// events that matter. It is the only path that marks a card payment paid.
func (s *Service) StripeWebhook(ctx context.Context, body []byte, signature string) (string, error) {
	if s.stripe == nil {
		return "", ErrBadSignature
	}
	ev, err := s.stripe.Verify(body, signature)
	if err != nil {
		return "", ErrBadSignature
	}
	return s.record(ctx, "stripe", ev.ID, string(ev.Type), func(tx *gorm.DB) (string, error) {
		switch ev.Type {
		case "checkout.session.completed":
			var cs stripego.CheckoutSession
			if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
				return "", errs.Invalid("data", "webhook.bad_body")
			}
			if cs.PaymentStatus != stripego.CheckoutSessionPaymentStatusPaid {
				return OutcomeIgnored, nil
			}
			ref := ""
			if cs.PaymentIntent != nil {
				ref = cs.PaymentIntent.ID
			}
			code := cs.ClientReferenceID
			if code == "" {
				code = cs.Metadata["group_code"]
			}
			return s.apply(ctx, tx, Incoming{Provider: "stripe", Code: code, Amount: cs.AmountTotal, Ref: ref})
		case "payment_intent.succeeded":
			var pi stripego.PaymentIntent
			if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
				return "", errs.Invalid("data", "webhook.bad_body")
			}
			return s.apply(ctx, tx, Incoming{Provider: "stripe", Code: pi.Metadata["group_code"], Amount: pi.AmountReceived, Ref: pi.ID})
		case "charge.refunded":
			var ch stripego.Charge
			if err := json.Unmarshal(ev.Data.Raw, &ch); err != nil || ch.PaymentIntent == nil {
				return "", errs.Invalid("data", "webhook.bad_body")
			}
			if !ch.Refunded {
				return OutcomeIgnored, nil // a partial refund: ours, already in the ledger
			}
			return s.refundedAtStripe(ctx, tx, ch.PaymentIntent.ID)
		}
		return OutcomeIgnored, nil
	})
}

// refundedAtStripe handles a refund made at Stripe: orders refunded here
// already have their reversal; any order still open (a refund made in the
// Stripe dashboard) is refunded and reversed now.
func (s *Service) refundedAtStripe(ctx context.Context, tx *gorm.DB, paymentIntent string) (string, error) {
	code, err := order.GroupCodeOfPaymentTx(ctx, tx, paymentIntent)
	if err != nil {
		return "", err
	}
	if code == "" {
		return OutcomeIgnored, nil
	}
	g, err := order.GroupByCodeTx(ctx, tx, code)
	if err != nil {
		return "", err
	}
	refunded, err := s.orders.RefundGroupTx(ctx, tx, &g, "refunded at Stripe")
	if err != nil {
		return "", err
	}
	for _, o := range refunded {
		if err := postRefund(ctx, tx, o); err != nil {
			return "", err
		}
		if err := s.emit(ctx, tx, order.RefundedEvents(g, o, false)...); err != nil {
			return "", err
		}
	}
	return "refunded", nil
}
