package order

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
)

// What one account may hold without paying. A checkout reserves stock
// until it is paid or expires (OCOP_PAYMENT_TTL), so without a bound one
// fresh account could take every unit of a product for half an hour with
// one unpaid checkout. The bounds are generous for a real shopper (a Tết
// gift order of ten boxes, a few orders waiting for a transfer) and small
// against a hoarder. Paid orders do not count: they are sales.
const (
	// MaxUnitsPerVariant is how many units of one variant an account may
	// hold in unpaid orders, this checkout included (so also per cart line).
	MaxUnitsPerVariant = 10
	// MaxUnpaidUnits is how many units in all an account may hold unpaid.
	MaxUnpaidUnits = 50
	// MaxUnpaidGroups is how many unpaid checkouts an account may have at once.
	MaxUnpaidGroups = 3
)

// ErrUnpaidGroups refuses a checkout while the account has MaxUnpaidGroups waiting for payment.
var ErrUnpaidGroups = &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.unpaid_limit", Data: map[string]any{"Max": MaxUnpaidGroups}}

// checkHold refuses (409) a checkout of lines that would take the user
// past what one account may hold unpaid. Groups past their expiry time
// do not count: the sweep is about to release them. It runs inside the
// checkout's transaction, after the user's cart row is locked, so two
// checkouts of one account cannot both pass it.
func checkHold(ctx context.Context, tx *gorm.DB, userID int64, lines []Line, now time.Time) error {
	var groups int64
	if err := tx.WithContext(ctx).Model(&Group{}).Where("user_id = ? AND status = ? AND expires_at > ?", userID, GroupPending, now).
		Count(&groups).Error; err != nil {
		return err
	}
	if groups >= MaxUnpaidGroups {
		return ErrUnpaidGroups
	}
	var held []struct {
		VariantID int64
		Quantity  int64
	}
	if err := tx.WithContext(ctx).Raw(`SELECT oi.variant_id, SUM(oi.quantity) AS quantity
		FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN order_groups g ON g.id = o.group_id
		WHERE g.user_id = ? AND g.status = ? AND g.expires_at > ? GROUP BY oi.variant_id`, userID, GroupPending, now).
		Scan(&held).Error; err != nil {
		return err
	}
	byVariant := map[int64]int64{}
	var total int64
	for _, h := range held {
		byVariant[h.VariantID] = h.Quantity
		total += h.Quantity
	}
	for _, l := range lines {
		total += l.Quantity
		if byVariant[l.VariantID]+l.Quantity > MaxUnitsPerVariant {
			return &errs.Reasoned{Err: fmt.Errorf("variant %d: %w", l.VariantID, errs.ErrConflict), Reason: "checkout.variant_limit",
				Data: map[string]any{"Max": MaxUnitsPerVariant, "Product": l.ProductName + " · " + l.VariantName, "Held": byVariant[l.VariantID]}}
		}
	}
	if total > MaxUnpaidUnits {
		return &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.units_limit", Data: map[string]any{"Max": MaxUnpaidUnits}}
	}
	return nil
}

// heldUnpaid says how many units of a variant unpaid orders other than
// group except hold, and when the first of them come back if still unpaid
// (the zero time when none is held).
func heldUnpaid(ctx context.Context, tx *gorm.DB, variantID, except int64) (int64, time.Time, error) {
	const from = `FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN order_groups g ON g.id = o.group_id
		WHERE oi.variant_id = ? AND g.status = ? AND o.stock_released = ? AND g.id <> ?`
	var units int64
	if err := tx.WithContext(ctx).Raw("SELECT COALESCE(SUM(oi.quantity), 0) "+from, variantID, GroupPending, false, except).Scan(&units).Error; err != nil {
		return 0, time.Time{}, err
	}
	if units == 0 {
		return 0, time.Time{}, nil
	}
	var first []Group // the column itself, so both drivers read it as a time
	if err := tx.WithContext(ctx).Raw("SELECT g.expires_at "+from+" ORDER BY g.expires_at LIMIT 1", variantID, GroupPending, false, except).
		Scan(&first).Error; err != nil || len(first) == 0 {
		return units, time.Time{}, err
	}
	return units, first[0].ExpiresAt, nil
}

// shortOfStock is the 409 of a variant that does not have enough stock.
// When unpaid orders (other than the checkout's own group, 0 for none)
// hold some of it, the message says how many and from when they come back
// if unpaid (Vietnam time), so the shopper knows to try again; the code
// stays that of the plain refusal, for clients.
func shortOfStock(ctx context.Context, tx *gorm.DB, variantID, group int64, reason, code string) error {
	base := fmt.Errorf("variant %d: %w", variantID, errs.ErrConflict)
	units, until, err := heldUnpaid(ctx, tx, variantID, group)
	if err != nil {
		return err
	}
	if units == 0 {
		return &errs.Reasoned{Err: base, Reason: reason, Code: code}
	}
	return &errs.Reasoned{Err: base, Reason: reason + "_held", Code: code,
		Data: map[string]any{"Held": units, "Until": until.In(day.Zone).Format("15:04")}}
}
