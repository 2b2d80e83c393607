package order

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// ShopperLine is one line of a shopper's order as another area sees it
// (the review area, which lets a shopper review a delivered line once).
type ShopperLine struct {
	ItemID      int64
	OrderID     int64
	OrderCode   string
	ProducerID  int64
	VariantID   int64
	ProductName string
	VariantName string
	Status      Status
}

// LineOfShopper finds, in tx, the line of variantID in userID's order
// group code. A checkout makes one line per variant, and a variant is one
// producer's, so the pair names one line. Another shopper's group, or a
// variant the group does not hold, is errs.ErrNotFound.
func LineOfShopper(ctx context.Context, tx *gorm.DB, userID int64, groupCode string, variantID int64) (ShopperLine, error) {
	var l ShopperLine
	err := tx.WithContext(ctx).Model(&Item{}).
		Select("order_items.id AS item_id, o.id AS order_id, o.code AS order_code, o.producer_id, order_items.variant_id, "+
			"order_items.product_name, order_items.variant_name, o.status").
		Joins("JOIN orders o ON o.id = order_items.order_id").
		Joins("JOIN order_groups g ON g.id = o.group_id").
		Where("g.code = ? AND g.user_id = ? AND order_items.variant_id = ?", groupCode, userID, variantID).
		Order("order_items.id").Limit(1).Take(&l).Error
	if db.IsNotFound(err) {
		return l, fmt.Errorf("line of variant %d in %q: %w", variantID, groupCode, errs.ErrNotFound)
	}
	return l, err
}

// soldStatuses are the states of an order whose goods count as sold: paid
// and on their way or delivered (not pending, cancelled, refunded or expired).
var soldStatuses = []Status{StatusPaid, StatusConfirmed, StatusPacked, StatusShipped, StatusDelivered}

// UnitsSold is how many units of the variants (a product's) were sold:
// the quantities of their lines in orders that are paid, being fulfilled
// or delivered. One indexed query (order_items by variant_id).
func (s *Service) UnitsSold(ctx context.Context, variantIDs []int64) (int64, error) {
	if len(variantIDs) == 0 {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&Item{}).Select("COALESCE(SUM(order_items.quantity), 0)").
		Joins("JOIN orders o ON o.id = order_items.order_id").
		Where("order_items.variant_id IN ? AND o.status IN ?", variantIDs, soldStatuses).Scan(&n).Error
	return n, err
}
