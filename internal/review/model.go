// Package review holds verified-purchase reviews: a shopper whose order
// line was delivered rates the product 1 to 5 stars with a text and up to
// three photos, once per line; the product's producer replies once; an
// admin hides an abusive review, audited with the reason. Hidden reviews
// leave the product page, the cards, the averages and the JSON-LD.
//
// The per-product count and sum of visible ratings (Stats) are written in
// the transaction that creates or hides a review, so a list of cards reads
// its averages by primary key, whatever the number of reviews.
package review

import "time"

// Limits of what a review holds.
const (
	MinRating   = 1
	MaxRating   = 5
	MaxPhotos   = 3
	MaxBodyLen  = 2000 // characters of a review's text
	MaxReplyLen = 1000 // characters of a producer's reply
	MaxReason   = 500  // characters of an admin's reason for hiding
)

// Review is one shopper's review of one delivered order line.
type Review struct {
	ID           int64      `gorm:"primaryKey"`
	Code         string     `gorm:"not null;uniqueIndex"` // public id, in URLs
	ProductID    int64      `gorm:"not null"`
	ProducerID   int64      `gorm:"not null"`
	OrderItemID  int64      `gorm:"not null;uniqueIndex"` // once per line
	UserID       int64      `gorm:"not null"`
	AuthorName   string     `gorm:"not null"`
	ProductName  string     `gorm:"not null"` // as the order line named it
	VariantName  string     `gorm:"not null"`
	Rating       int        `gorm:"not null"`
	Body         string     `gorm:"not null"`
	Reply        string     `gorm:"not null"`
	RepliedAt    *time.Time //
	RepliedBy    *int64     //
	HiddenAt     *time.Time // set once by an admin; a hidden review is shown to no one but admins and its producer
	HiddenReason string     `gorm:"not null"`
	CreatedAt    time.Time  `gorm:"not null"`

	Photos []Photo `gorm:"foreignKey:ReviewID"`
}

// Visible reports whether the public sees the review.
func (r Review) Visible() bool { return r.HiddenAt == nil }

// Photo is a picture of a review, stored by the catalogue's photo pipeline
// (catalog.PhotoService.Store) under Key, served by /media.
type Photo struct {
	ID       int64  `gorm:"primaryKey"`
	ReviewID int64  `gorm:"not null"`
	Key      string `gorm:"not null;uniqueIndex"`
	Width    int    `gorm:"not null"`
	Height   int    `gorm:"not null"`
	Position int    `gorm:"not null"`
}

// TableName is review_photos.
func (Photo) TableName() string { return "review_photos" }

// Stats is a product's count and sum of visible ratings.
type Stats struct {
	ProductID   int64 `gorm:"primaryKey;autoIncrement:false"`
	ReviewCount int64 `gorm:"not null"`
	RatingSum   int64 `gorm:"not null"`
}

// TableName is review_stats.
func (Stats) TableName() string { return "review_stats" }

// Summary is what a product page or card shows of a product's reviews.
type Summary struct {
	Count   int64   `json:"count"`
	Average float64 `json:"average"` // rounded to one decimal; 0 with no review
}

// summaryOf rounds the average of s to one decimal.
func summaryOf(count, sum int64) Summary {
	if count <= 0 {
		return Summary{}
	}
	tenths := (sum*10*2 + count) / (count * 2) // sum/count in tenths, rounded half up
	return Summary{Count: count, Average: float64(tenths) / 10}
}

// Audit is one row of review_audit: who did what to which review, and
// why. The table is append-only and hash-chained (auditlog.go).
type Audit struct {
	ID        int64  `gorm:"primaryKey"`
	ActorID   int64  `gorm:"not null"`
	Action    string `gorm:"not null"`
	Subject   string `gorm:"not null"` // the review's code
	Reason    string `gorm:"not null"`
	Before    string `gorm:"not null"`
	After     string `gorm:"not null"`
	CreatedAt time.Time
	PrevHash  string `gorm:"not null"`
	Hash      string `gorm:"not null"`
}

// TableName is review_audit.
func (Audit) TableName() string { return auditTable }
