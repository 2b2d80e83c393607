package order

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Address is where an order goes: a current commune of a province, a street
// line, and a phone already checked as a Vietnamese number by the caller.
type Address struct {
	RecipientName string
	Phone         string
	ProvinceCode  string
	CommuneCode   string
	Street        string
	Note          string
}

// CheckoutInput is everything a checkout needs besides the cart.
type CheckoutInput struct {
	Address
	Method         string // MethodVietQR or MethodCard
	AdultConfirmed bool   // the shopper confirmed being 18 or over
	// ExpectedTotal, when not zero, is the total (shipping included) the
	// shopper was shown: a checkout that would charge anything else is
	// refused with ErrTotalChanged and charges nothing, so the order never
	// costs more than the page said.
	ExpectedTotal int64
	// SaveAddress keeps the address in the shopper's address book, in the
	// checkout's own transaction.
	SaveAddress bool
}

// ErrTotalChanged is returned (as a 409, with the new total in its data)
// when the total to pay is not the one the shopper was shown: the page
// shows the new total and asks again, nothing is charged.
var ErrTotalChanged = &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.total_changed"}

// ErrPriceChanged is returned (as a 409) when a price moved since the
// shopper last saw the cart; the cart now shows the new prices.
var ErrPriceChanged = &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.price_changed"}

// Checkout turns the user's cart into a pending order group in ONE
// transaction: one order per producer with price snapshots, the commission
// rate of the day, and stock reserved by conditional updates. Any variant
// short of stock rolls everything back (409) and leaves the cart as it was;
// so does going past what one account may hold unpaid (hold.go).
func (s *Service) Checkout(ctx context.Context, userID int64, in CheckoutInput) (Group, error) {
	if in.Method != MethodVietQR && in.Method != MethodCard {
		return Group{}, errs.Invalid("payment_method", "validation.oneof")
	}
	var g Group
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		// Lock the buyer's cart row first, before reading anything: two
		// checkouts of one account run one after the other, so they can
		// neither turn the same cart into two orders nor pass the hold
		// limits together. As the first statement it also takes SQLite's
		// write lock before any read snapshot, so a second checkout waits
		// instead of failing.
		now := time.Now().UTC()
		if err := tx.Model(&Cart{}).Where("user_id = ?", userID).Update("updated_at", now).Error; err != nil {
			return err
		}
		addr, err := CheckAddress(ctx, tx, in.Address)
		if err != nil {
			return err
		}
		in.Address = addr
		c, err := s.cart(ctx, tx, Owner{UserID: userID}, false)
		if err != nil {
			return err
		}
		lines, err := s.loadLines(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if c.ID == 0 || len(lines) == 0 {
			return &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.empty_cart"}
		}
		if err := checkHold(ctx, tx, userID, lines, now); err != nil {
			return err
		}
		q, err := s.price(ctx, tx, lines, in.ProvinceCode)
		if err != nil {
			return err
		}
		if q.Unavailable {
			return &errs.Reasoned{Err: errs.ErrConflict, Reason: "checkout.unavailable"}
		}
		if q.PriceChanged {
			return ErrPriceChanged
		}
		if q.AdultOnly && !in.AdultConfirmed {
			return errs.Invalid("adult_confirmed", "checkout.adult_required")
		}
		if in.ExpectedTotal != 0 && in.ExpectedTotal != q.Total {
			return &errs.Reasoned{Err: ErrTotalChanged, Reason: ErrTotalChanged.Reason, Data: map[string]any{"Total": q.Total}}
		}
		if in.SaveAddress {
			if err := rememberAddress(ctx, tx, userID, in.Address); err != nil {
				return err
			}
		}
		bp, err := s.commission.RateBP(ctx, tx)
		if err != nil {
			return err
		}
		g = Group{Code: NewCode("DH", 8), UserID: userID, Status: GroupPending, PaymentMethod: in.Method,
			ItemsTotal: q.ItemsTotal, ShippingTotal: q.ShippingTotal, Total: q.Total,
			RecipientName: in.RecipientName, Phone: in.Phone, ProvinceCode: in.ProvinceCode, CommuneCode: in.CommuneCode,
			Street: in.Street, Note: in.Note, AdultConfirmed: in.AdultConfirmed,
			ExpiresAt: now.Add(s.ttl), CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Orders").Create(&g).Error; err != nil {
			return err
		}
		for i, p := range q.Parts {
			o := Order{Code: g.Code + "-" + strconv.Itoa(i+1), GroupID: g.ID, ProducerID: p.ProducerID, Status: StatusPending,
				ItemsTotal: p.ItemsTotal, Shipping: p.Shipping, Total: p.Total,
				CommissionBP: bp, Commission: p.ItemsTotal * int64(bp) / 10000, // on goods only; shipping passes to the producer
				IsService: allServices(p.Lines), CreatedAt: now, UpdatedAt: now}
			if err := tx.Omit("Items", "Events").Create(&o).Error; err != nil {
				return err
			}
			for _, l := range p.Lines {
				it := Item{OrderID: o.ID, VariantID: l.VariantID, ProductName: l.ProductName, VariantName: l.VariantName,
					SKU: l.SKU, UnitPrice: l.UnitPrice, Quantity: l.Quantity, WeightGrams: l.WeightGrams}
				if err := tx.Create(&it).Error; err != nil {
					return err
				}
				o.Items = append(o.Items, it)
			}
			ev := Event{OrderID: o.ID, FromStatus: "", ToStatus: StatusPending, ActorID: &userID, CreatedAt: now}
			if err := tx.Create(&ev).Error; err != nil {
				return err
			}
			o.Events = []Event{ev}
			g.Orders = append(g.Orders, o)
		}
		var pay []notify.Field
		if s.pay != nil && in.Method == MethodVietQR {
			if pay, err = s.pay(ctx, tx, g); err != nil {
				return err
			}
		}
		if err := s.emit(ctx, tx, PlacedEvent(g, pay)); err != nil {
			return err
		}
		if err := tx.Where("cart_id = ?", c.ID).Delete(&CartItem{}).Error; err != nil {
			return err
		}
		// Last: the variants' rows, which every buyer of a product competes
		// for, stay locked only from here to the commit. The message to the
		// shopper (an inbox row, an e-mail job, the webhooks) is written
		// before, and goes if the reservation fails with everything else.
		return s.reserve(ctx, tx, g.ID, lines)
	})
	if errors.Is(err, ErrPriceChanged) {
		// Outside the rolled-back transaction: the cart now shows the new
		// prices, so the shopper sees them before paying.
		if rerr := db.Tx(ctx, s.db, func(tx *gorm.DB) error { return s.refreshPrices(ctx, tx, userID) }); rerr != nil {
			return g, rerr
		}
	}
	return g, err
}

// refreshPrices sets the user's cart lines to the variants' current prices.
func (s *Service) refreshPrices(ctx context.Context, tx *gorm.DB, userID int64) error {
	c, err := s.cart(ctx, tx, Owner{UserID: userID}, false)
	if err != nil || c.ID == 0 {
		return err
	}
	var items []CartItem
	if err := tx.WithContext(ctx).Where("cart_id = ?", c.ID).Find(&items).Error; err != nil {
		return err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.VariantID
	}
	sale, err := s.catalog.SaleLines(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, it := range items {
		if v, ok := sale[it.VariantID]; ok && v.Price != it.UnitPrice {
			if err := tx.WithContext(ctx).Model(&CartItem{}).Where("id = ?", it.ID).Update("unit_price", v.Price).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// reserve takes the stock of every line through the catalogue (one
// conditional update each); a line short of stock fails the whole
// checkout. It runs last in the transaction so the variant rows stay
// locked as briefly as possible, and in variant id order so that two carts
// holding the same variants in a different order cannot deadlock.
func (s *Service) reserve(ctx context.Context, tx *gorm.DB, groupID int64, lines []Line) error {
	sorted := slices.Clone(lines)
	slices.SortFunc(sorted, func(a, b Line) int { return cmp.Compare(a.VariantID, b.VariantID) })
	for _, l := range sorted {
		err := s.catalog.Reserve(ctx, tx, l.VariantID, l.Quantity)
		if errors.Is(err, catalog.ErrOutOfStock) {
			return shortOfStock(ctx, tx, l.VariantID, groupID, "checkout.out_of_stock", "checkout.out_of_stock")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// SetStripeSession records the Checkout Session made for a group.
func (s *Service) SetStripeSession(ctx context.Context, groupID int64, sessionID string) error {
	return s.db.WithContext(ctx).Model(&Group{}).Where("id = ?", groupID).Update("stripe_session_id", sessionID).Error
}
