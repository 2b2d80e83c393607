// Package producer holds OCOP product owners (chủ thể OCOP): enterprises,
// cooperatives, cooperative groups and household businesses, their members
// and the bank account their payouts go to.
package producer

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Kind is the legal form of a producer.
type Kind string

// The four kinds of OCOP owner.
const (
	KindEnterprise       Kind = "enterprise"
	KindCooperative      Kind = "cooperative"
	KindCooperativeGroup Kind = "cooperative_group"
	KindHousehold        Kind = "household"
)

// Status is where a producer stands with the platform.
type Status string

// Producer statuses. Only approved producers appear in the storefront.
const (
	StatusPending   Status = "pending"
	StatusApproved  Status = "approved"
	StatusSuspended Status = "suspended"
)

// Producer is an OCOP owner. TaxCode is optional: a cooperative group may have none.
type Producer struct {
	ID             int64  `gorm:"primaryKey"`
	Slug           string `gorm:"not null;uniqueIndex"`
	Kind           Kind   `gorm:"not null"`
	LegalName      string `gorm:"not null"`
	NameFolded     string `gorm:"not null"`
	TaxCode        *string
	RegistrationNo string
	Representative string
	ProvinceCode   string `gorm:"not null"`
	CommuneCode    string `gorm:"not null"`
	Street         string
	Phone          string
	Email          string
	Story          string
	BankBIN        string `gorm:"column:bank_bin"`
	BankAccount    string
	BankHolder     string
	Status         Status `gorm:"not null"`
	IsDemo         bool
	ApprovedAt     *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Member links a user to the producer they act for. A user belongs to at most one producer.
type Member struct {
	ID         int64  `gorm:"primaryKey"`
	ProducerID int64  `gorm:"not null"`
	UserID     int64  `gorm:"not null;uniqueIndex"`
	Role       string `gorm:"not null"`
	CreatedAt  time.Time
}

// TableName is producer_members.
func (Member) TableName() string { return "producer_members" }

// Store reads and writes producers.
type Store struct{ db *gorm.DB }

// NewStore returns a Store on g.
func NewStore(g *gorm.DB) *Store { return &Store{db: g} }

// BySlug returns the producer with slug, or errs.ErrNotFound.
func (s *Store) BySlug(ctx context.Context, slug string) (Producer, error) {
	var p Producer
	err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&p).Error
	if db.IsNotFound(err) {
		return p, fmt.Errorf("producer %q: %w", slug, errs.ErrNotFound)
	}
	return p, err
}

// ByID returns the producer with id, or errs.ErrNotFound.
func (s *Store) ByID(ctx context.Context, id int64) (Producer, error) {
	var p Producer
	err := s.db.WithContext(ctx).Take(&p, id).Error
	if db.IsNotFound(err) {
		return p, fmt.Errorf("producer %d: %w", id, errs.ErrNotFound)
	}
	return p, err
}

// OfUser returns the producer userID is a member of, or errs.ErrNotFound.
func (s *Store) OfUser(ctx context.Context, userID int64) (Producer, error) {
	var p Producer
	err := s.db.WithContext(ctx).
		Joins("JOIN producer_members m ON m.producer_id = producers.id").
		Where("m.user_id = ?", userID).Take(&p).Error
	if db.IsNotFound(err) {
		return p, fmt.Errorf("producer of user %d: %w", userID, errs.ErrNotFound)
	}
	return p, err
}

// Approved lists approved producers, optionally in one province, by name.
func (s *Store) Approved(ctx context.Context, provinceCode string, limit int) ([]Producer, error) {
	q := s.db.WithContext(ctx).Where("status = ?", StatusApproved)
	if provinceCode != "" {
		q = q.Where("province_code = ?", provinceCode)
	}
	var out []Producer
	err := q.Order("name_folded").Limit(limit).Find(&out).Error
	return out, err
}

// Create inserts p. A taken slug or tax code is errs.ErrConflict.
func (s *Store) Create(ctx context.Context, p *Producer) error {
	err := s.db.WithContext(ctx).Create(p).Error
	if db.IsDuplicate(err) {
		return &errs.Reasoned{Err: errs.ErrConflict, Reason: "producer.duplicate"}
	}
	return err
}

// AddMember makes userID a member of producerID.
func (s *Store) AddMember(ctx context.Context, producerID, userID int64, role string) error {
	err := s.db.WithContext(ctx).Create(&Member{ProducerID: producerID, UserID: userID, Role: role, CreatedAt: time.Now().UTC()}).Error
	if db.IsDuplicate(err) {
		return &errs.Reasoned{Err: errs.ErrConflict, Reason: "producer.member_exists"}
	}
	return err
}

// SetStatus moves a producer from one status to another by compare-and-set,
// so two admins acting at once cannot both apply. A stale from is errs.ErrConflict.
func (s *Store) SetStatus(ctx context.Context, id int64, from, to Status) error {
	upd := map[string]any{"status": to, "updated_at": time.Now().UTC()}
	if to == StatusApproved {
		upd["approved_at"] = time.Now().UTC()
	}
	res := s.db.WithContext(ctx).Model(&Producer{}).Where("id = ? AND status = ?", id, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("producer %d is not %s: %w", id, from, errs.ErrConflict)
	}
	return nil
}
