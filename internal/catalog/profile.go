package catalog

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

// ProfileInput is what a producer keeps about themselves in the portal.
// Legal name, kind and tax code are set at approval and are not edited here.
type ProfileInput struct {
	Story       string `json:"story" form:"story" validate:"max=10000"`
	Street      string `json:"street" form:"street" validate:"max=200"`
	CommuneCode string `json:"commune_code" form:"commune_code" validate:"required,max=16"`
	Phone       string `json:"phone" form:"phone" validate:"omitempty,vnphone"`
	Email       string `json:"email" form:"email" validate:"omitempty,email,max=200"`
	BankBIN     string `json:"bank_bin" form:"bank_bin" validate:"max=6"`
	BankAccount string `json:"bank_account" form:"bank_account" validate:"max=19"`
	BankHolder  string `json:"bank_holder" form:"bank_holder" validate:"max=100"`
}

// UpdateProfile saves producerID's profile. The commune decides the
// province; the bank must be one of the seeded NAPAS banks, and the
// holder's name is kept in upper-case ASCII, as VietQR and banks show it.
func (s *Service) UpdateProfile(ctx context.Context, producerID int64, in ProfileInput) (producer.Producer, error) {
	var p producer.Producer
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		producers, regions := producer.NewStore(tx), region.NewStore(tx)
		if _, err := producers.ByID(ctx, producerID); err != nil {
			return err
		}
		var fields []errs.FieldError
		cm, err := regions.CurrentCommune(ctx, in.CommuneCode, "")
		if errors.Is(err, errs.ErrNotFound) {
			fields = append(fields, errs.FieldError{Field: "commune_code", Message: "validation.oneof"})
		} else if err != nil {
			return err
		}
		if in.BankBIN != "" {
			_, err := regions.Bank(ctx, in.BankBIN)
			if errors.Is(err, errs.ErrNotFound) {
				fields = append(fields, errs.FieldError{Field: "bank_bin", Message: "validation.oneof"})
			} else if err != nil {
				return err
			}
		}
		if in.BankBIN != "" && !digits(in.BankAccount, 6, 19) {
			fields = append(fields, errs.FieldError{Field: "bank_account", Message: "catalog.bank_account"})
		}
		if in.BankBIN != "" && strings.TrimSpace(in.BankHolder) == "" {
			fields = append(fields, errs.FieldError{Field: "bank_holder", Message: "validation.required"})
		}
		if len(fields) > 0 {
			return &errs.ValidationError{Fields: fields}
		}
		p, err = producers.SaveProfile(ctx, producerID, producer.Profile{
			Story: in.Story, Street: strings.TrimSpace(in.Street), CommuneCode: in.CommuneCode, ProvinceCode: cm.ProvinceCode,
			Phone: strings.TrimSpace(in.Phone), Email: strings.TrimSpace(in.Email),
			BankBIN: in.BankBIN, BankAccount: in.BankAccount, BankHolder: strings.ToUpper(text.ASCII(strings.TrimSpace(in.BankHolder))),
		})
		return err
	})
	return p, err
}

// digits reports whether s is between lo and hi ASCII digits.
func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
