package order

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Put sets the owner's cart line of a variant to exactly quantity, adding
// the line when the cart does not hold it: the product page's "Mua ngay"
// (buy now), which then goes straight to checkout. Setting rather than
// adding makes a second press (or a double click) leave the cart as one
// press did. The limits are Add's: stock and MaxUnitsPerVariant.
func (s *Service) Put(ctx context.Context, o Owner, variantID, quantity int64) error {
	if quantity <= 0 {
		return errs.Invalid("quantity", "validation.min")
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		v, err := s.sellable(ctx, tx, variantID)
		if err != nil {
			return err
		}
		if quantity > MaxUnitsPerVariant {
			return errLineLimit
		}
		if quantity > v.Stock {
			return shortOfStock(ctx, tx, v.ID, 0, "cart.not_enough_stock", "cart.not_enough_stock")
		}
		c, err := s.cart(ctx, tx, o, true)
		if err != nil {
			return err
		}
		var it CartItem
		err = tx.Where("cart_id = ? AND variant_id = ?", c.ID, v.ID).Take(&it).Error
		switch {
		case db.IsNotFound(err):
			it = CartItem{CartID: c.ID, VariantID: v.ID, Quantity: quantity, UnitPrice: v.Price, CreatedAt: time.Now().UTC()}
			if err := tx.Create(&it).Error; err != nil {
				if db.IsDuplicate(err) { // a concurrent press made the line first: set it
					return tx.Model(&CartItem{}).Where("cart_id = ? AND variant_id = ?", c.ID, v.ID).
						Updates(map[string]any{"quantity": quantity, "unit_price": v.Price}).Error
				}
				return err
			}
			return nil
		case err != nil:
			return err
		}
		return tx.Model(&it).Updates(map[string]any{"quantity": quantity, "unit_price": v.Price}).Error
	})
}
