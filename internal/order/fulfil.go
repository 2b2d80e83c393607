package order

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Fulfilment actions a producer takes on an order.
const (
	ActionConfirm = "confirm"
	ActionPack    = "pack"
	ActionShip    = "ship"
	ActionDeliver = "deliver"
)

// Shipment is what a producer says when handing the parcel to a carrier.
type Shipment struct {
	Carrier      string
	TrackingCode string
}

// Advance moves a producer's own order one step: confirm, pack, ship (with
// carrier and tracking code) or deliver. A service order (voucher) skips
// packing and shipping. Another producer's order is errs.ErrNotFound; a
// move from the wrong state is errs.ErrConflict.
func (s *Service) Advance(ctx context.Context, producerID, actorID int64, code, action string, sh Shipment) (Order, error) {
	var o Order
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Where("code = ? AND producer_id = ?", code, producerID).Take(&o).Error; err != nil {
			if db.IsNotFound(err) {
				return fmt.Errorf("order %q: %w", code, errs.ErrNotFound)
			}
			return err
		}
		var (
			to    Status
			extra map[string]any
			note  string
		)
		switch action {
		case ActionConfirm:
			to = StatusConfirmed
		case ActionPack:
			if o.IsService {
				return &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.service_not_shipped"}
			}
			to = StatusPacked
		case ActionShip:
			if o.IsService {
				return &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.service_not_shipped"}
			}
			if !CanMove(o.Status, StatusShipped) { // the state first: a parcel that cannot ship has no number to check
				return &errs.Reasoned{Err: fmt.Errorf("order %s: %s → shipped: %w", o.Code, o.Status, errs.ErrConflict), Reason: "order.illegal_move"}
			}
			checked, err := checkShipment(sh)
			if err != nil {
				return err
			}
			to, extra, note = StatusShipped, map[string]any{"carrier": checked.Carrier, "tracking_code": checked.TrackingCode}, CarrierName(checked.Carrier)+" "+checked.TrackingCode
		case ActionDeliver:
			if o.Status == StatusConfirmed && !o.IsService {
				return &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.illegal_move"}
			}
			to = StatusDelivered
		default:
			return errs.Invalid("action", "validation.oneof")
		}
		return move(ctx, tx, &o, to, &actorID, note, extra)
	})
	return o, err
}

// CanCancel reports whether the shopper may cancel the group now: while
// unpaid, or paid with at least one order not yet shipped and none shipped
// or delivered. It is the rule CancelGroupTx applies, so a page offers the
// button exactly when pressing it would work.
func (g Group) CanCancel() bool {
	switch g.Status {
	case GroupPending:
		for _, o := range g.Orders {
			if !CanMove(o.Status, StatusCancelled) {
				return false
			}
		}
		return true
	case GroupPaid:
		open := false
		for _, o := range g.Orders {
			switch o.Status {
			case StatusPaid, StatusConfirmed, StatusPacked:
				open = true
			case StatusRefunded:
			default:
				return false
			}
		}
		return open
	}
	return false
}

// CancelGroupTx cancels a shopper's whole group before anything ships. An
// unpaid group is simply cancelled; a paid one has its orders refunded,
// which the caller turns into ledger reversals and provider refunds. Stock
// comes back exactly once either way.
func (s *Service) CancelGroupTx(ctx context.Context, tx *gorm.DB, code string, userID int64) (Group, []Order, error) {
	g, err := groupByCode(ctx, tx, code, userID)
	if err != nil {
		return g, nil, err
	}
	actor := &userID
	switch g.Status {
	case GroupPending:
		res := tx.Model(&Group{}).Where("id = ? AND status = ?", g.ID, GroupPending).
			Updates(map[string]any{"status": GroupCancelled, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return g, nil, res.Error
		}
		if res.RowsAffected == 0 {
			return g, nil, &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.illegal_move"}
		}
		g.Status = GroupCancelled
		var all []*Order
		for i := range g.Orders {
			if err := move(ctx, tx, &g.Orders[i], StatusCancelled, actor, "", nil); err != nil {
				return g, nil, err
			}
			all = append(all, &g.Orders[i])
		}
		return g, nil, s.releaseStock(ctx, tx, all...)
	case GroupPaid:
		var (
			refunded []Order
			moved    []*Order
		)
		for i := range g.Orders {
			o := &g.Orders[i]
			switch o.Status {
			case StatusPaid, StatusConfirmed, StatusPacked:
			case StatusRefunded:
				continue // a producer already cancelled this one
			default:
				return g, nil, &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.already_shipped"}
			}
			if err := move(ctx, tx, o, StatusRefunded, actor, "cancelled by shopper", map[string]any{"cancel_reason": "cancelled by shopper"}); err != nil {
				return g, nil, err
			}
			moved = append(moved, o)
		}
		if len(moved) == 0 {
			return g, nil, &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.illegal_move"}
		}
		if err := s.releaseStock(ctx, tx, moved...); err != nil {
			return g, nil, err
		}
		for _, o := range moved {
			refunded = append(refunded, *o)
		}
		return g, refunded, nil
	}
	return g, nil, &errs.Reasoned{Err: errs.ErrConflict, Reason: "order.illegal_move"}
}

// ProducerCancelTx cancels a producer's own paid order with a reason: the
// stock comes back and the order is refunded (the caller moves the money).
func (s *Service) ProducerCancelTx(ctx context.Context, tx *gorm.DB, producerID, actorID int64, code, reason string) (Order, error) {
	var o Order
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return o, errs.Invalid("reason", "validation.required")
	}
	if err := tx.WithContext(ctx).Where("code = ? AND producer_id = ?", code, producerID).Take(&o).Error; err != nil {
		if db.IsNotFound(err) {
			return o, fmt.Errorf("order %q: %w", code, errs.ErrNotFound)
		}
		return o, err
	}
	if err := move(ctx, tx, &o, StatusRefunded, &actorID, reason, map[string]any{"cancel_reason": reason}); err != nil {
		return o, err
	}
	return o, s.releaseStock(ctx, tx, &o)
}

// RefundGroupTx refunds every refundable order of a paid group, for a refund
// made outside the platform (Stripe dashboard). Stock comes back once.
func (s *Service) RefundGroupTx(ctx context.Context, tx *gorm.DB, g *Group, note string) ([]Order, error) {
	var moved []*Order
	for i := range g.Orders {
		o := &g.Orders[i]
		if !CanMove(o.Status, StatusRefunded) {
			continue
		}
		if err := move(ctx, tx, o, StatusRefunded, nil, note, map[string]any{"cancel_reason": note}); err != nil {
			return nil, err
		}
		moved = append(moved, o)
	}
	if err := s.releaseStock(ctx, tx, moved...); err != nil {
		return nil, err
	}
	out := make([]Order, 0, len(moved))
	for _, o := range moved {
		out = append(out, *o)
	}
	return out, nil
}
