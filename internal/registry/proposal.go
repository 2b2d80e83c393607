package registry

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// RevocationProposal is a province asking the central level to revoke a
// certificate the central level issued. It revokes nothing: central
// officers see it and decide.
type RevocationProposal struct {
	ID            int64 `gorm:"primaryKey"`
	CertificateID int64
	ProposedBy    int64
	ProvinceCode  string
	Reason        string
	CreatedAt     time.Time
}

// TableName is the registry's table of revocation proposals.
func (RevocationProposal) TableName() string { return "registry_revocation_proposals" }

// ProposeRevocation records a provincial officer's proposal that the
// central level revoke one of its certificates of the officer's province.
// For a certificate the province issued itself there is nothing to
// propose (it revokes it); central officers revoke directly.
func (s *Service) ProposeRevocation(ctx context.Context, actor *account.User, code, reason string) (RevocationProposal, error) {
	const action = "certificate.propose_revocation"
	c, err := s.officerReadCert(ctx, actor, code, action)
	if err != nil {
		return RevocationProposal{}, err
	}
	switch {
	case actor.IsCentralOfficer():
		err = reasoned(errs.ErrForbidden, "registry.err.revoke_yourself")
	case c.AuthorityLevel != AuthorityCentral:
		err = reasoned(errs.ErrConflict, "registry.err.revoke_yourself")
	case !c.RevokedOn.IsZero():
		err = reasoned(errs.ErrConflict, "registry.err.already_revoked")
	}
	reason = strings.TrimSpace(reason)
	if err == nil && !cleanMultiline(reason, 2000) {
		err = errs.Invalid("reason", "validation.required")
	}
	if err != nil {
		return RevocationProposal{}, s.refuse(ctx, actor, action, nil, &c.ID, err)
	}
	p := RevocationProposal{CertificateID: c.ID, ProposedBy: actor.ID, ProvinceCode: c.ProvinceCode, Reason: reason, CreatedAt: time.Now().UTC()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		return audit(tx, actor, action, "ok", nil, &c.ID, nil, map[string]any{"proposal": p.ID, "reason": reason}, reason)
	})
	return p, err
}

// ProposalView is a revocation proposal with what an officer needs to act on it.
type ProposalView struct {
	RevocationProposal
	CertificateCode string
	ProductName     string
	Stars           int
	ProposerEmail   string
	Revoked         bool // the certificate has been revoked since
}

// RevocationProposals lists proposals an officer may see, newest first: a
// central officer every province's, a provincial officer their province's.
// code narrows to one certificate ("" = all).
func (s *Service) RevocationProposals(ctx context.Context, actor *account.User, code string) ([]ProposalView, error) {
	if actor == nil || actor.Role != account.RoleOfficer || actor.IsCommuneOfficer() {
		return nil, errs.ErrForbidden
	}
	q := s.db.WithContext(ctx).Table("registry_revocation_proposals p").
		Select("p.*, c.code AS certificate_code, c.product_name, c.stars, c.revoked_on IS NOT NULL AS revoked").
		Joins("JOIN certificates c ON c.id = p.certificate_id")
	if !actor.IsCentralOfficer() {
		q = q.Where("p.province_code = ?", officerProvince(actor))
	}
	if code != "" {
		q = q.Where("c.code = ?", code)
	}
	var out []ProposalView
	if err := q.Order("p.id DESC").Limit(200).Scan(&out).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(out))
	for i, p := range out {
		ids[i] = p.ProposedBy
	}
	emails, err := s.accounts.Emails(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].ProposerEmail = emails[out[i].ProposedBy]
	}
	return out, nil
}

// cleanMultiline is cleanText that also allows line breaks and tabs (a
// reason typed in a text area).
func cleanMultiline(s string, max int) bool {
	return cleanText(strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ").Replace(s), max)
}

// RefuseProposal audits an officer's malformed proposal (no reason) and returns err.
func (s *Service) RefuseProposal(ctx context.Context, actor *account.User, code string, err error) error {
	c, lerr := s.officerReadCert(ctx, actor, code, "certificate.propose_revocation")
	if lerr != nil {
		return lerr
	}
	return s.refuse(ctx, actor, "certificate.propose_revocation", nil, &c.ID, err)
}
