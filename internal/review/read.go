package review

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Summaries returns the count and average of the visible reviews of each
// product, by product id; a product without any is absent. One query by
// primary key on review_stats, kept on write.
func (s *Service) Summaries(ctx context.Context, productIDs []int64) (map[int64]Summary, error) {
	out := make(map[int64]Summary, len(productIDs))
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []Stats
	if err := s.db.WithContext(ctx).Where("product_id IN ? AND review_count > 0", productIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ProductID] = summaryOf(r.ReviewCount, r.RatingSum)
	}
	return out, nil
}

// SummariesByQuery computes what Summaries reads, from the reviews
// themselves (an indexed GROUP BY): the independent figure tests and the
// benchmark compare the kept aggregate with.
func (s *Service) SummariesByQuery(ctx context.Context, productIDs []int64) (map[int64]Summary, error) {
	out := make(map[int64]Summary, len(productIDs))
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []struct{ ProductID, N, Sum int64 }
	if err := s.db.WithContext(ctx).Model(&Review{}).Select("product_id, COUNT(*) AS n, SUM(rating) AS sum").
		Where("product_id IN ? AND hidden_at IS NULL", productIDs).Group("product_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ProductID] = summaryOf(r.N, r.Sum)
	}
	return out, nil
}

// MaxPage is the most reviews one page of a list holds.
const MaxPage = 50

// Visible lists a product's visible reviews, newest first, with their
// photos: limit of them (at most MaxPage) with an id below before (0 for
// the first page). more reports whether older ones remain.
func (s *Service) Visible(ctx context.Context, productID, before int64, limit int) (list []Review, more bool, err error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	q := s.db.WithContext(ctx).Preload("Photos", func(d *gorm.DB) *gorm.DB { return d.Order("position, id") }).
		Where("product_id = ? AND hidden_at IS NULL", productID)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	if err := q.Order("id DESC").Limit(limit + 1).Find(&list).Error; err != nil {
		return nil, false, err
	}
	if len(list) > limit {
		return list[:limit], true, nil
	}
	return list, false, nil
}

// ProductID is the id of a product the storefront shows, by slug, or
// errs.ErrNotFound: reviews are listed only for a listed product.
func (s *Service) ProductID(ctx context.Context, slug string) (int64, error) {
	p, err := s.products.Published(ctx, slug)
	if err != nil {
		return 0, err
	}
	return p.ID, nil
}

// ByCode is one review with its photos, or errs.ErrNotFound.
func (s *Service) ByCode(ctx context.Context, code string) (Review, error) {
	var r Review
	err := s.db.WithContext(ctx).Preload("Photos", func(d *gorm.DB) *gorm.DB { return d.Order("position, id") }).
		Where("code = ?", code).Take(&r).Error
	if db.IsNotFound(err) {
		return r, fmt.Errorf("review %q: %w", code, errs.ErrNotFound)
	}
	return r, err
}

// Line is a shopper's order line with the review they wrote of it, if any.
type Line struct {
	order.ShopperLine
	Review *Review
}

// LineOf is userID's line of variantID in their group groupCode, with its
// review; another shopper's line is errs.ErrNotFound.
func (s *Service) LineOf(ctx context.Context, userID int64, groupCode string, variantID int64) (Line, error) {
	l, err := order.LineOfShopper(ctx, s.db, userID, groupCode, variantID)
	if err != nil {
		return Line{}, err
	}
	out := Line{ShopperLine: l}
	var r Review
	err = s.db.WithContext(ctx).Preload("Photos").Where("order_item_id = ?", l.ItemID).Take(&r).Error
	switch {
	case err == nil:
		out.Review = &r
	case !db.IsNotFound(err):
		return out, err
	}
	return out, nil
}

// OfProducer lists the reviews of producerID's products, newest first,
// hidden ones included (marked): the producer's portal, where it replies.
func (s *Service) OfProducer(ctx context.Context, producerID int64, limit int) ([]Review, error) {
	var out []Review
	err := s.db.WithContext(ctx).Where("producer_id = ?", producerID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// Recent lists the newest reviews of every product, hidden ones included:
// the admin's list, where abusive ones are hidden.
func (s *Service) Recent(ctx context.Context, limit int) ([]Review, error) {
	var out []Review
	err := s.db.WithContext(ctx).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}
