package registry

import (
	"context"
	"fmt"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Who may see and do what:
//   - a producer sees only its own applications; any other is ErrNotFound,
//     so codes of other producers cannot even be confirmed to exist;
//   - a provincial officer acts on applications and certificates of
//     producers in their province;
//   - a central officer acts on applications forwarded to the central level
//     (from any province) and on certificates the central level issued;
//   - an officer never sees a draft: it is ErrNotFound until the producer submits it;
//   - authority follows the issuer: a certificate is revoked, and its import
//     confirmed, by the level that issued it; a provincial officer sees the
//     central certificates of their province and may propose their revocation;
//   - refused officer attempts are written to the audit log.

// ownApp loads code for the producer user actor, or ErrNotFound.
func (s *Service) ownApp(ctx context.Context, actor *account.User, code string) (Application, error) {
	if actor == nil || actor.Role != account.RoleProducer {
		return Application{}, errs.ErrNotFound
	}
	p, err := s.producers.OfUser(ctx, actor.ID)
	if err != nil {
		return Application{}, err
	}
	a, err := s.appByCode(ctx, code)
	if err != nil {
		return a, err
	}
	if a.ProducerID != p.ID { // security: another producer's application does not exist for you
		return Application{}, errs.ErrNotFound
	}
	return a, nil
}

// officerMayRead reports whether an officer may see application a. Drafts
// are never an officer's to see; a commune officer sees only their
// commune's applications at the proposal stage (submitted, or proposed).
func officerMayRead(actor *account.User, a Application) bool {
	if a.Status == StatusDraft {
		return false
	}
	if actor.IsCommuneOfficer() {
		return actor.CommuneOfficerOf(a.CommuneCode) && actor.OfficerProvinceCode != nil && *actor.OfficerProvinceCode == a.ProvinceCode &&
			(a.Status == StatusSubmitted || a.Status == StatusProposed)
	}
	if actor.IsCentralOfficer() {
		return a.Status == StatusForwarded || a.CentralDecisionID != nil
	}
	return actor.OfficerOf(a.ProvinceCode)
}

// officerApp loads code for an officer and checks scope; a refusal is audited.
func (s *Service) officerApp(ctx context.Context, actor *account.User, code, action string) (Application, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return Application{}, errs.ErrForbidden
	}
	a, err := s.appByCode(ctx, code)
	if err != nil {
		return a, err
	}
	if a.Status == StatusDraft {
		// security: a draft is the producer's until submitted; to an officer
		// it does not exist (404 like an unknown code, whatever the province).
		id := a.ID
		if aerr := s.logRefusal(ctx, actor, action, &id, nil, reasoned(errs.ErrNotFound, "registry.err.draft")); aerr != nil {
			return Application{}, aerr
		}
		return Application{}, errs.ErrNotFound
	}
	if actor.IsCommuneOfficer() && !communeActions[action] {
		// security: a commune officer reads and proposes, nothing more
		id := a.ID
		return Application{}, s.refuse(ctx, actor, action, &id, nil, reasoned(errs.ErrForbidden, "registry.err.commune_only"))
	}
	if !officerMayRead(actor, a) {
		id := a.ID
		return Application{}, s.refuse(ctx, actor, action, &id, nil,
			reasoned(fmt.Errorf("%w: application outside the officer's scope", errs.ErrForbidden), "registry.err.outside_scope"))
	}
	return a, nil
}

// officerMayReadCert reports whether an officer may see c and its audit
// log: a provincial officer every certificate of their province (central
// ones included, whose revocation they may propose), a central officer the
// certificates the central level issued.
func officerMayReadCert(actor *account.User, c Certificate) bool {
	if actor.IsCentralOfficer() {
		return c.AuthorityLevel == AuthorityCentral
	}
	return actor.OfficerOf(c.ProvinceCode)
}

// officerMayActOnCert reports whether an officer may revoke c or confirm its
// import. Authority follows the issuer: central certificates are for
// central officers only; province and district ones for the province.
func officerMayActOnCert(actor *account.User, c Certificate) bool {
	if actor.IsCentralOfficer() {
		return c.AuthorityLevel == AuthorityCentral
	}
	return actor.OfficerOf(c.ProvinceCode) && c.AuthorityLevel != AuthorityCentral
}

// OfficerMayAct reports whether actor may revoke c or confirm its import
// (pages use it to offer the right form; the service checks it again).
func OfficerMayAct(actor *account.User, c Certificate) bool {
	return actor != nil && actor.Role == account.RoleOfficer && officerMayActOnCert(actor, c)
}

// officerCert loads a certificate for an officer who means to act on it and
// checks scope; a refusal is audited.
func (s *Service) officerCert(ctx context.Context, actor *account.User, code, action string) (Certificate, error) {
	c, err := s.officerReadCert(ctx, actor, code, action)
	if err != nil {
		return c, err
	}
	if !officerMayActOnCert(actor, c) {
		id := c.ID
		return Certificate{}, s.refuse(ctx, actor, action, nil, &id,
			reasoned(fmt.Errorf("%w: the central level issued this certificate", errs.ErrForbidden), "registry.err.central_only"))
	}
	return c, nil
}

// officerReadCert loads a certificate for an officer who may see it; a refusal is audited.
func (s *Service) officerReadCert(ctx context.Context, actor *account.User, code, action string) (Certificate, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return Certificate{}, errs.ErrForbidden
	}
	c, err := s.CertificateByCode(ctx, code)
	if err != nil {
		return c, err
	}
	if !officerMayReadCert(actor, c) {
		id := c.ID
		return Certificate{}, s.refuse(ctx, actor, action, nil, &id,
			reasoned(fmt.Errorf("%w: certificate outside the officer's scope", errs.ErrForbidden), "registry.err.outside_scope"))
	}
	return c, nil
}

// officerProvince is the province a provincial officer acts for, or "" for
// a central or a commune officer (a commune officer acts for no province:
// every province-wide list refuses or shows them nothing).
func officerProvince(actor *account.User) string {
	if actor.OfficerProvinceCode != nil && actor.OfficerLevel == account.LevelProvince {
		return *actor.OfficerProvinceCode
	}
	return ""
}

// communeActions are the only application actions of a commune officer.
var communeActions = map[string]bool{"application.read": true, "application.propose": true, "application.remark": true,
	"document.read": true, "audit.read": true}
