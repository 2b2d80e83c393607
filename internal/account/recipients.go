package account

import (
	"context"

	"gorm.io/gorm"
)

// Contact is what a message to a user needs: where to send it and in which
// language.
type Contact struct {
	ID     int64
	Email  string
	Name   string
	Locale string
}

// ContactsTx returns the contacts of the enabled users among ids, by id,
// inside tx (a notification resolves its recipients in the transaction of
// the change that causes it). Disabled and unknown users are absent.
func ContactsTx(ctx context.Context, tx *gorm.DB, ids []int64) (map[int64]Contact, error) {
	out := make(map[int64]Contact, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Contact
	if err := tx.WithContext(ctx).Model(&User{}).Select("id, email, name, locale").
		Where("id IN ? AND disabled_at IS NULL", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// StaffTx lists the ids of enabled users of role, inside tx: every admin
// (role admin), the central officers (officer, LevelCentral) or one
// province's officers (officer, LevelProvince, its code).
func StaffTx(ctx context.Context, tx *gorm.DB, role Role, level OfficerLevel, province string) ([]int64, error) {
	q := tx.WithContext(ctx).Model(&User{}).Where("role = ? AND disabled_at IS NULL", role)
	if role == RoleOfficer {
		q = q.Where("officer_level = ?", level)
		if level == LevelProvince {
			q = q.Where("officer_province_code = ?", province)
		}
	}
	var ids []int64
	err := q.Order("id").Pluck("id", &ids).Error
	return ids, err
}
