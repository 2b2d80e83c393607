package producer

import (
	"context"
	"fmt"
	"time"

	"github.com/chocop/ocop/internal/platform/errs"
)

// ByIDs returns the producers with ids, by id; ids that name no producer
// are absent from the map. One query, however many ids: lists that show a
// producer per row (cart lines, payout balances, registry exports) read
// them all at once.
func (s *Store) ByIDs(ctx context.Context, ids []int64) (map[int64]Producer, error) {
	out := make(map[int64]Producer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var ps []Producer
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// All lists every producer, pending first then by name, at most limit,
// for the admin's list.
func (s *Store) All(ctx context.Context, limit int) ([]Producer, error) {
	var out []Producer
	err := s.db.WithContext(ctx).Order("status, name_folded").Limit(limit).Find(&out).Error
	return out, err
}

// ApprovedAfter lists approved producers by id after afterID, optionally in
// one province, at most limit: the keyset page of the public producer list.
func (s *Store) ApprovedAfter(ctx context.Context, provinceCode string, afterID int64, limit int) ([]Producer, error) {
	q := s.db.WithContext(ctx).Where("status = ? AND id > ?", StatusApproved, afterID)
	if provinceCode != "" {
		q = q.Where("province_code = ?", provinceCode)
	}
	var out []Producer
	err := q.Order("id").Limit(limit).Find(&out).Error
	return out, err
}

// ApprovedSlugs lists the slugs of approved producers by id, at most limit
// (the sitemap).
func (s *Store) ApprovedSlugs(ctx context.Context, limit int) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Model(&Producer{}).Where("status = ?", StatusApproved).Order("id").Limit(limit).Pluck("slug", &out).Error
	return out, err
}

// Profile is what a producer keeps about themselves after approval: where
// they are, how to reach them and where payouts go. The caller has checked
// every value (the commune exists and decides the province, the bank is a
// NAPAS member).
type Profile struct {
	Story, Street, CommuneCode, ProvinceCode, Phone, Email string
	BankBIN, BankAccount, BankHolder                       string
}

// SaveProfile writes p onto producer id and returns the producer as stored.
// An unknown id is errs.ErrNotFound.
func (s *Store) SaveProfile(ctx context.Context, id int64, p Profile) (Producer, error) {
	upd := map[string]any{
		"story": p.Story, "street": p.Street, "commune_code": p.CommuneCode, "province_code": p.ProvinceCode,
		"phone": p.Phone, "email": p.Email, "bank_bin": p.BankBIN, "bank_account": p.BankAccount, "bank_holder": p.BankHolder,
		"updated_at": time.Now().UTC(),
	}
	res := s.db.WithContext(ctx).Model(&Producer{}).Where("id = ?", id).Updates(upd)
	if res.Error != nil {
		return Producer{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Producer{}, fmt.Errorf("producer %d: %w", id, errs.ErrNotFound)
	}
	return s.ByID(ctx, id)
}

// ListedSQL is a subquery of the producers whose listings the storefront
// shows (approved ones), with the columns a listing query joins on and
// filters by: id, slug, legal_name, province_code and commune_code. Other
// areas join it, aliased, instead of naming this area's table, so that
// "which producers are listed" has one definition, here. Simple enough that
// both planners flatten it into the outer query: a join on it costs what a
// join on the table costs.
func ListedSQL() string {
	return "SELECT id, slug, legal_name, province_code, commune_code FROM producers WHERE status = '" + string(StatusApproved) + "'"
}

// KindCount is how many producers of one kind.
type KindCount struct {
	Kind Kind  `json:"kind"`
	N    int64 `json:"count"`
}

// CountKinds counts by kind the producers whose ids idsSQL (a subquery of
// one column, with its args) selects: another area says which producers
// (the registry: those holding a valid certificate), this one what they are.
func (s *Store) CountKinds(ctx context.Context, idsSQL string, args ...any) ([]KindCount, error) {
	var out []KindCount
	err := s.db.WithContext(ctx).Raw("SELECT kind, COUNT(*) AS n FROM producers WHERE id IN ("+idsSQL+") GROUP BY kind ORDER BY kind", args...).
		Scan(&out).Error
	return out, err
}

// PlacesSQL is a subquery of every producer's id, province_code and
// commune_code (approved or not: a suspended producer's past sales still
// happened there), for other areas to place their rows without naming
// this area's table.
func PlacesSQL() string {
	return "SELECT id, province_code, commune_code FROM producers"
}
