// Package catalog holds what producers sell: the Decision 148 product-group
// tree, products and their variants (SKU, price, stock).
package catalog

import "time"

// Group is a node of the Decision 148 Appendix I tree, with stable codes
// such as "I", "I.3" and "I.3.c".
type Group struct {
	ID         int64  `gorm:"primaryKey"`
	Code       string `gorm:"not null;uniqueIndex"`
	ParentCode *string
	Level      int    `gorm:"not null"`
	Name       string `gorm:"not null"`
	NameEn     string `gorm:"not null"`
	IsService  bool   // group VI: booked or bought as vouchers, never shipped
	AdultOnly  bool   // group II.1: alcohol
	Position   int
}

// TableName is product_groups.
func (Group) TableName() string { return "product_groups" }

// ProductStatus is a listing's life cycle.
type ProductStatus string

// Product statuses. Only published products of approved producers are shown.
const (
	StatusDraft       ProductStatus = "draft"
	StatusPublished   ProductStatus = "published"
	StatusUnpublished ProductStatus = "unpublished"
	StatusArchived    ProductStatus = "archived"
)

// Product is one listing of a producer. Its OCOP stars are never stored
// here: they come from the registry's certificates.
type Product struct {
	ID                int64  `gorm:"primaryKey"`
	ProducerID        int64  `gorm:"not null"`
	Slug              string `gorm:"not null;uniqueIndex"`
	Name              string `gorm:"not null"`
	NameEn            string
	Description       string
	DescriptionEn     string
	Story             string
	StoryEn           string
	GroupCode         string `gorm:"not null"`
	OriginCommuneCode *string
	Unit              string
	IsService         bool
	AdultOnly         bool
	Status            ProductStatus `gorm:"not null"`
	SearchText        string        // folded name, producer and place, for diacritic-insensitive search
	MinPrice          int64         // lowest variant price in đồng, kept by the catalog for price filters and sorts
	CoverKey          string        // blob key prefix of the first photo, "" when there is none
	PublishedAt       *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time

	Variants []Variant `gorm:"foreignKey:ProductID"`
}

// Variant is a sellable unit of a product (e.g. a 500 g box), with its own
// SKU, price in đồng and stock. ProducerID is repeated from the product so
// that SKUs are unique per producer by a plain constraint.
type Variant struct {
	ID          int64  `gorm:"primaryKey"`
	ProductID   int64  `gorm:"not null"`
	ProducerID  int64  `gorm:"not null"`
	SKU         string `gorm:"column:sku;not null"`
	Name        string `gorm:"not null"`
	Price       int64  `gorm:"not null"` // đồng
	Stock       int64  `gorm:"not null"`
	WeightGrams int
	Position    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Photo is an uploaded picture of a product (ProductID set) or of a
// producer's profile (ProductID nil). Key is the blob key prefix; the
// stored files are Key+"-card.jpg" and Key+"-page.jpg" (see PhotoSizes).
type Photo struct {
	ID         int64  `gorm:"primaryKey"`
	ProducerID int64  `gorm:"not null"`
	ProductID  *int64 `gorm:"index"`
	Key        string `gorm:"not null;uniqueIndex"`
	Width      int    `gorm:"not null"`
	Height     int    `gorm:"not null"`
	Position   int
	CreatedAt  time.Time
}
