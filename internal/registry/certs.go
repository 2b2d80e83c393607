package registry

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/account"
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

// Filter narrows a certificate search.
type Filter struct {
	Province string
	Stars    int
	Status   CertStatus
	Query    string
	After    int64 // cursor: the last id of the previous page
	Limit    int
	On       day.Date
	// IncludePending lists imports still waiting for a second officer
	// (officers' lists); the public never sees them.
	IncludePending bool
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
	if !f.IncludePending {
		q = q.Where("import_pending = ?", false)
	}
	if f.Province != "" {
		q = q.Where("province_code = ?", f.Province)
	}
	if f.Stars != 0 {
		q = q.Where("stars = ?", f.Stars)
	}
	if f.Query != "" {
		q = q.Where(`search_folded LIKE ? ESCAPE '\'`, "%"+db.LikeEscape(text.Fold(f.Query))+"%")
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

// Expiring lists the certificates in the officer's scope that are valid
// today and end within days.
func (s *Service) Expiring(ctx context.Context, actor *account.User, days int) ([]Certificate, error) {
	if actor == nil || actor.IsCommuneOfficer() {
		return nil, errs.ErrForbidden // certificates are the province's business
	}
	today := s.today()
	q := s.db.WithContext(ctx).Where("import_pending = ? AND valid_from <= ? AND valid_until >= ? AND valid_until <= ? AND revoked_on IS NULL AND superseded_on IS NULL",
		false, today, today, today.AddDays(days))
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

// CertificateAudit is the audit log of one certificate, for officers who may see it.
func (s *Service) CertificateAudit(ctx context.Context, actor *account.User, code string) ([]AuditEntry, error) {
	c, err := s.officerReadCert(ctx, actor, code, "audit.read")
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
