package order

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// Line is a cart line with what the shopper needs to see about it now.
type Line struct {
	VariantID      int64  `json:"variant_id"`
	ProductID      int64  `json:"product_id"`
	ProductName    string `json:"product_name"`
	ProductSlug    string `json:"product_slug"`
	VariantName    string `json:"variant_name"`
	SKU            string `json:"sku"`
	Quantity       int64  `json:"quantity"`
	UnitPrice      int64  `json:"unit_price"` // current price
	SeenPrice      int64  `json:"seen_price"` // price when the shopper last saw the line
	Stock          int64  `json:"stock"`
	WeightGrams    int    `json:"weight_grams"`
	IsService      bool   `json:"is_service"`
	AdultOnly      bool   `json:"adult_only"`
	Available      bool   `json:"available"` // published product of an approved producer
	LineTotal      int64  `json:"line_total"`
	ImageURL       string `json:"image_url,omitempty"` // the product's first photo, card size
	ProducerID     int64  `json:"-"`
	ProducerName   string `json:"-"`
	ProducerSlug   string `json:"-"`
	ProducerProv   string `json:"-"`
	ProductStatus  string `json:"-"`
	ProducerStatus string `json:"-"`
}

// Part is one producer's share of a cart: its lines, weight and shipping.
type Part struct {
	ProducerID   int64  `json:"-"`
	ProducerSlug string `json:"producer_slug"`
	ProducerName string `json:"producer_name"`
	Lines        []Line `json:"lines"`
	ItemsTotal   int64  `json:"items_total"`
	WeightGrams  int    `json:"weight_grams"`
	Shipping     int64  `json:"shipping"`
	Total        int64  `json:"total"`
	fromProvince string
}

// Quote is a cart priced for a destination province: per-producer shipping
// and the totals the shopper pays.
type Quote struct {
	Parts         []Part `json:"parts"`
	ItemsTotal    int64  `json:"items_total"`
	ShippingTotal int64  `json:"shipping_total"`
	Total         int64  `json:"total"`
	ProvinceCode  string `json:"province_code,omitempty"`
	PriceChanged  bool   `json:"price_changed"`
	AdultOnly     bool   `json:"adult_only"`
	Unavailable   bool   `json:"unavailable"`
	Count         int64  `json:"count"`
}

// loadLines reads a cart's lines with their variants and products (from
// the catalogue) and producers (from the producer area), three queries
// whatever the cart's size, in the order a quote shows them: by producer,
// then as the shopper added them. A line whose variant is gone is left out.
func (s *Service) loadLines(ctx context.Context, tx *gorm.DB, cartID int64) ([]Line, error) {
	var items []CartItem
	if err := tx.WithContext(ctx).Where("cart_id = ?", cartID).Order("id").Find(&items).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.VariantID
	}
	sale, err := s.catalog.SaleLines(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	var producerIDs []int64
	for _, v := range sale {
		producerIDs = append(producerIDs, v.ProducerID)
	}
	producers, err := producer.NewStore(tx).ByIDs(ctx, producerIDs)
	if err != nil {
		return nil, err
	}
	lines := make([]Line, 0, len(items))
	for _, it := range items {
		v, ok := sale[it.VariantID]
		pr, okp := producers[v.ProducerID]
		if !ok || !okp {
			continue
		}
		lines = append(lines, Line{VariantID: it.VariantID, Quantity: it.Quantity, SeenPrice: it.UnitPrice,
			UnitPrice: v.Price, Stock: v.Stock, VariantName: v.Name, SKU: v.SKU, WeightGrams: v.WeightGrams, ProductID: v.ProductID,
			ProductName: v.ProductName, ProductSlug: v.ProductSlug, ProductStatus: string(v.ProductStatus), IsService: v.IsService, AdultOnly: v.AdultOnly,
			ProducerID: pr.ID, ProducerName: pr.LegalName, ProducerSlug: pr.Slug, ProducerProv: pr.ProvinceCode, ProducerStatus: string(pr.Status),
			Available: v.ProductStatus == catalog.StatusPublished && pr.Status == producer.StatusApproved,
			LineTotal: v.Price * it.Quantity, ImageURL: cardImage(v.CoverKey)})
	}
	slices.SortStableFunc(lines, func(a, b Line) int { return cmp.Compare(a.ProducerID, b.ProducerID) })
	return lines, nil
}

// price groups lines by producer and adds shipping to toProvince (none
// when toProvince is empty: the shopper has not said where yet).
func (s *Service) price(ctx context.Context, tx *gorm.DB, lines []Line, toProvince string) (Quote, error) {
	q := Quote{ProvinceCode: toProvince}
	for _, l := range lines {
		if len(q.Parts) == 0 || q.Parts[len(q.Parts)-1].ProducerID != l.ProducerID {
			q.Parts = append(q.Parts, Part{ProducerID: l.ProducerID, ProducerSlug: l.ProducerSlug, ProducerName: l.ProducerName, fromProvince: l.ProducerProv})
		}
		p := &q.Parts[len(q.Parts)-1]
		p.Lines = append(p.Lines, l)
		p.ItemsTotal += l.LineTotal
		if !l.IsService {
			p.WeightGrams += l.WeightGrams * int(l.Quantity)
		}
		q.PriceChanged = q.PriceChanged || l.UnitPrice != l.SeenPrice
		q.AdultOnly = q.AdultOnly || l.AdultOnly
		q.Unavailable = q.Unavailable || !l.Available
		q.Count += l.Quantity
	}
	for i := range q.Parts {
		p := &q.Parts[i]
		if toProvince != "" && !allServices(p.Lines) {
			fee, err := s.ShippingFee(ctx, tx, p.fromProvince, toProvince, p.WeightGrams)
			if err != nil {
				return q, err
			}
			p.Shipping = fee
		}
		p.Total = p.ItemsTotal + p.Shipping
		q.ItemsTotal += p.ItemsTotal
		q.ShippingTotal += p.Shipping
	}
	q.Total = q.ItemsTotal + q.ShippingTotal
	return q, nil
}

func allServices(lines []Line) bool {
	for _, l := range lines {
		if !l.IsService {
			return false
		}
	}
	return true
}

// ShippingFee is the fee of the lightest band that carries grams from one
// province to another; an exact province beats "*". No band: 409.
func (s *Service) ShippingFee(ctx context.Context, tx *gorm.DB, from, to string, grams int) (int64, error) {
	var r ShippingRate
	err := tx.WithContext(ctx).
		Where("from_province_code IN (?, '*') AND to_province_code IN (?, '*') AND max_grams >= ?", from, to, grams).
		Order("CASE WHEN from_province_code = '*' THEN 1 ELSE 0 END, CASE WHEN to_province_code = '*' THEN 1 ELSE 0 END, max_grams").
		Limit(1).Find(&r).Error
	if err != nil {
		return 0, err
	}
	if r.ID == 0 {
		return 0, &errs.Reasoned{Err: fmt.Errorf("no shipping band %s→%s %dg: %w", from, to, grams, errs.ErrConflict), Reason: "shipping.unavailable"}
	}
	return r.Fee, nil
}

// View prices the owner's cart for a destination province ("" for none yet).
func (s *Service) View(ctx context.Context, o Owner, toProvince string) (Quote, error) {
	c, err := s.cart(ctx, s.db, o, false)
	if err != nil || c.ID == 0 {
		return Quote{ProvinceCode: toProvince}, err
	}
	lines, err := s.loadLines(ctx, s.db, c.ID)
	if err != nil {
		return Quote{}, err
	}
	return s.price(ctx, s.db, lines, toProvince)
}

// ShippingRates lists the shipping table.
func (s *Service) ShippingRates(ctx context.Context) ([]ShippingRate, error) {
	var out []ShippingRate
	err := s.db.WithContext(ctx).Order("from_province_code, to_province_code, max_grams").Find(&out).Error
	return out, err
}

// SetShippingRates replaces the shipping table in one transaction.
func (s *Service) SetShippingRates(ctx context.Context, rates []ShippingRate) error {
	for i, r := range rates {
		if r.MaxGrams <= 0 || r.Fee < 0 || r.FromProvinceCode == "" || r.ToProvinceCode == "" {
			return errs.Invalid(fmt.Sprintf("rates[%d]", i), "validation.type")
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&ShippingRate{}).Error; err != nil {
			return err
		}
		for _, r := range rates {
			r.ID = 0
			if err := tx.Create(&r).Error; err != nil {
				if db.IsDuplicate(err) {
					return errs.Invalid("rates", "admin.duplicate_rate")
				}
				return fmt.Errorf("shipping rate: %w", err)
			}
		}
		return nil
	})
}

// cardImage is the card-size photo URL of a product's cover photo (the
// catalogue stores key+"-card.jpg", served under /media/), "" without one.
func cardImage(coverKey string) string {
	if coverKey == "" {
		return ""
	}
	return "/media/" + coverKey + "-card.jpg"
}
