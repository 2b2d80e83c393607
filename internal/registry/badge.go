package registry

import (
	"context"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
)

// Badge is what a listing shows: the stars of the product's certificate that
// is valid on the day asked, with the code for its verify page.
type Badge struct {
	ProductID  int64
	Stars      int
	Code       string
	ValidUntil day.Date
}

// BadgeStore answers "which certificate is valid for this product today".
// It is the only source of OCOP badges on the storefront.
type BadgeStore struct{ db *gorm.DB }

// NewBadgeStore returns a BadgeStore on g.
func NewBadgeStore(g *gorm.DB) *BadgeStore { return &BadgeStore{db: g} }

// ValidOn returns, for each of productIDs that has one, the highest-star
// certificate valid on d. The SQL narrows by dates; Certificate.StatusOn
// stays the one definition of validity.
func (s *BadgeStore) ValidOn(ctx context.Context, productIDs []int64, d day.Date) (map[int64]Badge, error) {
	out := make(map[int64]Badge, len(productIDs))
	if len(productIDs) == 0 {
		return out, nil
	}
	// Only the columns StatusOn and a badge read, scanned by hand: every
	// uncached list asks this, and GORM's Find of whole certificates cost
	// more than the query.
	active, args := ActiveSQL("", d)
	rows, err := s.db.WithContext(ctx).Raw("SELECT product_id, stars, code, valid_from, valid_until, revoked_on, superseded_on, import_pending "+
		"FROM certificates WHERE product_id IN ? AND "+active, append([]any{productIDs}, args...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Certificate
		var pid int64
		if err := rows.Scan(&pid, &c.Stars, &c.Code, &c.ValidFrom, &c.ValidUntil, &c.RevokedOn, &c.SupersededOn, &c.ImportPending); err != nil {
			return nil, err
		}
		if !c.ValidOn(d) {
			continue
		}
		if b, ok := out[pid]; !ok || c.Stars > b.Stars {
			out[pid] = Badge{ProductID: pid, Stars: c.Stars, Code: c.Code, ValidUntil: c.ValidUntil}
		}
	}
	return out, rows.Err()
}

// ProductStarsSQL is a subquery of (product_id, stars): one row per product
// holding a certificate valid on d, with the highest stars among them, by
// the registry's own definition of valid (ActiveSQL). The storefront joins
// it to filter and sort listings by stars without naming this area's
// table (catalog.Stars).
func (s *BadgeStore) ProductStarsSQL(d day.Date) (string, []any) {
	active, args := ActiveSQL("c", d)
	return "SELECT c.product_id, MAX(c.stars) AS stars FROM certificates c WHERE c.product_id IS NOT NULL AND " + active + " GROUP BY c.product_id", args
}
