package registry

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
)

// CertQuery is what an officer asks of the certificate list: filters, a
// page size and where the previous page ended. The page, its CSV export and
// the API export all read it through OfficerCertificates and
// ExportCertificates, so the three can never disagree on scope.
type CertQuery struct {
	Province  string         // central officers may narrow to one province; a provincial officer's is always their own
	Commune   string         // commune code
	Group     string         // product group code; a group includes its sub-groups (I.3 holds I.3.c)
	Stars     int            // 3, 4 or 5; 0 is any
	Status    CertStatus     // the status on On; "" is any
	On        day.Date       // the day Status is judged on; zero is today
	Year      int            // year of the recognition decision; 0 is any
	Level     AuthorityLevel // issuing level; "" is any
	Authority string         // issuing authority's name, exactly; "" is any
	Query     string         // words of the product, owner or decision number, diacritics optional
	// ConfirmedOnly leaves out imports that no second officer has confirmed
	// yet: the national registry's export carries only records that stand.
	// The officer's own list and its CSV show them (status pending), since
	// someone has to confirm them.
	ConfirmedOnly bool
	After         *CertCursor // the last row of the previous page
	Limit         int         // rows per page, 1 to MaxCertPage; 0 is DefaultCertPage
}

// Page sizes of the officer's certificate list.
const (
	DefaultCertPage = 50
	MaxCertPage     = 200
	// MaxExportRows bounds one export: the whole country holds about 18,000
	// certificates, so a national export fits with room to grow.
	MaxExportRows = 100_000
)

// CertCursor is where a page of the certificate list ended. The list runs
// newest decision first, then by id, so the pair is a unique position
// (keyset paging: page 100 costs what page 1 costs, and a row recorded
// while someone pages neither repeats nor hides another).
type CertCursor struct {
	DecisionDate day.Date
	ID           int64
}

// CertPage is one page of the certificate list.
type CertPage struct {
	Items []Certificate
	Next  *CertCursor // nil on the last page
	Total int64       // rows matching the filters, all pages together
}

// certStatuses are the statuses a list can be filtered by.
var certStatuses = []CertStatus{CertActive, CertExpired, CertRevoked, CertSuperseded, CertPending}

// ValidCertStatus reports whether st is a status a list can be filtered by.
func ValidCertStatus(st CertStatus) bool {
	for _, s := range certStatuses {
		if s == st {
			return true
		}
	}
	return false
}

// scopeCertQuery checks q for actor and fixes its scope: the one rule for
// every door to the officer's certificate list. A provincial officer sees
// the certificates of producers in their province (whoever issued them); a
// central officer sees every province. Asking for another province is
// refused and audited.
func (s *Service) scopeCertQuery(ctx context.Context, actor *account.User, action string, q CertQuery) (CertQuery, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return q, errs.ErrForbidden
	}
	if err := checkCertQuery(&q); err != nil {
		return q, err
	}
	if !actor.IsCentralOfficer() {
		own := officerProvince(actor)
		if own == "" || (q.Province != "" && q.Province != own) {
			return q, s.refuse(ctx, actor, action, nil, nil,
				reasoned(fmt.Errorf("%w: certificates of province %q", errs.ErrForbidden, q.Province), "registry.err.outside_scope"))
		}
		q.Province = own
	}
	if q.On.IsZero() {
		q.On = s.today()
	}
	return q, nil
}

// checkCertQuery refuses filters no list could match and sets the page size.
func checkCertQuery(q *CertQuery) error {
	var fe []errs.FieldError
	bad := func(field, key string) { fe = append(fe, errs.FieldError{Field: field, Message: key}) }
	for _, f := range []struct {
		name, v string
		max     int
	}{{"province", q.Province, 4}, {"commune", q.Commune, 10}, {"group", q.Group, 12}, {"authority", q.Authority, 200}, {"q", q.Query, 100}} {
		if len(f.v) > f.max {
			bad(f.name, "validation.max")
		} else if !utf8.ValidString(f.v) || strings.ContainsFunc(f.v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			bad(f.name, "validation.text")
		}
	}
	if q.Stars != 0 && (q.Stars < 3 || q.Stars > 5) {
		bad("stars", "registry.err.range")
	}
	if q.Status != "" && !ValidCertStatus(q.Status) {
		bad("status", "validation.oneof")
	}
	if q.Year != 0 && (q.Year < 2000 || q.Year > 2100) {
		bad("year", "registry.err.range")
	}
	switch q.Level {
	case "", AuthorityCentral, AuthorityProvince, AuthorityDistrict:
	default:
		bad("level", "validation.oneof")
	}
	if q.Limit < 0 || q.Limit > MaxCertPage {
		bad("limit", "registry.err.range")
	}
	if q.After != nil && (q.After.ID <= 0 || q.After.DecisionDate.IsZero()) {
		bad("cursor", "validation.type")
	}
	if fe != nil {
		return &errs.ValidationError{Fields: fe}
	}
	if q.Limit == 0 {
		q.Limit = DefaultCertPage
	}
	q.Authority = strings.TrimSpace(q.Authority)
	return nil
}

// certWhere narrows g to the rows q matches, without the cursor. p is the
// certificates table's qualifier ("" or "certificates.") for joined queries.
func certWhere(g *gorm.DB, p string, q CertQuery) *gorm.DB {
	if q.Province != "" {
		g = g.Where(p+"province_code = ?", q.Province)
	}
	if q.Commune != "" {
		g = g.Where(p+"commune_code = ?", q.Commune)
	}
	if q.Group != "" {
		g = g.Where("("+p+"group_code = ? OR "+p+"group_code LIKE ? ESCAPE '\\')", q.Group, db.LikeEscape(q.Group)+".%")
	}
	if q.Stars != 0 {
		g = g.Where(p+"stars = ?", q.Stars)
	}
	if q.Year != 0 {
		g = g.Where(p+"decision_date >= ? AND "+p+"decision_date < ?", day.New(q.Year, 1, 1), day.New(q.Year+1, 1, 1))
	}
	if q.Level != "" {
		g = g.Where(p+"authority_level = ?", q.Level)
	}
	if q.Authority != "" {
		g = g.Where(p+"authority_name = ?", q.Authority)
	}
	if q.ConfirmedOnly {
		g = g.Where(p+"import_pending = ?", false)
	}
	if q.Query != "" {
		g = g.Where(p+"search_folded LIKE ? ESCAPE '\\'", "%"+db.LikeEscape(text.Fold(q.Query))+"%")
	}
	if q.Status != "" {
		cond, args := StatusSQL(strings.TrimSuffix(p, "."), q.Status, q.On)
		g = g.Where(cond, args...)
	}
	return g
}

// afterCursor continues the newest-first order after c.
func afterCursor(g *gorm.DB, p string, c *CertCursor) *gorm.DB {
	if c == nil {
		return g
	}
	return g.Where("("+p+"decision_date < ? OR ("+p+"decision_date = ? AND "+p+"id < ?))", c.DecisionDate, c.DecisionDate, c.ID)
}

// StatusSQL is StatusOn(d) == st written as an SQL condition on the
// certificates table (alias "" or a table alias), with its arguments.
// StatusOn stays the definition; a test holds the two to the same answers.
func StatusSQL(alias string, st CertStatus, d day.Date) (string, []any) {
	p := ""
	if alias != "" {
		p = alias + "."
	}
	notRevoked := "(" + p + "revoked_on IS NULL OR " + p + "revoked_on > ?)"
	notSuperseded := "(" + p + "superseded_on IS NULL OR " + p + "superseded_on > ?)"
	confirmed := p + "import_pending = ?" // an import no second officer has confirmed is pending whatever its dates
	switch st {
	case CertActive:
		return ActiveSQL(alias, d)
	case CertRevoked:
		return confirmed + " AND " + p + "revoked_on <= ?", []any{false, d}
	case CertSuperseded:
		return confirmed + " AND " + p + "superseded_on <= ? AND " + notRevoked, []any{false, d, d}
	case CertPending:
		return "(" + p + "import_pending = ? OR (" + p + "valid_from > ? AND " + notRevoked + " AND " + notSuperseded + "))", []any{true, d, d, d}
	case CertExpired:
		return confirmed + " AND " + p + "valid_from <= ? AND " + p + "valid_until < ? AND " + notRevoked + " AND " + notSuperseded, []any{false, d, d, d, d}
	}
	return "1 = 0", nil
}

// OfficerCertificates is one page of the certificates in the officer's
// scope that match q, newest decision first.
func (s *Service) OfficerCertificates(ctx context.Context, actor *account.User, q CertQuery) (CertPage, error) {
	q, err := s.scopeCertQuery(ctx, actor, "certificate.list", q)
	if err != nil {
		return CertPage{}, err
	}
	g := s.db.WithContext(ctx)
	var out CertPage
	if err := certWhere(g.Model(&Certificate{}), "", q).Count(&out.Total).Error; err != nil {
		return out, err
	}
	var rows []Certificate
	err = afterCursor(certWhere(g, "", q), "", q.After).Order("decision_date DESC, id DESC").Limit(q.Limit + 1).Find(&rows).Error
	if err != nil {
		return out, err
	}
	if len(rows) > q.Limit {
		rows = rows[:q.Limit]
		last := rows[len(rows)-1]
		out.Next = &CertCursor{DecisionDate: last.DecisionDate, ID: last.ID}
	}
	out.Items = rows
	return out, nil
}

// CertAuthorities lists the issuing authorities' names found in the
// officer's scope, for the list's authority filter.
func (s *Service) CertAuthorities(ctx context.Context, actor *account.User) ([]string, error) {
	q, err := s.scopeCertQuery(ctx, actor, "certificate.list", CertQuery{})
	if err != nil {
		return nil, err
	}
	var names []string
	err = certWhere(s.db.WithContext(ctx).Model(&Certificate{}), "", q).Distinct("authority_name").Order("authority_name").Limit(500).Pluck("authority_name", &names).Error
	return names, err
}
