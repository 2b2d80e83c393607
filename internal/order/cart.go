package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Owner says whose cart: a signed-in user, or a guest by cookie token.
type Owner struct {
	UserID int64
	Token  string // guest cookie token (only its hash is stored)
}

func (o Owner) valid() bool { return o.UserID != 0 || o.Token != "" }

// cart finds the owner's cart, creating it when create is set. Without a
// cart and without create it returns a zero Cart (ID 0).
func (s *Service) cart(ctx context.Context, tx *gorm.DB, o Owner, create bool) (Cart, error) {
	var c Cart
	if !o.valid() {
		return c, errs.ErrUnauthorized
	}
	q := tx.WithContext(ctx)
	if o.UserID != 0 {
		q = q.Where("user_id = ?", o.UserID)
	} else {
		q = q.Where("token_hash = ?", account.HashToken(o.Token))
	}
	err := q.Take(&c).Error
	if err == nil || !db.IsNotFound(err) || !create {
		if db.IsNotFound(err) {
			err = nil
		}
		return c, err
	}
	now := time.Now().UTC()
	c = Cart{CreatedAt: now, UpdatedAt: now}
	if o.UserID != 0 {
		c.UserID = &o.UserID
	} else {
		h := account.HashToken(o.Token)
		c.TokenHash = &h
	}
	if err := tx.WithContext(ctx).Create(&c).Error; err != nil {
		if db.IsDuplicate(err) { // a concurrent request made it first
			return s.cart(ctx, tx, o, false)
		}
		return c, err
	}
	return c, nil
}

// sellable loads a variant that may be put in a cart (catalog's Sellable:
// its product is published and its producer approved). Anything else is
// errs.ErrNotFound, as a hidden listing must not be distinguishable from a
// missing one.
func (s *Service) sellable(ctx context.Context, tx *gorm.DB, variantID int64) (catalog.Variant, error) {
	v, err := s.catalog.Sellable(ctx, tx, variantID)
	if errors.Is(err, errs.ErrNotFound) {
		return v, &errs.Reasoned{Err: fmt.Errorf("variant %d: %w", variantID, errs.ErrNotFound), Reason: "cart.unavailable_reason", Code: "cart.unavailable"}
	}
	return v, err
}

// errLineLimit refuses a cart line above what one account may hold unpaid
// of one variant (checkout enforces it again, counting unpaid orders).
var errLineLimit = &errs.Reasoned{Err: errs.ErrConflict, Reason: "cart.line_limit", Data: map[string]any{"Max": MaxUnitsPerVariant}}

// Add puts quantity more of a variant in the owner's cart. The quantity in
// the cart may not exceed the stock nor MaxUnitsPerVariant.
func (s *Service) Add(ctx context.Context, o Owner, variantID, quantity int64) error {
	if quantity <= 0 {
		return errs.Invalid("quantity", "validation.min")
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		v, err := s.sellable(ctx, tx, variantID)
		if err != nil {
			return err
		}
		c, err := s.cart(ctx, tx, o, true)
		if err != nil {
			return err
		}
		var it CartItem
		err = tx.Where("cart_id = ? AND variant_id = ?", c.ID, v.ID).Take(&it).Error
		if err != nil && !db.IsNotFound(err) {
			return err
		}
		if it.Quantity+quantity > MaxUnitsPerVariant {
			return errLineLimit
		}
		if it.Quantity+quantity > v.Stock {
			return shortOfStock(ctx, tx, v.ID, 0, "cart.not_enough_stock", "cart.not_enough_stock")
		}
		if it.ID == 0 {
			it = CartItem{CartID: c.ID, VariantID: v.ID, Quantity: quantity, UnitPrice: v.Price, CreatedAt: time.Now().UTC()}
			return tx.Create(&it).Error
		}
		return tx.Model(&it).Updates(map[string]any{"quantity": it.Quantity + quantity, "unit_price": v.Price}).Error
	})
}

// SetQuantity changes a line's quantity; zero removes it.
func (s *Service) SetQuantity(ctx context.Context, o Owner, variantID, quantity int64) error {
	if quantity < 0 {
		return errs.Invalid("quantity", "validation.min")
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		c, err := s.cart(ctx, tx, o, false)
		if err != nil {
			return err
		}
		var it CartItem
		if err := tx.Where("cart_id = ? AND variant_id = ?", c.ID, variantID).Take(&it).Error; err != nil {
			if db.IsNotFound(err) {
				return fmt.Errorf("cart line %d: %w", variantID, errs.ErrNotFound)
			}
			return err
		}
		if quantity == 0 {
			return tx.Delete(&it).Error
		}
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
		// The shopper is looking at the cart: the price they now see is the current one.
		return tx.Model(&it).Updates(map[string]any{"quantity": quantity, "unit_price": v.Price}).Error
	})
}

// Merge moves a guest's cart into the user's at sign-in. Quantities add up
// and are capped at the stock and at MaxUnitsPerVariant; the guest cart is
// then deleted.
func (s *Service) Merge(ctx context.Context, userID int64, guestToken string) error {
	if guestToken == "" {
		return nil
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		guest, err := s.cart(ctx, tx, Owner{Token: guestToken}, false)
		if err != nil || guest.ID == 0 {
			return err
		}
		mine, err := s.cart(ctx, tx, Owner{UserID: userID}, true)
		if err != nil {
			return err
		}
		var items []CartItem
		if err := tx.Where("cart_id = ?", guest.ID).Find(&items).Error; err != nil {
			return err
		}
		for _, gi := range items {
			v, err := s.sellable(ctx, tx, gi.VariantID)
			if errors.Is(err, errs.ErrNotFound) {
				continue // no longer for sale: dropped
			}
			if err != nil {
				return err
			}
			var it CartItem
			err = tx.Where("cart_id = ? AND variant_id = ?", mine.ID, gi.VariantID).Take(&it).Error
			if err != nil && !db.IsNotFound(err) {
				return err
			}
			q := min(it.Quantity+gi.Quantity, v.Stock, MaxUnitsPerVariant)
			if q <= 0 {
				continue
			}
			if it.ID == 0 {
				if err := tx.Create(&CartItem{CartID: mine.ID, VariantID: v.ID, Quantity: q, UnitPrice: v.Price, CreatedAt: time.Now().UTC()}).Error; err != nil {
					return err
				}
			} else if err := tx.Model(&it).Updates(map[string]any{"quantity": q, "unit_price": v.Price}).Error; err != nil {
				return err
			}
		}
		return tx.Delete(&Cart{}, guest.ID).Error // items go with it (ON DELETE CASCADE)
	})
}
