package payment

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/db"
)

// CancelGroup cancels a shopper's group before it ships. A paid group's
// orders are refunded: reversing ledger entries in the same transaction,
// then the money goes back through the provider.
func (s *Service) CancelGroup(ctx context.Context, userID int64, code string) (order.Group, error) {
	var (
		g        order.Group
		refunded []order.Order
	)
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if g, refunded, err = order.CancelGroupTx(ctx, tx, code, userID); err != nil {
			return err
		}
		for _, o := range refunded {
			if err := postRefund(ctx, tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return g, err
	}
	s.refundThroughProvider(ctx, g, refunded)
	return s.orders.GroupByCode(ctx, code, userID)
}

// ProducerCancel cancels a producer's own paid order with a reason: stock
// back, ledger reversed, buyer refunded.
func (s *Service) ProducerCancel(ctx context.Context, producerID, actorID int64, code, reason string) (order.Order, error) {
	var (
		o order.Order
		g order.Group
	)
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if o, err = order.ProducerCancelTx(ctx, tx, producerID, actorID, code, reason); err != nil {
			return err
		}
		if err := tx.Take(&g, o.GroupID).Error; err != nil {
			return err
		}
		return postRefund(ctx, tx, o)
	})
	if err != nil {
		return o, err
	}
	s.refundThroughProvider(ctx, g, []order.Order{o})
	return o, nil
}

// refundThroughProvider sends the money back. Card payments are refunded
// through Stripe (idempotent per order); a failure, and every VietQR
// refund (a bank transfer someone must make), is an Issue for an admin.
// The ledger already says the money is owed back either way.
func (s *Service) refundThroughProvider(ctx context.Context, g order.Group, refunded []order.Order) {
	for _, o := range refunded {
		issue := Issue{Provider: g.PaymentMethod, Kind: IssueRefundDue, GroupCode: g.Code, Amount: o.Total, Reference: o.Code,
			Detail: "transfer back to the buyer", CreatedAt: time.Now().UTC()}
		if g.PaymentMethod == order.MethodCard && s.stripe != nil && g.PaymentRef != "" {
			if _, err := s.stripe.Refund(ctx, g.PaymentRef, o.Code, o.Total); err == nil {
				continue
			}
			issue.Kind, issue.Detail = IssueRefundFailed, "Stripe refused the refund; retry by hand"
		}
		// Best effort: the refund is already in the ledger; this row is the admin's to-do.
		_ = s.db.WithContext(ctx).Create(&issue).Error
	}
}
