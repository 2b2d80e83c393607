// Package registry is the OCOP certification registry: applications, score
// sheets, recognition decisions, certificates, public verification and the
// audit log.
package registry

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
)

// ValidityMonths is how long a certificate is valid from its decision date
// (Decision 148: 36 months).
const ValidityMonths = 36

// AuthorityLevel is who recognised a certificate.
type AuthorityLevel string

// Authority levels. District certificates (02/2023 to 06/2025) keep the level that issued them.
const (
	AuthorityCentral  AuthorityLevel = "central"
	AuthorityProvince AuthorityLevel = "province"
	AuthorityDistrict AuthorityLevel = "district"
)

// CertStatus is a certificate's standing on a given day. It is derived, never stored.
type CertStatus string

// Certificate statuses.
const (
	CertActive     CertStatus = "active"
	CertExpired    CertStatus = "expired"
	CertRevoked    CertStatus = "revoked"
	CertSuperseded CertStatus = "superseded"
	// CertPending: not valid yet. Either the decision is dated after the day
	// asked, or the certificate was imported from a paper record and no second
	// officer has confirmed it against the scanned original yet.
	CertPending CertStatus = "pending"
)

// Certificate records one recognition decision for one product.
type Certificate struct {
	ID                 int64  `gorm:"primaryKey"`
	Code               string `gorm:"not null;uniqueIndex"` // public verify code printed as a QR on packages
	Number             string `gorm:"not null"`             // opaque; unique per issuing authority (on NumberKey)
	NumberKey          string // NumberKey(Number), set on create
	AuthorityID        int64  // the authority whose number space this is; set on create from level and province when zero
	AuthorityLevel     AuthorityLevel
	AuthorityName      string // the issuer as printed: the authority's name at issue, or a former district's
	DecisionNo         string
	DecisionDate       day.Date
	Signatory          string
	ProducerID         int64
	ProductID          *int64
	ProductName        string
	GroupCode          string
	OwnerName          string
	OwnerAddress       string // the address as written at issue: pre-2025 certificates name old districts
	ProvinceCode       string
	CommuneCode        *string
	Stars              int
	Score              float64
	CriteriaVersion    string
	ValidFrom          day.Date
	ValidUntil         day.Date // last valid day, inclusive
	RevokedOn          day.Date
	RevocationDecision string
	RevocationReason   string
	SupersededByID     *int64
	SupersededOn       day.Date
	ImportPending      bool // imported from paper, not yet confirmed by a second officer: not a badge
	IsDemo             bool
	SearchFolded       string // folded product, owner and number, for diacritic-insensitive search
	CreatedAt          time.Time
}

// ValidUntilFor is the last valid day of a certificate decided on from:
// 36 calendar months later, less one day.
func ValidUntilFor(from day.Date) day.Date { return from.AddMonths(ValidityMonths).AddDays(-1) }

// BeforeCreate fills what every certificate row must carry however it is
// written (decision, import, seed or test): the normalised number and its
// key, and the authority it belongs to, from its level and province. So no
// path can store a number outside its authority's number space.
func (c *Certificate) BeforeCreate(tx *gorm.DB) error {
	c.Number = NormalizeNumber(c.Number)
	c.NumberKey = NumberKey(c.Number)
	if c.AuthorityID == 0 {
		a, err := authorityFor(tx.Session(&gorm.Session{NewDB: true}), c.AuthorityLevel, c.ProvinceCode)
		if err != nil {
			return fmt.Errorf("registry: no authority for a %s certificate of province %q: %w", c.AuthorityLevel, c.ProvinceCode, err)
		}
		c.AuthorityID = a.ID
		if c.AuthorityName == "" {
			c.AuthorityName = a.Name
		}
	}
	return nil
}

// StatusOn derives the certificate's status on d.
func (c Certificate) StatusOn(d day.Date) CertStatus {
	switch {
	case c.ImportPending:
		return CertPending
	case !c.RevokedOn.IsZero() && !d.Before(c.RevokedOn):
		return CertRevoked
	case !c.SupersededOn.IsZero() && !d.Before(c.SupersededOn):
		return CertSuperseded
	case d.Before(c.ValidFrom):
		return CertPending
	case d.After(c.ValidUntil):
		return CertExpired
	}
	return CertActive
}

// ValidOn reports whether the certificate lets its product carry the OCOP mark on d.
func (c Certificate) ValidOn(d day.Date) bool { return c.StatusOn(d) == CertActive }

// ActiveSQL is StatusOn(d) == CertActive written as an SQL condition on the
// certificates table (alias "" or a table alias such as "c"), with its
// arguments. Queries narrow with it; StatusOn stays the definition, and a
// test holds the two to the same answers.
func ActiveSQL(alias string, d day.Date) (string, []any) {
	p := ""
	if alias != "" {
		p = alias + "."
	}
	cond := p + "import_pending = ? AND " + p + "valid_from <= ? AND " + p + "valid_until >= ? AND (" + p + "revoked_on IS NULL OR " + p + "revoked_on > ?) AND (" +
		p + "superseded_on IS NULL OR " + p + "superseded_on > ?)"
	return cond, []any{false, d, d, d, d}
}
