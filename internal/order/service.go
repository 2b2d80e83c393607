package order

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/randcode"
)

// Service runs carts, checkout and the order life cycle. It owns its
// transactions; the payment package calls the *Tx methods inside its own.
type Service struct {
	db         *gorm.DB
	ttl        time.Duration
	commission Commission
	catalog    Catalog
}

// Commission is where a checkout reads the platform's commission rate
// (the payment area keeps it; payment.CommissionBP implements this).
type Commission interface {
	// RateBP returns the rate in basis points (1/100 of a percent), read
	// inside tx, the checkout's transaction: each order snapshots the rate
	// of its own moment, and a change an admin makes later never reprices
	// it. An error fails the checkout.
	RateBP(ctx context.Context, tx *gorm.DB) (int, error)
}

// Catalog is what order needs of the catalogue, which owns products,
// variants and their stock (catalog.Service implements it). Every method
// runs in the caller's transaction, so a checkout stays one transaction.
type Catalog interface {
	// Sellable is a variant that may be put in a cart, else errs.ErrNotFound.
	Sellable(ctx context.Context, tx *gorm.DB, variantID int64) (catalog.Variant, error)
	// SaleLines loads variants with their products, by id, in one query.
	SaleLines(ctx context.Context, tx *gorm.DB, ids []int64) (map[int64]catalog.SaleLine, error)
	// Reserve takes stock by a conditional update; catalog.ErrOutOfStock when short.
	Reserve(ctx context.Context, tx *gorm.DB, variantID, quantity int64) error
	// Release gives stock back; each reservation is released once, by order.
	Release(ctx context.Context, tx *gorm.DB, variantID, quantity int64) error
}

// NewService returns a Service on g. ttl is how long an unpaid group holds
// its stock (OCOP_PAYMENT_TTL); commission is the rate each order
// snapshots. Variants and stock are the catalogue's, read and changed
// through a catalog.Service on g.
func NewService(g *gorm.DB, ttl time.Duration, commission Commission) *Service {
	return &Service{db: g, ttl: ttl, commission: commission, catalog: catalog.NewService(g, nil)}
}

// codeAlphabet has no 0/O or 1/I, so a code read aloud or typed from a
// transfer receipt is unambiguous.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewCode returns prefix and n random characters from codeAlphabet.
func NewCode(prefix string, n int) string { return prefix + randcode.New(codeAlphabet, n) }

// GroupByCode loads a group with its orders, items and events. userID, when
// not zero, must own it: another shopper's group is errs.ErrNotFound.
func (s *Service) GroupByCode(ctx context.Context, code string, userID int64) (Group, error) {
	return groupByCode(ctx, s.db, code, userID)
}

func groupByCode(ctx context.Context, tx *gorm.DB, code string, userID int64) (Group, error) {
	var g Group
	q := tx.WithContext(ctx).Preload("Orders", func(d *gorm.DB) *gorm.DB { return d.Order("id") }).
		Preload("Orders.Items", func(d *gorm.DB) *gorm.DB { return d.Order("id") }).
		Preload("Orders.Events", func(d *gorm.DB) *gorm.DB { return d.Order("id") }).
		Where("code = ?", code)
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	err := q.Take(&g).Error
	if db.IsNotFound(err) {
		return g, fmt.Errorf("order group %q: %w", code, errs.ErrNotFound)
	}
	return g, err
}

// GroupByCodeTx is GroupByCode inside the caller's transaction.
func GroupByCodeTx(ctx context.Context, tx *gorm.DB, code string) (Group, error) {
	return groupByCode(ctx, tx, code, 0)
}

// GroupByIDTx loads a group (without its orders) by id inside the caller's
// transaction; unknown is errs.ErrNotFound.
func GroupByIDTx(ctx context.Context, tx *gorm.DB, id int64) (Group, error) {
	var g Group
	err := tx.WithContext(ctx).Take(&g, id).Error
	if db.IsNotFound(err) {
		return g, fmt.Errorf("order group %d: %w", id, errs.ErrNotFound)
	}
	return g, err
}

// GroupCodeOfPaymentTx is the code of the group a provider payment
// reference paid, inside the caller's transaction; "" when none.
func GroupCodeOfPaymentTx(ctx context.Context, tx *gorm.DB, paymentRef string) (string, error) {
	var code string
	err := tx.WithContext(ctx).Model(&Group{}).Where("payment_ref = ?", paymentRef).Limit(1).Pluck("code", &code).Error
	return code, err
}

// GroupsOf lists a shopper's groups, newest first.
func (s *Service) GroupsOf(ctx context.Context, userID int64, limit int) ([]Group, error) {
	var out []Group
	err := s.db.WithContext(ctx).Preload("Orders", func(d *gorm.DB) *gorm.DB { return d.Order("id") }).
		Where("user_id = ?", userID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// GroupsPage lists one page (1-based, size groups) of a shopper's groups,
// newest first, with their orders; more reports whether a later page
// holds any. A page past the end is empty, not an error.
func (s *Service) GroupsPage(ctx context.Context, userID int64, page, size int) (groups []Group, more bool, err error) {
	page = max(page, 1)
	err = s.db.WithContext(ctx).Preload("Orders", func(d *gorm.DB) *gorm.DB { return d.Order("id") }).
		Where("user_id = ?", userID).Order("id DESC").Offset((page - 1) * size).Limit(size + 1).Find(&groups).Error
	if len(groups) > size {
		groups, more = groups[:size], true
	}
	return groups, more, err
}

// OrdersOfProducer lists a producer's orders, newest first, with their items.
func (s *Service) OrdersOfProducer(ctx context.Context, producerID int64, limit int) ([]Order, error) {
	var out []Order
	err := s.db.WithContext(ctx).Preload("Items").Where("producer_id = ?", producerID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// ProducerOrder loads one order of a producer; another producer's order is errs.ErrNotFound.
func (s *Service) ProducerOrder(ctx context.Context, producerID int64, code string) (Order, error) {
	var o Order
	err := s.db.WithContext(ctx).Preload("Items").Preload("Events", func(d *gorm.DB) *gorm.DB { return d.Order("id") }).
		Where("code = ? AND producer_id = ?", code, producerID).Take(&o).Error
	if db.IsNotFound(err) {
		return o, fmt.Errorf("order %q: %w", code, errs.ErrNotFound)
	}
	return o, err
}

// MarkPaidTx moves a pending group and its orders to paid (compare-and-set)
// and issues voucher codes for service orders. It reports false when the
// group was not pending (already paid, expired or cancelled): the caller
// decides what that means for the money.
func MarkPaidTx(ctx context.Context, tx *gorm.DB, g *Group, ref string) (bool, error) {
	now := time.Now().UTC()
	res := tx.WithContext(ctx).Model(&Group{}).Where("id = ? AND status = ?", g.ID, GroupPending).
		Updates(map[string]any{"status": GroupPaid, "paid_at": now, "payment_ref": ref, "updated_at": now})
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	g.Status, g.PaidAt, g.PaymentRef = GroupPaid, &now, ref
	for i := range g.Orders {
		o := &g.Orders[i]
		extra := map[string]any{}
		if o.IsService {
			o.VoucherCode = NewCode("VC", 10)
			extra["voucher_code"] = o.VoucherCode
		}
		if err := move(ctx, tx, o, StatusPaid, nil, ref, extra); err != nil {
			return false, err
		}
	}
	return true, nil
}

// ExpireDue expires every pending group whose time is up and gives its
// stock back. Safe to run on several instances at once: each group is
// claimed by a compare-and-set, and stock is released at most once.
func (s *Service) ExpireDue(ctx context.Context, now time.Time) (int, error) {
	var codes []string
	if err := s.db.WithContext(ctx).Model(&Group{}).Where("status = ? AND expires_at <= ?", GroupPending, now.UTC()).
		Limit(500).Pluck("code", &codes).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, code := range codes {
		done := false
		err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
			g, err := groupByCode(ctx, tx, code, 0)
			if err != nil {
				return err
			}
			res := tx.Model(&Group{}).Where("id = ? AND status = ?", g.ID, GroupPending).
				Updates(map[string]any{"status": GroupExpired, "updated_at": time.Now().UTC()})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // someone else expired or paid it
			}
			var all []*Order
			for i := range g.Orders {
				if err := move(ctx, tx, &g.Orders[i], StatusExpired, nil, "", nil); err != nil {
					return err
				}
				all = append(all, &g.Orders[i])
			}
			if err := s.releaseStock(ctx, tx, all...); err != nil {
				return err
			}
			done = true
			return nil
		})
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}
