package registry

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// QueueFilter narrows an officer's queue.
type QueueFilter struct {
	Status      AppStatus
	CommuneCode string
}

// Queue lists the applications an officer may act on, oldest first, drafts
// never included (they are the producer's until submitted).
func (s *Service) Queue(ctx context.Context, actor *account.User, f QueueFilter) ([]Application, error) {
	switch f.Status {
	case "", StatusSubmitted, StatusProposed, StatusScored, StatusForwarded, StatusDecided:
	default: // drafts included: an officer may not even ask for them
		return nil, errs.Invalid("status", "validation.oneof")
	}
	q := s.db.WithContext(ctx).Model(&Application{}).Where("status <> ?", StatusDraft)
	switch {
	case actor.IsCommuneOfficer():
		// Their commune's applications at the proposal stage, nothing else.
		q = q.Where("province_code = ? AND commune_code = ? AND status IN ?", *actor.OfficerProvinceCode, *actor.OfficerCommuneCode,
			[]AppStatus{StatusSubmitted, StatusProposed})
	case actor.IsCentralOfficer():
		q = q.Where("(status = ? OR central_decision_id IS NOT NULL)", StatusForwarded)
	default:
		q = q.Where("province_code = ?", officerProvince(actor))
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.CommuneCode != "" {
		q = q.Where("commune_code = ?", f.CommuneCode)
	}
	var out []Application
	err := q.Order("updated_at, id").Limit(500).Find(&out).Error
	return out, err
}

// OfficerApplication is one application with everything an officer sees.
func (s *Service) OfficerApplication(ctx context.Context, actor *account.User, code string) (Detail, error) {
	a, err := s.officerApp(ctx, actor, code, "application.read")
	if err != nil {
		return Detail{}, err
	}
	d, err := s.detail(ctx, a)
	if err != nil {
		return d, err
	}
	if a.ProposedBy != nil {
		emails, err := s.accounts.Emails(ctx, []int64{*a.ProposedBy})
		if err != nil {
			return d, err
		}
		d.ProposedBy = emails[*a.ProposedBy]
	}
	return d, s.db.WithContext(ctx).Where("application_id = ?", a.ID).Order("id").Find(&d.History).Error
}

// Propose records the commune's check of the dossier and its proposal, and
// who proposed: the commune's officer, or a provincial officer where the
// commune has no account yet.
func (s *Service) Propose(ctx context.Context, actor *account.User, code, note string) (Application, error) {
	a, err := s.officerApp(ctx, actor, code, "application.propose")
	if err != nil {
		return a, err
	}
	if actor.IsCentralOfficer() {
		return a, s.refuse(ctx, actor, "application.propose", &a.ID, nil, reasoned(errs.ErrForbidden, "registry.err.outside_scope"))
	}
	before := snapApp(a)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := moveApp(tx, &a, StatusProposed, []AppStatus{StatusSubmitted},
			map[string]any{"proposal_note": note, "proposed_by": actor.ID, "proposed_at": time.Now().UTC()}); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, statusEvents(a)...); err != nil {
			return err
		}
		return audit(tx, actor, "application.propose", "ok", &a.ID, nil, before, snapApp(a), note)
	})
	return a, s.auditConflict(ctx, actor, "application.propose", &a.ID, err)
}

// Remark adds a remark the producer sees in the application's history.
func (s *Service) Remark(ctx context.Context, actor *account.User, code, note string) error {
	a, err := s.officerApp(ctx, actor, code, "application.remark")
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.emit(ctx, tx, remarkEvent(a, note, time.Now())); err != nil {
			return err
		}
		return audit(tx, actor, "application.remark", "ok", &a.ID, nil, nil, nil, note)
	})
}

// auditConflict records a refused officer action that failed on state (409)
// or validation, so the audit log shows every attempt.
func (s *Service) auditConflict(ctx context.Context, actor *account.User, action string, appID *int64, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.AsValidation(err); ok || errs.Reason(err) != "" {
		return s.refuse(ctx, actor, action, appID, nil, err)
	}
	return err
}

// SheetInput is one council member's scores.
type SheetInput struct {
	CriteriaVersion string
	PartA           Points
	PartB           Points
	PartC           Points
	Bonus           Points
	MandatoryPassed bool
}

// check holds each part within [0, its maximum] under the sheet's criteria version.
func (in SheetInput) check() error {
	maxA, maxB, maxC, ok := PartMaxima(in.CriteriaVersion)
	if !ok {
		return errs.Invalid("criteria_version", "registry.err.criteria")
	}
	var fe []errs.FieldError
	for _, p := range []struct {
		field string
		v     Points
		max   Points
	}{{"part_a", in.PartA, maxA}, {"part_b", in.PartB, maxB}, {"part_c", in.PartC, maxC}, {"bonus", in.Bonus, MaxBonus}} {
		if p.v < 0 || p.v > p.max {
			fe = append(fe, errs.FieldError{Field: p.field, Message: "registry.err.part_range", Param: p.max.String()})
		}
	}
	if fe != nil {
		return &errs.ValidationError{Fields: fe}
	}
	return nil
}

// Total is the sheet's score: the three parts plus bonus, capped at 100.
func (in SheetInput) Total() Points {
	t := in.PartA + in.PartB + in.PartC + in.Bonus
	if t > 10000 {
		t = 10000
	}
	return t
}

// Score records the actor's score sheet as a council member. A provincial
// officer scores proposed applications of their province (the first sheet
// moves it to scored); a central officer scores forwarded ones. Each member
// scores an application once per level.
func (s *Service) Score(ctx context.Context, actor *account.User, code string, in SheetInput) (ScoreSheet, error) {
	a, err := s.officerApp(ctx, actor, code, "application.score")
	if err != nil {
		return ScoreSheet{}, err
	}
	if in.CriteriaVersion == "" {
		in.CriteriaVersion, _ = CriteriaOn(s.today()) // not an error: "" is refused by in.check below
	}
	if err := in.check(); err != nil {
		return ScoreSheet{}, s.refuse(ctx, actor, "application.score", &a.ID, nil, err)
	}
	// A sheet is dated the day it is recorded, and must use the criteria in force that day.
	if v, _ := CriteriaOn(s.today()); in.CriteriaVersion != v {
		return ScoreSheet{}, s.refuse(ctx, actor, "application.score", &a.ID, nil, invalidBecause("criteria_version", "registry.err.criteria_not_in_force"))
	}
	level, from, to := AuthorityProvince, []AppStatus{StatusProposed, StatusScored}, StatusScored
	if actor.IsCentralOfficer() {
		level, from, to = AuthorityCentral, []AppStatus{StatusForwarded}, StatusForwarded
	}
	sh := ScoreSheet{ApplicationID: a.ID, Level: level, MemberID: actor.ID, CriteriaVersion: in.CriteriaVersion,
		PartA: in.PartA.Float(), PartB: in.PartB.Float(), PartC: in.PartC.Float(), Bonus: in.Bonus.Float(),
		MandatoryPassed: in.MandatoryPassed, Total: in.Total().Float()}
	before := snapApp(a)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := moveApp(tx, &a, to, from, nil); err != nil {
			return err
		}
		if before.Status != a.Status { // the first sheet moves it; later ones add to the council
			if err := s.emit(ctx, tx, statusEvents(a)...); err != nil {
				return err
			}
		}
		// One criteria version per council. The compare-and-set above holds
		// the application's row, so racing members see each other's sheets here.
		var other int64
		if err := tx.Model(&ScoreSheet{}).Where("application_id = ? AND level = ? AND criteria_version <> ?", a.ID, level, sh.CriteriaVersion).
			Count(&other).Error; err != nil {
			return err
		}
		if other > 0 {
			return reasoned(fmt.Errorf("%w: the council already scored under another criteria version", errs.ErrConflict), "registry.err.criteria_mixed")
		}
		if err := tx.Create(&sh).Error; err != nil {
			if db.IsDuplicate(err) {
				return reasoned(errs.ErrConflict, "registry.err.already_scored")
			}
			return err
		}
		return audit(tx, actor, "application.score", "ok", &a.ID, nil, before, map[string]any{"status": a.Status, "sheet": sh}, "")
	})
	return sh, s.auditConflict(ctx, actor, "application.score", &a.ID, err)
}

// Council is the council's result at one level.
type Council struct {
	Level           AuthorityLevel
	Members         int
	Score           Points
	MandatoryPassed bool
	CriteriaVersion string // the members' one version; "" when Mixed
	Mixed           bool   // sheets under more than one criteria version: no result may be drawn
}

// councilOf averages the members' totals at a level. The average is rounded
// down to the hundredth, so rounding never lifts a product over a star
// boundary it did not reach; a mandatory criterion failed on any member's
// sheet fails it for the council.
func councilOf(sheets []ScoreSheet, level AuthorityLevel) Council {
	c := Council{Level: level, MandatoryPassed: true}
	var sum Points
	for _, sh := range sheets {
		if sh.Level != level {
			continue
		}
		c.Members++
		sum += PointsOf(sh.Total)
		c.MandatoryPassed = c.MandatoryPassed && sh.MandatoryPassed
		if c.Members > 1 && sh.CriteriaVersion != c.CriteriaVersion {
			c.Mixed = true
		}
		c.CriteriaVersion = sh.CriteriaVersion
	}
	if c.Mixed {
		c.CriteriaVersion = ""
	}
	if c.Members > 0 {
		c.Score = sum / Points(c.Members)
	} else {
		c.MandatoryPassed = false
	}
	return c
}

func (s *Service) council(tx *gorm.DB, appID int64, level AuthorityLevel) (Council, error) {
	var sheets []ScoreSheet
	if err := tx.Where("application_id = ? AND level = ?", appID, level).Find(&sheets).Error; err != nil {
		return Council{}, err
	}
	return councilOf(sheets, level), nil
}

// RefuseInput audits an officer's attempt on an application that failed
// before it reached the service (a score that is not a number with at most
// two decimals) and returns err. Attempts on applications outside the
// officer's scope are refused as such.
func (s *Service) RefuseInput(ctx context.Context, actor *account.User, code, action string, err error) error {
	a, lerr := s.officerApp(ctx, actor, code, action)
	if lerr != nil {
		return lerr
	}
	return s.refuse(ctx, actor, action, &a.ID, nil, err)
}
