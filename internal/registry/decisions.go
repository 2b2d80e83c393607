package registry

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// The decisions register: every recognition decision the registry holds a
// certificate of (issued here or imported from paper), one line per
// decision of an authority at a level, with the number of products and
// their stars; each opens to its annex. A decision is identified by its
// authority, its date and its number, since there is no national decision
// identifier and imported decisions have no row of their own. Scope is the
// certificate list's rule (scopeCertQuery): a provincial officer sees the
// decisions on producers of their province, a central officer every province.

// DecisionQuery filters the register.
type DecisionQuery struct {
	Province string         // central officers may narrow to one province
	Year     int            // year of the decision; 0 is any
	Level    AuthorityLevel // "" is any
	Number   string         // part of the decision number, letter case ignored
	Page     int            // 1-based; 0 is the first
}

// DecisionPageSize is how many decisions a page of the register lists.
const DecisionPageSize = 50

// DecisionSummary is one line of the register.
type DecisionSummary struct {
	AuthorityID   int64
	AuthorityKey  string // province code or "central": with the date and number, the decision's key in URLs
	AuthorityName string
	Level         AuthorityLevel
	Number        string `gorm:"column:decision_no"`
	Date          day.Date
	Products      int
	Stars3        int `gorm:"column:stars3"`
	Stars4        int `gorm:"column:stars4"`
	Stars5        int `gorm:"column:stars5"`
	Pending       int // imports not yet confirmed
}

// DecisionRegister lists the decisions within the officer's scope, newest first.
func (s *Service) DecisionRegister(ctx context.Context, actor *account.User, q DecisionQuery) ([]DecisionSummary, int64, error) {
	cq, err := s.scopeCertQuery(ctx, actor, "decision.list", CertQuery{Province: q.Province, Year: q.Year, Level: q.Level})
	if err != nil {
		return nil, 0, err
	}
	if len(q.Number) > 80 || q.Page < 0 || q.Page > 100000 {
		return nil, 0, errs.Invalid("q", "validation.max")
	}
	base := func() *gorm.DB {
		g := s.db.WithContext(ctx).Table("certificates c")
		if cq.Province != "" {
			g = g.Where("c.province_code = ?", cq.Province)
		}
		if cq.Year != 0 {
			g = g.Where("c.decision_date >= ? AND c.decision_date < ?", day.New(cq.Year, 1, 1), day.New(cq.Year+1, 1, 1))
		}
		if cq.Level != "" {
			g = g.Where("c.authority_level = ?", cq.Level)
		}
		if n := strings.TrimSpace(q.Number); n != "" {
			// ASCII letters only are folded: SQLite's UPPER knows no others.
			g = g.Where(`UPPER(c.decision_no) LIKE ? ESCAPE '\'`, "%"+asciiUpper(db.LikeEscape(n))+"%")
		}
		return g.Group("c.authority_id, c.authority_level, c.decision_no, c.decision_date")
	}
	var total int64
	if err := s.db.WithContext(ctx).Table("(?) d", base().Select("1 AS one")).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []DecisionSummary
	page := max(q.Page, 1)
	err = base().Select(`c.authority_id, c.authority_level AS level, c.decision_no, c.decision_date AS date, MIN(c.authority_name) AS authority_name,
		COUNT(*) AS products, SUM(CASE WHEN c.stars = 3 THEN 1 ELSE 0 END) AS stars3, SUM(CASE WHEN c.stars = 4 THEN 1 ELSE 0 END) AS stars4,
		SUM(CASE WHEN c.stars = 5 THEN 1 ELSE 0 END) AS stars5, SUM(CASE WHEN c.import_pending THEN 1 ELSE 0 END) AS pending`).
		Order("c.decision_date DESC, c.decision_no, c.authority_id, c.authority_level").
		Limit(DecisionPageSize).Offset((page - 1) * DecisionPageSize).Scan(&out).Error
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.fillAuthorityKeys(ctx, out)
}

// fillAuthorityKeys sets each line's AuthorityKey from its authority.
func (s *Service) fillAuthorityKeys(ctx context.Context, ds []DecisionSummary) error {
	as, err := s.Authorities(ctx)
	if err != nil {
		return err
	}
	keys := make(map[int64]string, len(as))
	for _, a := range as {
		keys[a.ID] = a.Key()
	}
	for i := range ds {
		ds[i].AuthorityKey = keys[ds[i].AuthorityID]
	}
	return nil
}

// DecisionAnnex is one decision's annex: its certificates within the
// officer's scope, in the order of their numbers. A decision the officer
// cannot see, or that does not exist, is ErrNotFound.
func (s *Service) DecisionAnnex(ctx context.Context, actor *account.User, authorityKey, number string, date day.Date) (DecisionSummary, []Certificate, error) {
	cq, err := s.scopeCertQuery(ctx, actor, "decision.read", CertQuery{})
	if err != nil {
		return DecisionSummary{}, nil, err
	}
	if len(authorityKey) > 10 || len(number) > 80 || date.IsZero() {
		return DecisionSummary{}, nil, errs.ErrNotFound
	}
	a, err := s.AuthorityByKey(ctx, authorityKey)
	if err != nil {
		return DecisionSummary{}, nil, err
	}
	g := s.db.WithContext(ctx).Where("authority_id = ? AND decision_no = ? AND decision_date = ?", a.ID, NormalizeNumber(number), date)
	if cq.Province != "" {
		g = g.Where("province_code = ?", cq.Province) // security: another province's certificates stay out
	}
	var certs []Certificate
	if err := g.Order("number_key, id").Limit(MaxExportRows).Find(&certs).Error; err != nil {
		return DecisionSummary{}, nil, err
	}
	if len(certs) == 0 {
		return DecisionSummary{}, nil, errs.ErrNotFound
	}
	d := DecisionSummary{AuthorityID: a.ID, AuthorityKey: a.Key(), AuthorityName: certs[0].AuthorityName, Level: certs[0].AuthorityLevel,
		Number: certs[0].DecisionNo, Date: certs[0].DecisionDate, Products: len(certs)}
	for _, c := range certs {
		switch c.Stars {
		case 3:
			d.Stars3++
		case 4:
			d.Stars4++
		case 5:
			d.Stars5++
		}
		if c.ImportPending {
			d.Pending++
		}
	}
	return d, certs, nil
}

// asciiUpper upper-cases ASCII letters only, as SQLite's UPPER does.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
