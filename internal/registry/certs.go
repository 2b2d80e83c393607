package registry

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog/grouptree"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
)

// Revocation is a decision withdrawing a certificate.
type Revocation struct {
	DecisionNo string
	Date       day.Date
	Reason     string
}

// Revoke withdraws a certificate from the revocation decision's date. A
// certificate already revoked is a conflict and stays as it was.
func (s *Service) Revoke(ctx context.Context, actor *account.User, code string, in Revocation) (Certificate, error) {
	c, err := s.officerCert(ctx, actor, code, "certificate.revoke")
	if err != nil {
		return c, err
	}
	var fe []errs.FieldError
	if strings.TrimSpace(in.DecisionNo) == "" {
		fe = append(fe, errs.FieldError{Field: "decision_no", Message: "validation.required"})
	}
	if strings.TrimSpace(in.Reason) == "" {
		fe = append(fe, errs.FieldError{Field: "reason", Message: "validation.required"})
	}
	if in.Date.IsZero() {
		fe = append(fe, errs.FieldError{Field: "date", Message: "validation.required"})
	} else if in.Date.After(s.today()) {
		fe = append(fe, errs.FieldError{Field: "date", Message: "registry.err.future_date"})
	} else if in.Date.Before(c.ValidFrom) {
		fe = append(fe, errs.FieldError{Field: "date", Message: "registry.err.before_issue"})
	}
	if fe != nil {
		return c, s.refuse(ctx, actor, "certificate.revoke", nil, &c.ID, &errs.ValidationError{Fields: fe})
	}
	before := snapCert(c)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Certificate{}).Where("id = ? AND revoked_on IS NULL", c.ID).
			Updates(map[string]any{"revoked_on": in.Date, "revocation_decision": in.DecisionNo, "revocation_reason": in.Reason})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return reasoned(errs.ErrConflict, "registry.err.already_revoked")
		}
		if err := tx.First(&c, c.ID).Error; err != nil {
			return err
		}
		return audit(tx, actor, "certificate.revoke", "ok", nil, &c.ID, before, snapCert(c), in.DecisionNo+": "+in.Reason)
	})
	if err != nil && errs.Reason(err) != "" {
		return c, s.refuse(ctx, actor, "certificate.revoke", nil, &c.ID, err)
	}
	return c, err
}

// Import is a historic certificate recorded from its original decision.
type Import struct {
	ProducerID     int64
	ProductID      *int64
	ProductName    string
	GroupCode      string
	Level          AuthorityLevel // district certificates (02/2023–06/2025) keep their level
	AuthorityName  string
	DecisionNo     string
	DecisionDate   day.Date
	Number         string
	Stars          int
	Score          Points
	Criteria       string
	OwnerAddress   string // as written on the certificate (old district names included)
	CommuneCode    *string
	SupersededCode string // an older certificate this one replaced, if any
	IsDemo         bool
}

// ImportHistoric records a certificate issued before the registry existed.
// Provincial officers import for producers of their province.
func (s *Service) ImportHistoric(ctx context.Context, actor *account.User, in Import) (Certificate, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return Certificate{}, errs.ErrForbidden
	}
	p, err := s.producers.ByID(ctx, in.ProducerID)
	if err != nil {
		return Certificate{}, errs.Invalid("producer", "registry.err.producer")
	}
	if !actor.OfficerOf(p.ProvinceCode) && !(actor.IsCentralOfficer() && in.Level == AuthorityCentral) {
		return Certificate{}, s.refuse(ctx, actor, "certificate.import", nil, nil, reasoned(errs.ErrForbidden, "registry.err.outside_scope"))
	}
	if err := grouptree.RequireLeaf(s.db.WithContext(ctx), "group_code", in.GroupCode); err != nil {
		return Certificate{}, s.refuse(ctx, actor, "certificate.import", nil, nil, err)
	}
	var fe []errs.FieldError
	if in.Stars < 3 || in.Stars > 5 || (in.Stars == 5) != (in.Level == AuthorityCentral) {
		fe = append(fe, errs.FieldError{Field: "stars", Message: "registry.err.stars"})
	}
	if in.Level == AuthorityDistrict && (in.DecisionDate.Before(day.New(2023, 2, 1)) || in.DecisionDate.After(day.New(2025, 6, 30)) || in.Stars != 3) {
		fe = append(fe, errs.FieldError{Field: "level", Message: "registry.err.district"})
	}
	if in.DecisionDate.IsZero() || in.DecisionDate.After(s.today()) {
		fe = append(fe, errs.FieldError{Field: "decision_date", Message: "registry.err.future_date"})
	}
	if _, _, _, ok := PartMaxima(in.Criteria); !ok {
		fe = append(fe, errs.FieldError{Field: "criteria_version", Message: "registry.err.criteria"})
	} else if v, _ := CriteriaOn(in.DecisionDate); v != in.Criteria {
		fe = append(fe, errs.FieldError{Field: "criteria_version", Message: "registry.err.criteria_not_in_force"})
	}
	if in.Score < 0 || in.Score > 10000 || (StarsFor(in.Score) != in.Stars && in.Score != 0) {
		fe = append(fe, errs.FieldError{Field: "score", Message: "registry.err.score_stars"})
	}
	if strings.TrimSpace(in.DecisionNo) == "" || strings.TrimSpace(in.ProductName) == "" || strings.TrimSpace(in.AuthorityName) == "" {
		fe = append(fe, errs.FieldError{Field: "decision_no", Message: "validation.required"})
	}
	if fe != nil {
		return Certificate{}, s.refuse(ctx, actor, "certificate.import", nil, nil, &errs.ValidationError{Fields: fe})
	}
	if in.Number == "" {
		in.Number = in.DecisionNo + "/" + NewCode()[:4]
	}
	addr := in.OwnerAddress
	if addr == "" {
		addr = s.addressOf(s.db.WithContext(ctx), p.Street, p.CommuneCode, p.ProvinceCode)
	}
	c := Certificate{Code: NewCode(), Number: in.Number, AuthorityLevel: in.Level, AuthorityName: in.AuthorityName,
		DecisionNo: in.DecisionNo, DecisionDate: in.DecisionDate, ProducerID: p.ID, ProductID: in.ProductID, ProductName: in.ProductName,
		GroupCode: in.GroupCode, OwnerName: p.LegalName, OwnerAddress: addr, ProvinceCode: p.ProvinceCode, CommuneCode: in.CommuneCode,
		Stars: in.Stars, Score: in.Score.Float(), CriteriaVersion: in.Criteria, ValidFrom: in.DecisionDate,
		ValidUntil: ValidUntilFor(in.DecisionDate), IsDemo: in.IsDemo, CreatedAt: time.Now().UTC(),
		SearchFolded: text.Fold(in.ProductName + " " + p.LegalName + " " + in.DecisionNo)}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			if db.IsDuplicate(err) {
				return reasoned(errs.ErrConflict, "registry.err.number_exists")
			}
			return err
		}
		if err := audit(tx, actor, "certificate.import", "ok", nil, &c.ID, nil, snapCert(c), in.DecisionNo); err != nil {
			return err
		}
		if in.SupersededCode != "" {
			var old Certificate
			if err := tx.Where("code = ? AND producer_id = ?", in.SupersededCode, p.ID).First(&old).Error; err != nil {
				return errs.Invalid("superseded_code", "registry.err.previous")
			}
			return supersede(tx, actor, old.ID, c)
		}
		return nil
	})
	return c, err
}

// Filter narrows a certificate search.
type Filter struct {
	Province string
	Stars    int
	Status   CertStatus
	Query    string
	After    int64 // cursor: the last id of the previous page
	Limit    int
	On       day.Date
}

// Search lists certificates, by id, a page at a time. The status filter is
// written in SQL for speed and checked again with StatusOn, the one definition.
func (s *Service) Search(ctx context.Context, f Filter) ([]Certificate, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if f.On.IsZero() {
		f.On = s.today()
	}
	q := s.db.WithContext(ctx).Model(&Certificate{}).Where("id > ?", f.After)
	if f.Province != "" {
		q = q.Where("province_code = ?", f.Province)
	}
	if f.Stars != 0 {
		q = q.Where("stars = ?", f.Stars)
	}
	if f.Query != "" {
		q = q.Where("search_folded LIKE ?", "%"+escapeLike(text.Fold(f.Query))+"%")
	}
	d := f.On
	switch f.Status {
	case CertRevoked:
		q = q.Where("revoked_on <= ?", d)
	case CertSuperseded:
		q = q.Where("superseded_on <= ? AND (revoked_on IS NULL OR revoked_on > ?)", d, d)
	case CertExpired:
		q = q.Where("valid_until < ? AND (revoked_on IS NULL OR revoked_on > ?) AND (superseded_on IS NULL OR superseded_on > ?)", d, d, d)
	case CertActive:
		active, args := ActiveSQL("", d)
		q = q.Where(active, args...)
	}
	var rows []Certificate
	if err := q.Order("id").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, c := range rows {
		if f.Status == "" || c.StatusOn(d) == f.Status {
			out = append(out, c)
		}
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Expiring lists the certificates in the officer's scope that are valid
// today and end within days.
func (s *Service) Expiring(ctx context.Context, actor *account.User, days int) ([]Certificate, error) {
	today := s.today()
	q := s.db.WithContext(ctx).Where("valid_from <= ? AND valid_until >= ? AND valid_until <= ? AND revoked_on IS NULL AND superseded_on IS NULL",
		today, today, today.AddDays(days))
	if actor.IsCentralOfficer() {
		q = q.Where("authority_level = ?", AuthorityCentral)
	} else {
		q = q.Where("province_code = ?", officerProvince(actor))
	}
	var out []Certificate
	err := q.Order("valid_until, id").Limit(500).Find(&out).Error
	return out, err
}

// SweepExpiries records, for reporting, each certificate whose validity has
// ended. It is idempotent and safe to run on several instances at once: a
// certificate's expiry is inserted once (the primary key), and status never
// depends on it.
func (s *Service) SweepExpiries(ctx context.Context) (int64, error) {
	today := s.today()
	var ids []struct {
		ID         int64
		ValidUntil day.Date
	}
	err := s.db.WithContext(ctx).Model(&Certificate{}).Select("certificates.id, certificates.valid_until").
		Joins("LEFT JOIN registry_expiries e ON e.certificate_id = certificates.id").
		Where("e.certificate_id IS NULL AND certificates.valid_until < ?", today).Limit(1000).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	rows := make([]Expiry, len(ids))
	now := time.Now().UTC()
	for i, r := range ids {
		rows[i] = Expiry{CertificateID: r.ID, ExpiredOn: r.ValidUntil.AddDays(1), RecordedAt: now}
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
	return res.RowsAffected, res.Error
}

// ApplicationAudit is the audit log of one application, for officers who may see it.
func (s *Service) ApplicationAudit(ctx context.Context, actor *account.User, code string) ([]AuditEntry, error) {
	a, err := s.officerApp(ctx, actor, code, "audit.read")
	if err != nil {
		return nil, err
	}
	var out []AuditEntry
	err = s.db.WithContext(ctx).Where("application_id = ?", a.ID).Order("id").Find(&out).Error
	return out, err
}

// CertificateAudit is the audit log of one certificate, for officers who may act on it.
func (s *Service) CertificateAudit(ctx context.Context, actor *account.User, code string) ([]AuditEntry, error) {
	c, err := s.officerCert(ctx, actor, code, "audit.read")
	if err != nil {
		return nil, err
	}
	var out []AuditEntry
	err = s.db.WithContext(ctx).Where("certificate_id = ?", c.ID).Order("id").Find(&out).Error
	return out, err
}

// RefuseCertInput audits an officer's malformed attempt on a certificate
// (a revocation without a decision number or reason) and returns err.
func (s *Service) RefuseCertInput(ctx context.Context, actor *account.User, code, action string, err error) error {
	c, lerr := s.officerCert(ctx, actor, code, action)
	if lerr != nil {
		return lerr
	}
	return s.refuse(ctx, actor, action, nil, &c.ID, err)
}
