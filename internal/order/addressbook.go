package order

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
)

// SavedAddress is one entry of a shopper's address book. Code is what
// URLs show; one entry at most is the default the checkout starts from.
type SavedAddress struct {
	ID            int64     `gorm:"primaryKey" json:"-"`
	Code          string    `gorm:"not null;uniqueIndex" json:"code"`
	UserID        int64     `gorm:"not null" json:"-"`
	RecipientName string    `gorm:"not null" json:"recipient_name"`
	Phone         string    `gorm:"not null" json:"phone"`
	ProvinceCode  string    `gorm:"not null" json:"province_code"`
	CommuneCode   string    `gorm:"not null" json:"commune_code"`
	Street        string    `gorm:"not null" json:"street"`
	IsDefault     bool      `gorm:"not null" json:"is_default"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// TableName is shopper_addresses.
func (SavedAddress) TableName() string { return "shopper_addresses" }

// Address is the saved entry as a delivery address (no note: a note is per order).
func (a SavedAddress) Address() Address {
	return Address{RecipientName: a.RecipientName, Phone: a.Phone, ProvinceCode: a.ProvinceCode, CommuneCode: a.CommuneCode, Street: a.Street}
}

// MaxSavedAddresses bounds one shopper's address book, so a script cannot
// fill the table through one account.
const MaxSavedAddresses = 20

// Address field bounds, the same at checkout and in the address book.
const (
	maxRecipient = 120
	maxStreet    = 200
	maxNote      = 500
)

// vnPhone is a Vietnamese mobile number once spaces, dots and dashes are
// gone (the same rule as the checkout form's vnphone).
var vnPhone = regexp.MustCompile(`^(\+84|0)(3|5|7|8|9)[0-9]{8}$`)

// CheckAddress validates a delivery address and returns it cleaned up: text
// trimmed, the phone without separators, the commune a current one of the
// province. Every problem is reported at once, by field, in tx (the
// caller's transaction, or the service's handle).
func CheckAddress(ctx context.Context, tx *gorm.DB, a Address) (Address, error) {
	a.RecipientName, a.Street, a.Note = strings.TrimSpace(a.RecipientName), strings.TrimSpace(a.Street), strings.TrimSpace(a.Note)
	a.Phone = strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(a.Phone))
	a.ProvinceCode, a.CommuneCode = strings.TrimSpace(a.ProvinceCode), strings.TrimSpace(a.CommuneCode)
	var fields []errs.FieldError
	add := func(field, msg string) { fields = append(fields, errs.FieldError{Field: field, Message: msg}) }
	text := func(field, v string, required bool, max int) {
		switch {
		case v == "" && required:
			add(field, "validation.required")
		case !printable(v):
			add(field, "validation.text")
		case utf8.RuneCountInString(v) > max:
			add(field, "validation.max")
		}
	}
	text("recipient_name", a.RecipientName, true, maxRecipient)
	text("street", a.Street, true, maxStreet)
	text("note", a.Note, false, maxNote)
	if a.Phone == "" {
		add("phone", "validation.required")
	} else if !vnPhone.MatchString(a.Phone) {
		add("phone", "validation.vnphone")
	}
	if a.ProvinceCode == "" {
		add("province_code", "validation.required")
	}
	if a.CommuneCode == "" {
		add("commune_code", "validation.required")
	} else if a.ProvinceCode != "" {
		if len(a.CommuneCode) > 10 || len(a.ProvinceCode) > 2 || !printable(a.CommuneCode+a.ProvinceCode) {
			add("commune_code", "checkout.unknown_commune")
		} else if _, err := region.NewStore(tx).CurrentCommune(ctx, a.CommuneCode, a.ProvinceCode); errors.Is(err, errs.ErrNotFound) {
			add("commune_code", "checkout.unknown_commune")
		} else if err != nil {
			return a, err
		}
	}
	if fields != nil {
		return a, &errs.ValidationError{Fields: fields}
	}
	return a, nil
}

// Addresses lists the user's address book, the default first, then newest first.
func (s *Service) Addresses(ctx context.Context, userID int64) ([]SavedAddress, error) {
	var out []SavedAddress
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("is_default DESC, id DESC").Find(&out).Error
	return out, err
}

// SavedAddressByCode is one of the user's saved addresses; another
// shopper's (or an unknown code) is errs.ErrNotFound.
func (s *Service) SavedAddressByCode(ctx context.Context, userID int64, code string) (SavedAddress, error) {
	return savedAddress(ctx, s.db, userID, code)
}

func savedAddress(ctx context.Context, tx *gorm.DB, userID int64, code string) (SavedAddress, error) {
	var a SavedAddress
	err := tx.WithContext(ctx).Where("code = ? AND user_id = ?", code, userID).Take(&a).Error
	if db.IsNotFound(err) {
		return a, fmt.Errorf("saved address %q: %w", code, errs.ErrNotFound)
	}
	return a, err
}

// DefaultAddress is the user's default saved address; ok is false when the
// address book is empty.
func (s *Service) DefaultAddress(ctx context.Context, userID int64) (SavedAddress, bool, error) {
	var out []SavedAddress
	err := s.db.WithContext(ctx).Where("user_id = ? AND is_default = ?", userID, true).Limit(1).Find(&out).Error
	if err != nil || len(out) == 0 {
		return SavedAddress{}, false, err
	}
	return out[0], true, nil
}

// LastRecipient is the recipient name and phone of the user's most recent
// order group ("", "" when none): the checkout's start when the address
// book is empty, since an account holds no phone of its own.
func (s *Service) LastRecipient(ctx context.Context, userID int64) (name, phone string, err error) {
	var gs []Group
	err = s.db.WithContext(ctx).Select("recipient_name, phone").Where("user_id = ?", userID).Order("id DESC").Limit(1).Find(&gs).Error
	if err != nil || len(gs) == 0 {
		return "", "", err
	}
	return gs[0].RecipientName, gs[0].Phone, nil
}

// SaveAddress adds a (code "") or changes an entry of the user's address
// book. makeDefault makes it the default; the first entry is the default
// whatever is asked. More than MaxSavedAddresses is a 409.
func (s *Service) SaveAddress(ctx context.Context, userID int64, code string, a Address, makeDefault bool) (SavedAddress, error) {
	var out SavedAddress
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		out, err = saveAddress(ctx, tx, userID, code, a, makeDefault)
		return err
	})
	return out, err
}

// saveAddress is SaveAddress in tx (the checkout's "save this address" runs
// it inside the checkout's own transaction).
func saveAddress(ctx context.Context, tx *gorm.DB, userID int64, code string, a Address, makeDefault bool) (SavedAddress, error) {
	a, err := CheckAddress(ctx, tx, a)
	if err != nil {
		return SavedAddress{}, err
	}
	if err := lockAddressBook(ctx, tx, userID); err != nil {
		return SavedAddress{}, err
	}
	now := time.Now().UTC()
	var sa SavedAddress
	if code != "" {
		if sa, err = savedAddress(ctx, tx, userID, code); err != nil {
			return sa, err
		}
		sa.RecipientName, sa.Phone, sa.ProvinceCode, sa.CommuneCode, sa.Street, sa.UpdatedAt =
			a.RecipientName, a.Phone, a.ProvinceCode, a.CommuneCode, a.Street, now
		if err := tx.WithContext(ctx).Model(&SavedAddress{}).Where("id = ?", sa.ID).Updates(map[string]any{
			"recipient_name": sa.RecipientName, "phone": sa.Phone, "province_code": sa.ProvinceCode,
			"commune_code": sa.CommuneCode, "street": sa.Street, "updated_at": now}).Error; err != nil {
			return sa, err
		}
	} else {
		var n int64
		if err := tx.WithContext(ctx).Model(&SavedAddress{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
			return sa, err
		}
		if n >= MaxSavedAddresses {
			return sa, &errs.Reasoned{Err: errs.ErrConflict, Reason: "address.limit", Data: map[string]any{"Max": MaxSavedAddresses}}
		}
		makeDefault = makeDefault || n == 0
		sa = SavedAddress{Code: NewCode("AD", 8), UserID: userID, RecipientName: a.RecipientName, Phone: a.Phone,
			ProvinceCode: a.ProvinceCode, CommuneCode: a.CommuneCode, Street: a.Street, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&sa).Error; err != nil {
			return sa, err
		}
	}
	if makeDefault && !sa.IsDefault {
		if err := setDefault(ctx, tx, userID, sa.ID); err != nil {
			return sa, err
		}
		sa.IsDefault = true
	}
	return sa, nil
}

// lockAddressBook makes two writes to one shopper's address book take
// turns, so that two racing additions cannot both pass the limit nor leave
// two defaults. PostgreSQL: a transaction-scoped advisory lock keyed by
// the user; SQLite: every writing transaction is already the only writer.
func lockAddressBook(ctx context.Context, tx *gorm.DB, userID int64) error {
	if db.DialectOf(tx) != db.Postgres {
		return nil
	}
	// User ids fit the 32-bit key for the life of this schema; a collision
	// would only make two shoppers' address books take turns.
	return tx.WithContext(ctx).Exec("SELECT pg_advisory_xact_lock(?, ?)", addressLockSpace, int32(userID)).Error
}

// addressLockSpace is the first key of the address book's advisory locks
// (payment's payouts use 7001).
const addressLockSpace = 7002

// setDefault makes id the user's only default, clearing the old one first
// (the partial unique index allows one default per user at any moment).
func setDefault(ctx context.Context, tx *gorm.DB, userID, id int64) error {
	if err := tx.WithContext(ctx).Model(&SavedAddress{}).Where("user_id = ? AND is_default = ? AND id <> ?", userID, true, id).
		Update("is_default", false).Error; err != nil {
		return err
	}
	return tx.WithContext(ctx).Model(&SavedAddress{}).Where("id = ? AND user_id = ?", id, userID).Update("is_default", true).Error
}

// SetDefaultAddress makes one of the user's saved addresses the default.
func (s *Service) SetDefaultAddress(ctx context.Context, userID int64, code string) (SavedAddress, error) {
	var sa SavedAddress
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := lockAddressBook(ctx, tx, userID); err != nil {
			return err
		}
		var err error
		if sa, err = savedAddress(ctx, tx, userID, code); err != nil {
			return err
		}
		sa.IsDefault = true
		return setDefault(ctx, tx, userID, sa.ID)
	})
	return sa, err
}

// DeleteAddress removes one of the user's saved addresses. When it was the
// default, the newest remaining one becomes the default, so a shopper with
// saved addresses always has one prefilled.
func (s *Service) DeleteAddress(ctx context.Context, userID int64, code string) error {
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := lockAddressBook(ctx, tx, userID); err != nil {
			return err
		}
		sa, err := savedAddress(ctx, tx, userID, code)
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Delete(&SavedAddress{}, sa.ID).Error; err != nil {
			return err
		}
		if !sa.IsDefault {
			return nil
		}
		var next []SavedAddress
		if err := tx.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(1).Find(&next).Error; err != nil || len(next) == 0 {
			return err
		}
		return setDefault(ctx, tx, userID, next[0].ID)
	})
}

// rememberAddress saves a checkout's address in the user's address book,
// inside the checkout's transaction, unless the same address is there
// already (then nothing changes).
func rememberAddress(ctx context.Context, tx *gorm.DB, userID int64, a Address) error {
	var n int64
	if err := tx.WithContext(ctx).Model(&SavedAddress{}).Where(
		"user_id = ? AND recipient_name = ? AND phone = ? AND province_code = ? AND commune_code = ? AND street = ?",
		userID, a.RecipientName, a.Phone, a.ProvinceCode, a.CommuneCode, a.Street).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	_, err := saveAddress(ctx, tx, userID, "", a, false)
	return err
}
