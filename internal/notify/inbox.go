package notify

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// PageSize is how many notifications a page of the inbox shows.
const PageSize = 50

// Inbox lists userID's notifications, newest first, limit at most, those
// older than beforeID when it is not zero (the next page).
func (s *Service) Inbox(ctx context.Context, userID, beforeID int64, limit int) ([]Notification, error) {
	q := s.db.WithContext(ctx).Where("user_id = ?", userID)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var out []Notification
	err := q.Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// Unread counts userID's unread notifications: the number on the bell.
func (s *Service) Unread(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// MarkRead marks one of userID's notifications read and returns it.
// Another person's (or an unknown) id is errs.ErrNotFound; marking twice
// is fine.
func (s *Service) MarkRead(ctx context.Context, userID, id int64) (Notification, error) {
	var ns []Notification
	if err := s.db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Limit(1).Find(&ns).Error; err != nil {
		return Notification{}, err
	}
	if len(ns) == 0 {
		return Notification{}, fmt.Errorf("notification %d: %w", id, errs.ErrNotFound)
	}
	n := ns[0]
	if n.ReadAt != nil {
		return n, nil
	}
	now := time.Now().UTC()
	n.ReadAt = &now
	return n, s.db.WithContext(ctx).Model(&Notification{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", now).Error
}

// MarkAllRead marks every notification of userID read and reports how many changed.
func (s *Service) MarkAllRead(ctx context.Context, userID int64) (int64, error) {
	res := s.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).
		Update("read_at", time.Now().UTC())
	return res.RowsAffected, res.Error
}

// Choice is one kind on the preferences page: e-mail on or off.
type Choice struct {
	Kind  Kind `json:"kind"`
	Email bool `json:"email"`
}

// Prefs lists the kinds a person of role receives and whether each comes
// by e-mail.
func (s *Service) Prefs(ctx context.Context, userID int64, role account.Role) ([]Choice, error) {
	var rows []Pref
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, err
	}
	off := map[Kind]bool{}
	for _, r := range rows {
		off[r.Kind] = !r.Email
	}
	var out []Choice
	for _, k := range KindsFor(role) {
		out = append(out, Choice{Kind: k, Email: !off[k]})
	}
	return out, nil
}

// SetPrefs records userID's choices. A kind that a person of role does not
// receive is a validation error on that kind, and nothing is saved.
func (s *Service) SetPrefs(ctx context.Context, userID int64, role account.Role, choices []Choice) error {
	allowed := map[Kind]bool{}
	for _, k := range KindsFor(role) {
		allowed[k] = true
	}
	for _, c := range choices {
		if !allowed[c.Kind] {
			return errs.Invalid("kind", "validation.oneof")
		}
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		for _, c := range choices {
			if err := setPref(ctx, tx, userID, c.Kind, c.Email); err != nil {
				return err
			}
		}
		return nil
	})
}

// setPref writes one choice (an upsert: two tabs saving at once both succeed).
func setPref(ctx context.Context, tx *gorm.DB, userID int64, kind Kind, email bool) error {
	return tx.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "kind"}},
		DoUpdates: clause.AssignmentColumns([]string{"email", "updated_at"}),
	}).Create(&Pref{UserID: userID, Kind: kind, Email: email, UpdatedAt: time.Now().UTC()}).Error
}
