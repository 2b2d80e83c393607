package registry

import (
	"context"

	"github.com/chocop/ocop/internal/platform/day"
)

// Verification is what the public sees for a certificate code on a day.
type Verification struct {
	Certificate  Certificate
	Status       CertStatus
	StatusSince  day.Date // when it stopped being valid (expired, revoked, superseded), else zero
	Producer     string
	Commune      string
	Province     string
	NewerCode    string // the certificate that superseded this one, if any
	NewerStars   int
	RevokeReason string
	Import       *ImportInfo // set when the certificate was recorded from a paper decision
}

// Verify looks up code for the public. An unknown or malformed code is
// ErrNotFound and says nothing about near matches.
func (s *Service) Verify(ctx context.Context, code string) (Verification, error) {
	c, err := s.CertificateByCode(ctx, code)
	if err != nil {
		return Verification{}, err
	}
	today := s.today()
	v := Verification{Certificate: c, Status: c.StatusOn(today), Producer: c.OwnerName}
	switch v.Status {
	case CertExpired:
		v.StatusSince = c.ValidUntil.AddDays(1)
	case CertRevoked:
		v.StatusSince, v.RevokeReason = c.RevokedOn, c.RevocationReason
	case CertSuperseded:
		v.StatusSince = c.SupersededOn
	}
	if c.SupersededByID != nil {
		if n, err := s.CertificateByID(ctx, *c.SupersededByID); err == nil {
			v.NewerCode, v.NewerStars = n.Code, n.Stars
		}
	}
	if v.Import, err = s.importInfo(ctx, c); err != nil {
		return v, err
	}
	g := s.db.WithContext(ctx)
	if c.CommuneCode != nil {
		g.Table("communes").Select("full_name").Where("code = ?", *c.CommuneCode).Scan(&v.Commune)
	}
	g.Table("provinces").Select("full_name").Where("code = ?", c.ProvinceCode).Scan(&v.Province)
	return v, nil
}
