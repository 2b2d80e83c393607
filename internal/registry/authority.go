package registry

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
)

// Authority is a body that recognises OCOP products: the Ministry (central)
// or a provincial People's Committee. Certificate numbers are unique per
// authority. A district certificate (02/2023 to 06/2025) belongs to its
// province's authority with the level "district": the districts were
// abolished and their records passed to the province, and the certificate
// keeps the district's name as printed in its AuthorityName.
type Authority struct {
	ID           int64          `gorm:"primaryKey"`
	Level        AuthorityLevel // central or province
	ProvinceCode *string        // nil for the central authority
	Name         string         // official name, e.g. "UBND tỉnh Lạng Sơn"
	// GoLiveOn is the day the province started recording decisions in the
	// registry; a historic import must be dated before it. Zero: not set.
	GoLiveOn  day.Date
	UpdatedAt time.Time
}

// TableName is the registry's table of issuing authorities.
func (Authority) TableName() string { return "registry_authorities" }

// Key is the authority's public key in URLs: its province code, or "central".
func (a Authority) Key() string {
	if a.ProvinceCode == nil {
		return "central"
	}
	return *a.ProvinceCode
}

// ProvinceAuthorityName is the official name of a province's People's
// Committee from the province's full name: "Tỉnh Lạng Sơn" gives
// "UBND tỉnh Lạng Sơn", "Thành phố Hà Nội" gives "UBND thành phố Hà Nội".
func ProvinceAuthorityName(fullName string) string {
	r, n := utf8.DecodeRuneInString(fullName)
	if r == utf8.RuneError {
		return "UBND " + fullName
	}
	return "UBND " + string(unicode.ToLower(r)) + fullName[n:]
}

// NormalizeNumber is a certificate number as stored: trimmed, each run of
// whitespace one space.
func NormalizeNumber(s string) string { return strings.Join(strings.Fields(s), " ") }

// NumberKey is what certificate numbers are unique on within an authority:
// the normalised number with ASCII letters and "đ" upper-cased, so that
// "12/qđ-ubnd" and "12/QĐ-UBND " are one number. Migration 00040 computes
// the same key in SQL for the rows it found.
func NumberKey(s string) string {
	s = NormalizeNumber(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r == 'đ':
			r = 'Đ'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// EnsureAuthorities adds the central authority and one authority per
// province that has none, named from the province. Rows that exist are
// left alone (an admin may have corrected a name), so it is safe to run at
// every start; the reference seed calls it after loading provinces.
func EnsureAuthorities(ctx context.Context, g *gorm.DB) error {
	ps, err := region.NewStore(g).Provinces(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	rows := []Authority{{Level: AuthorityCentral, Name: CentralAuthority, UpdatedAt: now}}
	for _, p := range ps {
		code := p.Code
		rows = append(rows, Authority{Level: AuthorityProvince, ProvinceCode: &code, Name: ProvinceAuthorityName(p.FullName), UpdatedAt: now})
	}
	return g.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
}

// Authorities lists every authority, the central one first, then by province code.
func (s *Service) Authorities(ctx context.Context) ([]Authority, error) {
	var out []Authority
	err := s.db.WithContext(ctx).Order("CASE WHEN province_code IS NULL THEN 0 ELSE 1 END, province_code").Find(&out).Error
	return out, err
}

// AuthorityByKey loads an authority by its key (province code or "central");
// unknown is ErrNotFound.
func (s *Service) AuthorityByKey(ctx context.Context, key string) (Authority, error) {
	return authorityByKey(s.db.WithContext(ctx), key)
}

func authorityByKey(g *gorm.DB, key string) (Authority, error) {
	var a Authority
	var err error
	if key == "central" {
		err = g.Where("level = ?", AuthorityCentral).First(&a).Error
	} else {
		err = g.Where("province_code = ?", key).First(&a).Error
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, errs.ErrNotFound
	}
	return a, err
}

// authorityFor is the authority a certificate of level in province belongs
// to: the central one, or the province's (for the province and district levels).
func authorityFor(g *gorm.DB, level AuthorityLevel, province string) (Authority, error) {
	if level == AuthorityCentral {
		return authorityByKey(g, "central")
	}
	return authorityByKey(g, province)
}

// AuthorityUpdate is what an admin records for an authority.
type AuthorityUpdate struct {
	Name     string
	GoLiveOn day.Date // zero clears it
}

// SetAuthority records an authority's official name and, for a province,
// its go-live day. Only a platform admin may; the change is audited. This is
// also how another province is onboarded without code.
func (s *Service) SetAuthority(ctx context.Context, actor *account.User, key string, in AuthorityUpdate) (Authority, error) {
	if actor == nil || actor.Role != account.RoleAdmin {
		return Authority{}, errs.ErrForbidden
	}
	a, err := s.AuthorityByKey(ctx, key)
	if err != nil {
		return a, err
	}
	name := NormalizeNumber(in.Name) // the same whitespace rule as numbers
	var fe []errs.FieldError
	if name == "" || utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		fe = append(fe, errs.FieldError{Field: "name", Message: "registry.err.authority_name"})
	}
	if !in.GoLiveOn.IsZero() && (in.GoLiveOn.Before(day.New(2018, 1, 1)) || in.GoLiveOn.After(s.today().AddMonths(24))) {
		fe = append(fe, errs.FieldError{Field: "go_live_on", Message: "registry.err.range"})
	}
	if fe != nil {
		return a, s.refuse(ctx, actor, "authority.update", nil, nil, &errs.ValidationError{Fields: fe})
	}
	before := map[string]any{"key": a.Key(), "name": a.Name, "go_live_on": a.GoLiveOn}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Authority{}).Where("id = ?", a.ID).
			Updates(map[string]any{"name": name, "go_live_on": in.GoLiveOn, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			if db.IsDuplicate(res.Error) {
				return reasoned(errs.ErrConflict, "registry.err.authority_exists")
			}
			return res.Error
		}
		if err := tx.First(&a, a.ID).Error; err != nil {
			return err
		}
		return audit(tx, actor, "authority.update", "ok", nil, nil, before, map[string]any{"key": a.Key(), "name": a.Name, "go_live_on": a.GoLiveOn}, a.Key())
	})
	if err != nil && errs.Reason(err) != "" {
		return a, s.refuse(ctx, actor, "authority.update", nil, nil, err)
	}
	return a, err
}
