package catalog

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog/grouptree"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

// Limits on what a producer may enter. Prices above a billion đồng or stock
// above a million units are typing mistakes, not OCOP specialties.
const (
	MinPrice    = 1_000
	MaxPrice    = 1_000_000_000
	MaxStock    = 1_000_000
	MaxVariants = 20
)

// VariantInput is one variant as a producer enters it.
type VariantInput struct {
	SKU         string `json:"sku" form:"sku" validate:"required,max=64"`
	Name        string `json:"name" form:"name" validate:"required,max=120"`
	Price       int64  `json:"price" form:"price" validate:"min=1000,max=1000000000"`
	Stock       int64  `json:"stock" form:"stock" validate:"min=0,max=1000000"`
	WeightGrams int    `json:"weight_grams" form:"weight_grams" validate:"min=0,max=100000"`
}

// ProductInput is a product as a producer creates or edits it. Variants
// replace the product's variants as a whole, matched by SKU so that a
// variant keeps its id (and the carts that hold it) across edits.
type ProductInput struct {
	Name              string         `json:"name" validate:"required,max=200"`
	NameEn            string         `json:"name_en" validate:"max=200"`
	Description       string         `json:"description" validate:"max=10000"`
	DescriptionEn     string         `json:"description_en" validate:"max=10000"`
	Story             string         `json:"story" validate:"max=10000"`
	StoryEn           string         `json:"story_en" validate:"max=10000"`
	GroupCode         string         `json:"group_code" validate:"required,max=16"`
	OriginCommuneCode string         `json:"origin_commune_code" validate:"max=16"`
	Unit              string         `json:"unit" validate:"max=40"`
	Variants          []VariantInput `json:"variants" validate:"required,min=1,max=20,dive"`
}

// Service runs the catalog's use cases. Every producer-side method takes
// the acting producer's id and touches only that producer's rows: another
// producer's product is errs.ErrNotFound, never ErrForbidden, so ids are
// not confirmed to exist.
type Service struct {
	db    *gorm.DB
	stars Stars // nil: searches by stars are refused (errNoStars)
	now   func() time.Time
}

// NewService returns a Service on g. stars answers which products hold a
// valid certificate (the registry's BadgeStore); a Service that never
// searches by stars (seeding, stock for order) may pass nil.
func NewService(g *gorm.DB, stars Stars) *Service {
	return &Service{db: g, stars: stars, now: func() time.Time { return time.Now().UTC() }}
}

// LeafGroups lists the groups a product may take (no sub-groups), in order.
func (s *Service) LeafGroups(ctx context.Context) ([]Group, error) {
	leaves, err := grouptree.Leaves(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(leaves))
	for i, l := range leaves {
		codes[i] = l.Code
	}
	var out []Group
	err = s.db.WithContext(ctx).Where("code IN ?", codes).Order("position, code").Find(&out).Error
	return out, err
}

// Groups lists the Decision 148 tree in order.
func (s *Service) Groups(ctx context.Context) ([]Group, error) {
	var out []Group
	err := s.db.WithContext(ctx).Order("position, code").Find(&out).Error
	return out, err
}

// Own returns producerID's product with its variants, or ErrNotFound.
func (s *Service) Own(ctx context.Context, producerID int64, slug string) (Product, error) {
	var p Product
	err := s.db.WithContext(ctx).Preload("Variants", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
		Where("slug = ? AND producer_id = ?", slug, producerID).Take(&p).Error
	if db.IsNotFound(err) {
		return p, fmt.Errorf("product %q: %w", slug, errs.ErrNotFound)
	}
	return p, err
}

// OwnList lists producerID's products (all statuses but archived last), newest first.
func (s *Service) OwnList(ctx context.Context, producerID int64) ([]Product, error) {
	var out []Product
	err := s.db.WithContext(ctx).Preload("Variants", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
		Where("producer_id = ?", producerID).Order("id DESC").Limit(500).Find(&out).Error
	return out, err
}

// Create adds a draft product for producerID. The slug comes from the
// name and is made unique with a numeric suffix; a SKU the producer
// already uses is errs.ErrConflict.
func (s *Service) Create(ctx context.Context, producerID int64, in ProductInput) (Product, error) {
	var p Product
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		prodName, err := producerName(ctx, tx, producerID)
		if err != nil {
			return err
		}
		g, err := s.check(ctx, tx, in)
		if err != nil {
			return err
		}
		now := s.now()
		p = Product{ProducerID: producerID, Status: StatusDraft, CreatedAt: now, UpdatedAt: now}
		apply(&p, in, g, prodName)
		if p.Slug, err = uniqueSlug(tx, text.Slug(in.Name), 0); err != nil {
			return err
		}
		if err := tx.Omit("Variants").Create(&p).Error; err != nil {
			return err
		}
		return s.replaceVariants(tx, &p, in.Variants)
	})
	return p, err
}

// Update replaces the fields and variants of producerID's product slug.
func (s *Service) Update(ctx context.Context, producerID int64, slug string, in ProductInput) (Product, error) {
	var p Product
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Where("slug = ? AND producer_id = ?", slug, producerID).Take(&p).Error; err != nil {
			if db.IsNotFound(err) {
				return fmt.Errorf("product %q: %w", slug, errs.ErrNotFound)
			}
			return err
		}
		prodName, err := producerName(ctx, tx, producerID)
		if err != nil {
			return err
		}
		g, err := s.check(ctx, tx, in)
		if err != nil {
			return err
		}
		apply(&p, in, g, prodName)
		p.UpdatedAt = s.now()
		if err := tx.Omit("Variants").Save(&p).Error; err != nil {
			return err
		}
		return s.replaceVariants(tx, &p, in.Variants)
	})
	return p, err
}

// SetStatus publishes, unpublishes or archives producerID's product.
// Archived is final for the storefront but the row stays for past orders.
func (s *Service) SetStatus(ctx context.Context, producerID int64, slug string, to ProductStatus) (Product, error) {
	switch to {
	case StatusPublished, StatusUnpublished, StatusArchived:
	default:
		return Product{}, errs.Invalid("status", "validation.oneof")
	}
	p, err := s.Own(ctx, producerID, slug)
	if err != nil {
		return p, err
	}
	if p.Status == StatusArchived && to != StatusArchived {
		return p, &errs.Reasoned{Err: errs.ErrConflict, Reason: "catalog.archived"}
	}
	upd := map[string]any{"status": to, "updated_at": s.now()}
	if to == StatusPublished && p.PublishedAt == nil {
		upd["published_at"] = s.now()
	}
	if err := s.db.WithContext(ctx).Model(&Product{}).Where("id = ? AND producer_id = ?", p.ID, producerID).Updates(upd).Error; err != nil {
		return p, err
	}
	return s.Own(ctx, producerID, slug)
}

// producerName is the legal name of producerID, read in tx through the
// producer area's store; an unknown producer is errs.ErrNotFound.
func producerName(ctx context.Context, tx *gorm.DB, producerID int64) (string, error) {
	p, err := producer.NewStore(tx).ByID(ctx, producerID)
	return p.LegalName, err
}

// check applies the rules that need the database: the group is a leaf of
// the tree (grouptree.RequireLeaf, the rule every door shares), the commune
// exists, and no SKU is repeated within the input.
func (s *Service) check(ctx context.Context, tx *gorm.DB, in ProductInput) (Group, error) {
	var fields []errs.FieldError
	var g Group
	if err := grouptree.RequireLeaf(tx, "group_code", in.GroupCode); err != nil {
		ve, ok := errs.AsValidation(err)
		if !ok {
			return g, err
		}
		fields = append(fields, ve.Fields...)
	} else if err := tx.Where("code = ?", in.GroupCode).Take(&g).Error; err != nil {
		return g, err
	}
	if in.OriginCommuneCode != "" {
		// Any commune that ever existed: a product's origin may be a place
		// name since merged away, as its packaging still says.
		_, err := region.NewStore(tx).Commune(ctx, in.OriginCommuneCode)
		if errors.Is(err, errs.ErrNotFound) {
			fields = append(fields, errs.FieldError{Field: "origin_commune_code", Message: "validation.oneof"})
		} else if err != nil {
			return g, err
		}
	}
	// A name of spaces is no name, whichever door the input came through.
	if strings.TrimSpace(in.Name) == "" {
		fields = append(fields, errs.FieldError{Field: "name", Message: "validation.required"})
	}
	seen := map[string]bool{}
	for i, v := range in.Variants {
		if strings.TrimSpace(v.Name) == "" {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("variants[%d].name", i), Message: "validation.required"})
		}
		k := strings.ToUpper(strings.TrimSpace(v.SKU))
		if k == "" {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("variants[%d].sku", i), Message: "validation.required"})
		}
		if k != "" && !skuChars(k) {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("variants[%d].sku", i), Message: "catalog.sku_chars"})
		}
		if seen[k] {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("variants[%d].sku", i), Message: "catalog.sku_repeated"})
		}
		seen[k] = true
		if v.Price < MinPrice || v.Price > MaxPrice {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("variants[%d].price", i), Message: "validation.min"})
		}
		if v.Stock < 0 || v.Stock > MaxStock {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("variants[%d].stock", i), Message: "validation.min"})
		}
	}
	if len(in.Variants) == 0 || len(in.Variants) > MaxVariants {
		fields = append(fields, errs.FieldError{Field: "variants", Message: "validation.min"})
	}
	if len(fields) > 0 {
		return g, &errs.ValidationError{Fields: fields}
	}
	return g, nil
}

// apply copies the input onto p. Service and adult-only come from the
// group (VI is a service, II.1 alcohol is adult-only), never from the producer.
func apply(p *Product, in ProductInput, g Group, producerName string) {
	p.Name, p.NameEn = strings.TrimSpace(in.Name), strings.TrimSpace(in.NameEn)
	p.Description, p.DescriptionEn = in.Description, in.DescriptionEn
	p.Story, p.StoryEn = in.Story, in.StoryEn
	p.GroupCode, p.Unit = g.Code, strings.TrimSpace(in.Unit)
	p.OriginCommuneCode = nil
	if in.OriginCommuneCode != "" {
		c := in.OriginCommuneCode
		p.OriginCommuneCode = &c
	}
	p.IsService = g.IsService || strings.HasPrefix(g.Code, "VI")
	p.AdultOnly = g.AdultOnly || g.Code == "II.1" || strings.HasPrefix(g.Code, "II.1.")
	p.SearchText = text.Fold(strings.Join([]string{p.Name, p.NameEn, producerName, g.Name}, " "))
	p.MinPrice = 0
	for _, v := range in.Variants {
		if p.MinPrice == 0 || v.Price < p.MinPrice {
			p.MinPrice = v.Price
		}
	}
}

// replaceVariants makes the product's variants those of in: same SKU keeps
// its row (and id), new SKUs are inserted, missing ones deleted. A SKU used
// by another of the producer's products is errs.ErrConflict.
func (s *Service) replaceVariants(tx *gorm.DB, p *Product, in []VariantInput) error {
	var old []Variant
	if err := tx.Where("product_id = ?", p.ID).Find(&old).Error; err != nil {
		return err
	}
	bySKU := map[string]Variant{}
	for _, v := range old {
		bySKU[v.SKU] = v
	}
	now := s.now()
	keep := map[int64]bool{}
	p.Variants = p.Variants[:0]
	for i, vi := range in {
		sku := strings.ToUpper(strings.TrimSpace(vi.SKU))
		v, ok := bySKU[sku]
		if !ok {
			v = Variant{ProductID: p.ID, ProducerID: p.ProducerID, SKU: sku, CreatedAt: now}
		}
		v.Name, v.Price, v.Stock, v.WeightGrams, v.Position, v.UpdatedAt = strings.TrimSpace(vi.Name), vi.Price, vi.Stock, vi.WeightGrams, i, now
		if err := tx.Save(&v).Error; err != nil {
			if db.IsDuplicate(err) {
				return &errs.Reasoned{Err: errs.ErrConflict, Reason: "catalog.sku_taken"}
			}
			return err
		}
		keep[v.ID] = true
		p.Variants = append(p.Variants, v)
	}
	for _, v := range old {
		if !keep[v.ID] {
			if err := tx.Delete(&Variant{}, v.ID).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// uniqueSlug returns base, or base-2, base-3 … whichever is free. A
// collision is never an error for the producer.
func uniqueSlug(tx *gorm.DB, base string, exceptID int64) (string, error) {
	if base == "" {
		base = "san-pham"
	}
	if len(base) > 80 {
		base = strings.TrimRight(base[:80], "-")
	}
	var taken []string
	if err := tx.Table("products").Where("(slug = ? OR slug LIKE ?) AND id <> ?", base, base+"-%", exceptID).Pluck("slug", &taken).Error; err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	if !used[base] {
		return base, nil
	}
	for i := 2; ; i++ {
		if c := base + "-" + strconv.Itoa(i); !used[c] {
			return c, nil
		}
	}
}

// skuChars reports whether a SKU uses only letters, digits, '-', '_' and '.'.
func skuChars(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
