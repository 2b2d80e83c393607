package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/db"
)

// CancelGroup cancels a shopper's group before it ships. A paid group's
// orders are refunded: reversing ledger entries and the obligation to send
// the money back, in one transaction; the provider is called after commit.
func (s *Service) CancelGroup(ctx context.Context, userID int64, code string) (order.Group, error) {
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		g, refunded, err := s.orders.CancelGroupTx(ctx, tx, code, userID)
		if err != nil {
			return err
		}
		if len(refunded) == 0 { // an unpaid group: cancelled, nothing to give back
			return s.emit(ctx, tx, order.CancelledEvent(g))
		}
		for _, o := range refunded {
			if err := s.refund(ctx, tx, g, o); err != nil {
				return err
			}
			if err := s.emit(ctx, tx, order.RefundedEvents(g, o, true)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return order.Group{}, err
	}
	return s.orders.GroupByCode(ctx, code, userID)
}

// ProducerCancel cancels a producer's own paid order with a reason: stock
// back, ledger reversed, buyer's refund owed, in one transaction.
func (s *Service) ProducerCancel(ctx context.Context, producerID, actorID int64, code, reason string) (order.Order, error) {
	var o order.Order
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if o, err = s.orders.ProducerCancelTx(ctx, tx, producerID, actorID, code, reason); err != nil {
			return err
		}
		g, err := order.GroupByIDTx(ctx, tx, o.GroupID)
		if err != nil {
			return err
		}
		if err := s.refund(ctx, tx, g, o); err != nil {
			return err
		}
		return s.emit(ctx, tx, order.RefundedEvents(g, o, false)...)
	})
	return o, err
}

// refund writes, inside the caller's transaction, the reversing entries of
// a refunded order and the obligation to return the money: a Stripe refund
// call for a card payment (made after commit by its job, CallWorker), or a
// refund_due issue for an admin to transfer a VietQR payment back (or a
// card payment when Stripe is not configured). If either cannot be
// written, the whole cancellation rolls back: money is never reversed in
// the ledger without someone or something owing the buyer.
func (s *Service) refund(ctx context.Context, tx *gorm.DB, g order.Group, o order.Order) error {
	if err := postRefund(ctx, tx, o); err != nil {
		return err
	}
	if g.PaymentMethod == order.MethodCard && s.stripe != nil && g.PaymentRef != "" {
		return s.enqueueCall(ctx, tx, CallStripeRefund, stripeRefundKey(o.Code), g.Code,
			stripeRefund{PaymentIntent: g.PaymentRef, OrderCode: o.Code, Amount: o.Total})
	}
	return s.addIssue(ctx, tx, &Issue{Provider: g.PaymentMethod, Kind: IssueRefundDue, GroupCode: g.Code, Amount: o.Total,
		Reference: o.Code, Detail: "transfer back to the buyer", CreatedAt: time.Now().UTC()})
}

// stripeRefund is the payload of a CallStripeRefund.
type stripeRefund struct {
	PaymentIntent string `json:"payment_intent"`
	OrderCode     string `json:"order_code"`
	Amount        int64  `json:"amount"`
}

// stripeRefundKey is the idempotency key of an order's refund: derived
// from the order alone, so every attempt sends the same one.
func stripeRefundKey(orderCode string) string { return "refund-" + orderCode }

// callStripeRefund makes one attempt at a card refund. Stripe's answers
// that no retry can change (a 4xx other than a rate limit or a concurrent
// use of the key) give the call up; anything else is retried.
func (s *Service) callStripeRefund(ctx context.Context, call ProviderCall) (string, error) {
	var p stripeRefund
	if err := jsonUnmarshal(call.Payload, &p); err != nil {
		return "", permanentError{err}
	}
	if s.stripe == nil {
		return "", errors.New("no Stripe client: OCOP_STRIPE_SECRET_KEY is not set")
	}
	id, err := s.stripe.Refund(ctx, p.PaymentIntent, p.OrderCode, p.Amount, call.IdempotencyKey)
	var se *stripego.Error
	if errors.As(err, &se) && se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 &&
		se.HTTPStatusCode != http.StatusTooManyRequests && se.HTTPStatusCode != http.StatusConflict {
		return "", permanentError{err}
	}
	return id, err
}

// gaveUpStripeRefund leaves a refund Stripe would not make to an admin.
func gaveUpStripeRefund(ctx context.Context, tx *gorm.DB, call ProviderCall, cause string) error {
	var p stripeRefund
	if err := jsonUnmarshal(call.Payload, &p); err != nil {
		return err
	}
	return tx.WithContext(ctx).Create(&Issue{Provider: order.MethodCard, Kind: IssueRefundFailed, GroupCode: call.GroupCode, Amount: p.Amount,
		Reference: p.OrderCode, Detail: fmt.Sprintf("Stripe did not refund after %d attempts (%s); refund by hand", call.Attempts, cause),
		CreatedAt: time.Now().UTC()}).Error
}
