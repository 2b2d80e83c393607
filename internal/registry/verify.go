package registry

import (
	"context"
	"errors"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
)

// ExpiringSoonDays is how close to its last valid day a certificate is
// shown as expiring soon, on the verify page and in the portal.
const ExpiringSoonDays = 90

// maxChain bounds the walk to the newest certificate of a chain: a product
// renewed every three years since 2018 has a handful, so a longer chain
// means bad data, and the walk stops rather than loop.
const maxChain = 32

// Verification is what the public sees for a certificate code on a day.
type Verification struct {
	Certificate  Certificate
	Status       CertStatus
	StatusSince  day.Date // when it stopped being valid (expired, revoked, superseded), else zero
	ExpiresSoon  bool     // valid, and its last valid day is within ExpiringSoonDays
	DaysLeft     int      // days from today to the last valid day (negative once expired)
	Producer     string
	Commune      string
	Province     string
	NewerCode    string // the certificate that directly replaced this one, if any
	NewerStars   int
	RevokeReason string
	// Latest is the newest certificate of the chain this one starts (each
	// renewal or upgrade links to the next), with its own status: a
	// certificate that expired before its renewal still points to the
	// renewal, and a successor that was itself revoked says so. Nil when
	// nothing replaced this certificate.
	Latest       *Certificate
	LatestStatus CertStatus
	LatestSince  day.Date    // when Latest stopped being valid, else zero
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
	v := Verification{Certificate: c, Status: c.StatusOn(today), Producer: c.OwnerName, DaysLeft: today.DaysUntil(c.ValidUntil)}
	v.StatusSince = sinceOf(c, v.Status)
	if v.Status == CertRevoked {
		v.RevokeReason = c.RevocationReason
	}
	v.ExpiresSoon = v.Status == CertActive && v.DaysLeft <= ExpiringSoonDays
	if c.SupersededByID != nil {
		latest, next, err := s.newestInChain(ctx, c)
		if err != nil {
			return v, err
		}
		if next.ID != 0 {
			v.NewerCode, v.NewerStars = next.Code, next.Stars
			v.Latest, v.LatestStatus = &latest, latest.StatusOn(today)
			v.LatestSince = sinceOf(latest, v.LatestStatus)
		}
	}
	if v.Import, err = s.importInfo(ctx, c); err != nil {
		return v, err
	}
	// A place the region area does not know leaves its name out: the
	// certificate is still what the public asked about. A failed read is
	// an error, never a page that silently lacks the place.
	if c.CommuneCode != nil {
		cm, err := s.regions.Commune(ctx, *c.CommuneCode)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return v, err
		}
		v.Commune = cm.FullName
	}
	pr, err := s.regions.Province(ctx, c.ProvinceCode)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return v, err
	}
	v.Province = pr.FullName
	return v, nil
}

// sinceOf is the day c entered status st when st means "no longer valid".
func sinceOf(c Certificate, st CertStatus) day.Date {
	switch st {
	case CertExpired:
		return c.ValidUntil.AddDays(1)
	case CertRevoked:
		return c.RevokedOn
	case CertSuperseded:
		return c.SupersededOn
	}
	return day.Date{}
}

// newestInChain follows the successor links from c and returns the last
// certificate and the first one after c.
func (s *Service) newestInChain(ctx context.Context, c Certificate) (latest, next Certificate, err error) {
	seen := map[int64]bool{c.ID: true}
	cur := c
	for i := 0; i < maxChain && cur.SupersededByID != nil && !seen[*cur.SupersededByID]; i++ {
		n, err := s.CertificateByID(ctx, *cur.SupersededByID)
		if errors.Is(err, errs.ErrNotFound) {
			break
		}
		if err != nil {
			return latest, next, err
		}
		if i == 0 {
			next = n
		}
		seen[n.ID] = true
		cur = n
	}
	return cur, next, nil
}
