package registry

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// NationalRecord is a certificate in the shape of the national OCOP
// registry's public product record (ocopvietnam.gov.vn).
type NationalRecord struct {
	Name              string       `json:"name"`
	Star              int          `json:"star"`
	Description       string       `json:"description"`
	Manufacturer      Manufacturer `json:"manufacturer"`
	CertificateNumber string       `json:"certificate_number"`
	IssuedOn          string       `json:"issued_on"`
	ExpiryDate        string       `json:"expiry_date"`
}

// Manufacturer is the product owner in a NationalRecord.
type Manufacturer struct {
	Name           string `json:"name"`
	Representative string `json:"representative"`
	Address        string `json:"address"`
	PhoneNumber    string `json:"phone_number"`
	Email          string `json:"email"`
}

// Export returns the certificates of a province in the national registry's
// shape. Provincial officers export their own province; central officers any.
// Imports awaiting a second officer are left out: the shape has no status.
func (s *Service) Export(ctx context.Context, actor *account.User, province string) ([]NationalRecord, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return nil, errs.ErrForbidden
	}
	if !actor.IsCentralOfficer() && !actor.OfficerOf(province) {
		return nil, s.refuse(ctx, actor, "certificate.export", nil, nil, reasoned(errs.ErrForbidden, "registry.err.outside_scope"))
	}
	type row struct {
		Certificate
		Representative, Phone, Email string
		Description                  *string
	}
	var rows []row
	err := s.db.WithContext(ctx).Table("certificates").
		Select("certificates.*, producers.representative, producers.phone, producers.email, products.description").
		Joins("JOIN producers ON producers.id = certificates.producer_id").
		Joins("LEFT JOIN products ON products.id = certificates.product_id").
		Where("certificates.province_code = ? AND certificates.import_pending = ?", province, false).Order("certificates.id").Limit(20000).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]NationalRecord, 0, len(rows))
	for _, r := range rows {
		desc := ""
		if r.Description != nil {
			desc = *r.Description
		}
		out = append(out, NationalRecord{Name: r.ProductName, Star: r.Stars, Description: desc,
			Manufacturer:      Manufacturer{Name: r.OwnerName, Representative: r.Representative, Address: r.OwnerAddress, PhoneNumber: r.Phone, Email: r.Email},
			CertificateNumber: r.Number, IssuedOn: r.DecisionDate.String(), ExpiryDate: r.ValidUntil.String()})
	}
	return out, s.AuditCertificateExport(ctx, actor, map[string]string{"province": province}, len(out))
}

// WriteCSV writes records as CSV with a header row, the same fields as the JSON.
func WriteCSV(w io.Writer, recs []NationalRecord) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "star", "description", "manufacturer_name", "manufacturer_representative", "manufacturer_address",
		"manufacturer_phone_number", "manufacturer_email", "certificate_number", "issued_on", "expiry_date"}); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write([]string{r.Name, strconv.Itoa(r.Star), r.Description, r.Manufacturer.Name, r.Manufacturer.Representative,
			r.Manufacturer.Address, r.Manufacturer.PhoneNumber, r.Manufacturer.Email, r.CertificateNumber, r.IssuedOn, r.ExpiryDate}); err != nil {
			return err // the client went away: stop writing
		}
	}
	cw.Flush()
	return cw.Error()
}
