package order

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/errs"
)

// transitions lists every legal move of an order. Anything else is a 409.
var transitions = map[Status][]Status{
	StatusPending:   {StatusPaid, StatusCancelled, StatusExpired},
	StatusPaid:      {StatusConfirmed, StatusRefunded},
	StatusConfirmed: {StatusPacked, StatusDelivered, StatusRefunded}, // services go straight to delivered (voucher used)
	StatusPacked:    {StatusShipped, StatusRefunded},
	StatusShipped:   {StatusDelivered},
}

// CanMove reports whether an order may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// move changes an order's status by compare-and-set on from, writes the
// timeline event and returns errs.ErrConflict when the order was not in
// from (another request moved it first) or the move is illegal.
func move(ctx context.Context, tx *gorm.DB, o *Order, to Status, actor *int64, note string, extra map[string]any) error {
	from := o.Status
	if !CanMove(from, to) {
		return &errs.Reasoned{Err: fmt.Errorf("order %s: %s → %s: %w", o.Code, from, to, errs.ErrConflict), Reason: "order.illegal_move"}
	}
	now := time.Now().UTC()
	upd := map[string]any{"status": to, "updated_at": now}
	for k, v := range extra {
		upd[k] = v
	}
	res := tx.WithContext(ctx).Model(&Order{}).Where("id = ? AND status = ?", o.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return &errs.Reasoned{Err: fmt.Errorf("order %s moved by someone else: %w", o.Code, errs.ErrConflict), Reason: "order.illegal_move"}
	}
	o.Status, o.UpdatedAt = to, now
	return tx.WithContext(ctx).Create(&Event{OrderID: o.ID, FromStatus: from, ToStatus: to, ActorID: actor, Note: note, CreatedAt: now}).Error
}

// releaseStock gives the orders' stock back exactly once: each order's flag
// flips by a conditional update, and only the request that flipped it adds
// its stock. Variants are updated in id order, the order checkout locks
// them in, so a release and a checkout cannot deadlock.
func (s *Service) releaseStock(ctx context.Context, tx *gorm.DB, orders ...*Order) error {
	var ids []int64
	for _, o := range orders {
		res := tx.WithContext(ctx).Model(&Order{}).Where("id = ? AND stock_released = ?", o.ID, false).Update("stock_released", true)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			ids = append(ids, o.ID)
			o.StockReleased = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var back []struct {
		VariantID int64
		Quantity  int64
	}
	if err := tx.WithContext(ctx).Model(&Item{}).Select("variant_id, SUM(quantity) AS quantity").
		Where("order_id IN ?", ids).Group("variant_id").Order("variant_id").Scan(&back).Error; err != nil {
		return err
	}
	for _, b := range back {
		if err := s.catalog.Release(ctx, tx, b.VariantID, b.Quantity); err != nil {
			return err
		}
	}
	return nil
}
