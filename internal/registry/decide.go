package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

// CentralAuthority is the name of the central level that recognises 5★.
const CentralAuthority = "Bộ Nông nghiệp và Môi trường"

// DecisionInput is a recognition decision listing many applications.
type DecisionInput struct {
	Number       string
	Date         day.Date
	Signatory    string
	Applications []string // application codes
	IsDemo       bool
}

// DecisionResult is what the decision meant for one application.
type DecisionResult struct {
	Application Application
	Outcome     Outcome
	Council     Council
	Certificate *Certificate
}

// Decide records a recognition decision. A provincial officer decides scored
// applications of their province: 3★ and 4★ get certificates, 90 or more
// is forwarded to the central level, and the rest get no certificate with a
// reason. A central officer decides forwarded applications: 5★ or the lower
// result. All applications move in one transaction: if any is in the wrong
// state or out of scope, nothing changes.
func (s *Service) Decide(ctx context.Context, actor *account.User, in DecisionInput) (Decision, []DecisionResult, error) {
	if actor == nil || actor.Role != account.RoleOfficer || actor.IsCommuneOfficer() {
		return Decision{}, nil, errs.ErrForbidden
	}
	// Scope first: an officer outside their province learns nothing else.
	apps := make([]Application, 0, len(in.Applications))
	for _, code := range in.Applications {
		a, err := s.officerApp(ctx, actor, code, "decision.record")
		if err != nil {
			return Decision{}, nil, err
		}
		apps = append(apps, a)
	}
	err := s.checkDecision(in)
	if err == nil {
		err = decidedAfterSubmission(in.Date, apps)
	}
	if err != nil {
		var appID *int64
		if len(apps) == 1 {
			appID = &apps[0].ID
		}
		return Decision{}, nil, s.refuse(ctx, actor, "decision.record", appID, nil, err)
	}
	dec := Decision{Number: strings.TrimSpace(in.Number), DecisionDate: in.Date, Signatory: in.Signatory, CreatedBy: actor.ID, IsDemo: in.IsDemo}
	level, from := AuthorityProvince, StatusScored
	authKey := "central"
	if actor.IsCentralOfficer() {
		level, from = AuthorityCentral, StatusForwarded
	} else {
		pc := officerProvince(actor)
		dec.ProvinceCode, authKey = &pc, pc
	}
	auth, err := s.AuthorityByKey(ctx, authKey) // the authority's official name, never text typed or built ad hoc
	if err != nil {
		return Decision{}, nil, err
	}
	dec.AuthorityName = auth.Name
	dec.Level = level
	var results []DecisionResult
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&dec).Error; err != nil {
			if db.IsDuplicate(err) {
				return reasoned(errs.ErrConflict, "registry.err.decision_exists")
			}
			return err
		}
		for i := range apps {
			r, err := s.decideOne(tx, actor, dec, &apps[i], from, i+1)
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		return nil
	})
	if err != nil {
		var appID *int64
		if len(apps) == 1 {
			appID = &apps[0].ID
		}
		return Decision{}, nil, s.auditConflict(ctx, actor, "decision.record", appID, err)
	}
	return dec, results, nil
}

func (s *Service) checkDecision(in DecisionInput) error {
	var fe []errs.FieldError
	if strings.TrimSpace(in.Number) == "" || len(in.Number) > 80 {
		fe = append(fe, errs.FieldError{Field: "number", Message: "validation.required"})
	}
	if in.Date.IsZero() {
		fe = append(fe, errs.FieldError{Field: "date", Message: "validation.required"})
	} else if in.Date.After(s.today()) {
		fe = append(fe, errs.FieldError{Field: "date", Message: "registry.err.future_date"})
	}
	if len(in.Applications) == 0 || len(in.Applications) > 200 {
		fe = append(fe, errs.FieldError{Field: "applications", Message: "registry.err.applications"})
	}
	seen := map[string]bool{}
	for _, c := range in.Applications {
		if seen[c] {
			fe = append(fe, errs.FieldError{Field: "applications", Message: "registry.err.applications"})
			break
		}
		seen[c] = true
	}
	if fe != nil {
		return &errs.ValidationError{Fields: fe}
	}
	return nil
}

// decidedAfterSubmission refuses a decision dated before any of its
// applications was submitted: a council cannot recognise a dossier it had
// not received. (The future is refused by checkDecision.)
func decidedAfterSubmission(d day.Date, apps []Application) error {
	for _, a := range apps {
		if a.SubmittedAt != nil && d.Before(day.Of(*a.SubmittedAt)) {
			return invalidBecause("date", "registry.err.before_submission")
		}
	}
	return nil
}

// decideOne applies dec to one application inside the decision's transaction.
func (s *Service) decideOne(tx *gorm.DB, actor *account.User, dec Decision, a *Application, from AppStatus, seq int) (DecisionResult, error) {
	before := snapApp(*a)
	c, err := s.council(tx, a.ID, dec.Level)
	if err != nil {
		return DecisionResult{}, err
	}
	if c.Members == 0 {
		return DecisionResult{}, wrongState(a.Status)
	}
	if c.Mixed {
		return DecisionResult{}, reasoned(fmt.Errorf("%w: application %s: council sheets under more than one criteria version", errs.ErrConflict, a.Code),
			"registry.err.criteria_mixed")
	}
	o := OutcomeFor(dec.Level, c.Score, c.MandatoryPassed)
	if o, err = s.holdHigherCurrent(tx, *a, o, dec.DecisionDate); err != nil {
		return DecisionResult{}, err
	}
	score := c.Score.Float()
	set := map[string]any{"council_score": score, "mandatory_passed": c.MandatoryPassed, "no_certificate_reason": o.Reason}
	if dec.Level == AuthorityCentral {
		set["central_decision_id"] = dec.ID
	} else {
		set["decision_id"] = dec.ID
	}
	if o.Stars > 0 {
		set["result_stars"] = o.Stars
	}
	to := StatusDecided
	if o.Forward {
		to = StatusForwarded
	}
	r := DecisionResult{Outcome: o, Council: c}
	if o.Certify {
		cert, err := s.issue(tx, actor, dec, *a, o.Stars, c, seq)
		if err != nil {
			return r, err
		}
		set["certificate_id"] = cert.ID
		r.Certificate = &cert
	}
	if err := moveApp(tx, a, to, []AppStatus{from}, set); err != nil {
		return r, err
	}
	if err := s.emit(tx.Statement.Context, tx, statusEvents(*a)...); err != nil {
		return r, err
	}
	r.Application = *a
	if err := audit(tx, actor, "application.decide", "ok", &a.ID, nil, before, snapApp(*a), dec.Number); err != nil {
		return r, err
	}
	return r, nil
}

// holdHigherCurrent keeps an upgrade from lowering a product's rank: when
// the certificate an upgrade builds on is still valid on the decision's date
// and the council's result is fewer stars, nothing is issued, the current
// certificate stays valid, and the reason says why. (A renewal may lower
// the rank: re-evaluation is what it is for.)
func (s *Service) holdHigherCurrent(tx *gorm.DB, a Application, o Outcome, on day.Date) (Outcome, error) {
	if !o.Certify || a.Kind != KindUpgrade || a.PreviousCertificateID == nil {
		return o, nil
	}
	var cur Certificate
	if err := tx.First(&cur, *a.PreviousCertificateID).Error; err != nil {
		return o, err
	}
	if cur.StatusOn(on) == CertActive && o.Stars < cur.Stars {
		o.Certify, o.Reason = false, "registry.reason.upgrade_below_current"
	}
	return o, nil
}

// issue writes the certificate an application earned and supersedes the one
// it renews or upgrades, on the new decision's date.
func (s *Service) issue(tx *gorm.DB, actor *account.User, dec Decision, a Application, stars int, c Council, seq int) (Certificate, error) {
	// The owner's name and address are printed on the certificate as they
	// stand today: a producer or a place that cannot be read fails the
	// decision rather than print an incomplete address.
	ctx := tx.Statement.Context
	p, err := producer.NewStore(tx).ByID(ctx, a.ProducerID)
	if err != nil {
		return Certificate{}, err
	}
	addr, err := ownerAddress(ctx, s.places(tx), p)
	if err != nil {
		return Certificate{}, err
	}
	commune := p.CommuneCode
	cert := Certificate{
		Code: NewCode(), Number: fmt.Sprintf("%s/%03d", dec.Number, seq),
		AuthorityLevel: dec.Level, AuthorityName: dec.AuthorityName, DecisionNo: dec.Number, DecisionDate: dec.DecisionDate,
		Signatory: dec.Signatory, ProducerID: a.ProducerID, ProductID: a.ProductID, ProductName: a.ProductName,
		GroupCode: a.GroupCode, OwnerName: p.LegalName, OwnerAddress: addr, ProvinceCode: p.ProvinceCode, CommuneCode: &commune,
		Stars: stars, Score: c.Score.Float(), CriteriaVersion: orVersion(c.CriteriaVersion),
		ValidFrom: dec.DecisionDate, ValidUntil: ValidUntilFor(dec.DecisionDate), IsDemo: dec.IsDemo,
		SearchFolded: text.Fold(a.ProductName + " " + p.LegalName + " " + dec.Number), CreatedAt: time.Now().UTC(),
	}
	if err := tx.Create(&cert).Error; err != nil {
		return cert, err
	}
	if err := audit(tx, actor, "certificate.issue", "ok", &a.ID, &cert.ID, nil, snapCert(cert), dec.Number); err != nil {
		return cert, err
	}
	if a.PreviousCertificateID != nil {
		if err := supersede(tx, actor, *a.PreviousCertificateID, cert); err != nil {
			return cert, err
		}
	}
	return cert, nil
}

// supersede marks old as replaced by cert from cert's decision date, if old
// is still standing then. An expired or revoked certificate keeps its
// status but still gets the link to cert (superseded_by_id without
// superseded_on), so that its verify page points to the renewal.
func supersede(tx *gorm.DB, actor *account.User, oldID int64, cert Certificate) error {
	var old Certificate
	if err := tx.First(&old, oldID).Error; err != nil {
		return err
	}
	if old.StatusOn(cert.ValidFrom) != CertActive {
		res := tx.Model(&Certificate{}).Where("id = ? AND superseded_by_id IS NULL", oldID).Update("superseded_by_id", cert.ID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return audit(tx, actor, "certificate.successor", "ok", nil, &oldID, snapCert(old), snapCert(old), "renewed by "+cert.Code)
	}
	if levelRank(cert.AuthorityLevel) < levelRank(old.AuthorityLevel) {
		// Authority follows the issuer: a lower level never replaces a higher
		// level's certificate; it stays for its issuer to revoke or to expire.
		return audit(tx, actor, "certificate.supersede", "refused", nil, &oldID, nil, nil, "registry.err.issuer_level superseded by "+cert.Code)
	}
	res := tx.Model(&Certificate{}).Where("id = ? AND superseded_on IS NULL AND revoked_on IS NULL", oldID).
		Updates(map[string]any{"superseded_by_id": cert.ID, "superseded_on": cert.ValidFrom})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	after := old
	after.SupersededOn = cert.ValidFrom
	return audit(tx, actor, "certificate.supersede", "ok", nil, &oldID, snapCert(old), snapCert(after), "superseded by "+cert.Code)
}

func orVersion(v string) string {
	if v == "" {
		return Criteria148
	}
	return v
}

// ownerAddress is producer p's address as a certificate prints it, or the
// error that kept it from being read: never an address printed without its
// commune or province. (A producer's commune and province are foreign keys,
// so a unit that is not found is broken data, reported as a failure and
// not as a 404 of whatever the officer was doing.)
func ownerAddress(ctx context.Context, regions *region.Store, p producer.Producer) (string, error) {
	addr, err := regions.Address(ctx, p.Street, p.CommuneCode, p.ProvinceCode)
	if err != nil {
		return "", fmt.Errorf("owner address of producer %d: %v", p.ID, err) // %v: a missing unit is no 404 here
	}
	return addr, nil
}
