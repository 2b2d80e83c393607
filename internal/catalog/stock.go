package catalog

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// What the catalogue offers the areas that sell its products. The methods
// that take tx run in the caller's transaction: a
// checkout reads its lines, reserves their stock and writes its orders in
// ONE transaction, and the catalogue must not open another beside it.

// ErrOutOfStock is Reserve's answer when the variant has fewer units than
// asked: nothing was taken. It is a conflict (409); the caller usually
// replaces it with a message saying how much is held and until when.
var ErrOutOfStock = fmt.Errorf("not enough stock: %w", errs.ErrConflict)

// Reserve takes quantity units of variantID's stock in tx, by one
// conditional update, so stock never goes below zero whatever runs beside
// it: ErrOutOfStock when there are not enough (nothing changes). Callers
// reserving several variants do so in variant id order, so two
// transactions reserving the same variants cannot deadlock.
func (s *Service) Reserve(ctx context.Context, tx *gorm.DB, variantID, quantity int64) error {
	res := tx.WithContext(ctx).Model(&Variant{}).Where("id = ? AND stock >= ?", variantID, quantity).
		UpdateColumn("stock", gorm.Expr("stock - ?", quantity))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("variant %d: %w", variantID, ErrOutOfStock)
	}
	return nil
}

// Release gives quantity units back to variantID's stock in tx. It adds
// every time it is called: releasing each reservation exactly once is the
// caller's (order flips its stock_released flag by compare-and-set first).
func (s *Service) Release(ctx context.Context, tx *gorm.DB, variantID, quantity int64) error {
	return tx.WithContext(ctx).Model(&Variant{}).Where("id = ?", variantID).UpdateColumn("stock", gorm.Expr("stock + ?", quantity)).Error
}

// Sellable loads, in tx, a variant that may be put in a cart: its product
// is published and its producer approved. Anything else is
// errs.ErrNotFound, as a hidden listing must not be distinguishable from a
// missing one.
func (s *Service) Sellable(ctx context.Context, tx *gorm.DB, variantID int64) (Variant, error) {
	var v Variant
	err := tx.WithContext(ctx).Model(&Variant{}).Select("variants.*").
		Joins("JOIN products p ON p.id = variants.product_id").
		Joins("JOIN ("+producer.ListedSQL()+") pr ON pr.id = variants.producer_id").
		Where("variants.id = ? AND p.status = ?", variantID, StatusPublished).
		Take(&v).Error
	if db.IsNotFound(err) {
		return v, fmt.Errorf("variant %d: %w", variantID, errs.ErrNotFound)
	}
	return v, err
}

// SaleLine is a variant with what a cart line, a quote and a checkout need
// of its product.
type SaleLine struct {
	Variant
	ProductName   string
	ProductSlug   string
	ProductStatus ProductStatus
	IsService     bool
	AdultOnly     bool
	CoverKey      string // blob key prefix of the product's first photo, "" when none
}

// SaleLines loads, in tx, the variants with ids and their products, by
// variant id, in one query; ids of variants that no longer exist are absent.
func (s *Service) SaleLines(ctx context.Context, tx *gorm.DB, ids []int64) (map[int64]SaleLine, error) {
	out := make(map[int64]SaleLine, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []SaleLine
	err := tx.WithContext(ctx).Model(&Variant{}).
		Select("variants.*, p.name AS product_name, p.slug AS product_slug, p.status AS product_status, p.is_service, p.adult_only, p.cover_key").
		Joins("JOIN products p ON p.id = variants.product_id").
		Where("variants.id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// ProductName is a product as a form offers it to choose from.
type ProductName struct {
	ID   int64
	Name string
}

// ProductNames lists producerID's products (every status) by name, at most 500.
func (s *Service) ProductNames(ctx context.Context, producerID int64) ([]ProductName, error) {
	var out []ProductName
	err := s.db.WithContext(ctx).Model(&Product{}).Select("id, name").Where("producer_id = ?", producerID).Order("name").Limit(500).Scan(&out).Error
	return out, err
}

// OwnsProduct reports, in tx, whether productID is one of producerID's
// products (in any status): the rule that a certificate or an application
// names only its producer's own listing.
func (s *Service) OwnsProduct(ctx context.Context, tx *gorm.DB, producerID, productID int64) (bool, error) {
	var n int64
	err := tx.WithContext(ctx).Model(&Product{}).Where("id = ? AND producer_id = ?", productID, producerID).Count(&n).Error
	return n > 0, err
}

// Descriptions returns the descriptions of the products with ids, by id, in
// one query; unknown ids are absent.
func (s *Service) Descriptions(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64
		Description *string
	}
	if err := s.db.WithContext(ctx).Model(&Product{}).Select("id, description").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Description != nil {
			out[r.ID] = *r.Description
		}
	}
	return out, nil
}
