package registryweb

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Producer portal pages: /portal/registry.

type portalRegistryView struct {
	Applications []registry.Application
	Certificates []certificateJSON
	Groups       []registry.GroupOption
	Products     []registry.Option
	Expiring     []certificateJSON // valid now, ending within 90 days: time to apply for renewal
}

// PortalPage is the producer's registry page: applications, certificates, the
// ones to renew, and the form to apply.
func (h *Handlers) PortalPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	as, err := h.Registry.ProducerApplications(ctx, u)
	if err != nil {
		return err
	}
	cs, err := h.Registry.ProducerCertificates(ctx, u)
	if err != nil {
		return err
	}
	gs, err := h.Registry.Groups(ctx)
	if err != nil {
		return err
	}
	p, err := h.Producers.OfUser(ctx, u.ID)
	if err != nil {
		return err
	}
	ps, err := h.Registry.ProducerProducts(ctx, p.ID)
	if err != nil {
		return err
	}
	v := portalRegistryView{Applications: as, Certificates: h.certsJSON(cs), Groups: gs, Products: ps}
	today := h.Registry.Today()
	for _, cert := range cs {
		if cert.ValidOn(today) && !cert.ValidUntil.After(today.AddDays(90)) {
			v.Expiring = append(v.Expiring, h.certJSON(cert, today))
		}
	}
	return h.Render(c, http.StatusOK, "portal_registry", v)
}

type applicationForm struct {
	Kind                string `form:"kind" validate:"omitempty,oneof=new renewal upgrade"`
	ProductName         string `form:"product_name" validate:"required,max=200"`
	ProductID           int64  `form:"product_id" validate:"gte=0"`
	GroupCode           string `form:"group_code" validate:"required,max=12"`
	Description         string `form:"description" validate:"max=5000"`
	SelfA               string `form:"self_a" validate:"max=8"`
	SelfB               string `form:"self_b" validate:"max=8"`
	SelfC               string `form:"self_c" validate:"max=8"`
	PreviousCertificate string `form:"previous_certificate" validate:"max=20"`
	ReuseFrom           string `form:"reuse_from" validate:"max=20"`
}

// formPoints reads optional decimal fields typed by a person.
func formPoints(fields map[string]string) (map[string]registry.Points, error) {
	out := map[string]registry.Points{}
	var fe []errs.FieldError
	for name, v := range fields {
		if strings.TrimSpace(v) == "" {
			continue
		}
		p, err := registry.ParsePoints(v)
		if err != nil {
			fe = append(fe, errs.FieldError{Field: name, Message: "registry.err.decimals"})
		}
		out[name] = p
	}
	if fe != nil {
		return nil, &errs.ValidationError{Fields: fe}
	}
	return out, nil
}

// PortalCreateApplication is the page form of APICreateApplication.
func (h *Handlers) PortalCreateApplication(c echo.Context) error {
	var f applicationForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.PortalPage)
	}
	ps, err := formPoints(map[string]string{"self_a": f.SelfA, "self_b": f.SelfB, "self_c": f.SelfC})
	if err != nil {
		return kit.RenderForm(c, err, h.PortalPage)
	}
	var productID *int64
	if f.ProductID > 0 {
		productID = &f.ProductID
	}
	a, err := h.Registry.CreateApplication(c.Request().Context(), kit.UserOf(c), registry.NewApplication{Kind: registry.AppKind(f.Kind), ProductID: productID,
		ProductName: f.ProductName, GroupCode: f.GroupCode, Description: f.Description, SelfA: ps["self_a"], SelfB: ps["self_b"],
		SelfC: ps["self_c"], PreviousCertificate: strings.TrimSpace(f.PreviousCertificate), ReuseFrom: strings.TrimSpace(f.ReuseFrom)})
	if err != nil {
		return kit.RenderForm(c, err, h.PortalPage)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/portal/registry/"+a.Code)
}

type portalApplicationView struct {
	App   applicationJSON
	Kinds []string
}

// PortalApplicationPage is one of the producer's applications, with the dossier upload form.
func (h *Handlers) PortalApplicationPage(c echo.Context) error {
	d, err := h.Registry.ProducerApplication(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	v := portalApplicationView{App: h.detailJSON(d, h.Registry.Today()), Kinds: registry.DocumentKinds}
	v.App.History = h.translateNotes(kit.LangOf(c), v.App.History)
	return h.Render(c, http.StatusOK, "portal_registry_application", v)
}

// PortalSubmit is the page form of APISubmitApplication.
func (h *Handlers) PortalSubmit(c echo.Context) error {
	a, err := h.Registry.Submit(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return kit.RenderForm(c, err, h.PortalApplicationPage)
	}
	h.Flash(c, "registry.flash.submitted")
	return c.Redirect(http.StatusSeeOther, "/portal/registry/"+a.Code)
}

// PortalUpload adds a file to the dossier of one of the producer's applications.
func (h *Handlers) PortalUpload(c echo.Context) error {
	if _, err := h.upload(c); err != nil {
		return kit.RenderForm(c, err, h.PortalApplicationPage)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/portal/registry/"+c.Param("code"))
}

// Officer pages: /registry.

type queueView struct {
	Items    []registry.Application
	Communes []registry.Option
	Status   string
	Commune  string
	Statuses []string
}

// QueuePage is the applications the officer may act on, filtered by status and commune.
func (h *Handlers) QueuePage(c echo.Context) error {
	f := registry.QueueFilter{Status: registry.AppStatus(c.QueryParam("status")), CommuneCode: c.QueryParam("commune")}
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	as, err := h.Registry.Queue(ctx, u, f)
	if err != nil {
		return err
	}
	province := ""
	if !u.IsCentralOfficer() && u.OfficerProvinceCode != nil {
		province = *u.OfficerProvinceCode
	}
	cs, err := h.Registry.Communes(ctx, province)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "registry_queue", queueView{Items: as, Communes: cs, Status: string(f.Status), Commune: f.CommuneCode,
		Statuses: []string{"submitted", "proposed", "scored", "forwarded", "decided"}})
}

type officerAppView struct {
	App      applicationJSON
	Central  bool
	Commune  bool   // a commune officer: proposes, never scores
	Criteria string // the criteria version in force today: the only one a sheet may use
}

// ApplicationPage is one application as an officer works on it.
func (h *Handlers) ApplicationPage(c echo.Context) error {
	d, err := h.Registry.OfficerApplication(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	v := officerAppView{App: h.detailJSON(d, h.Registry.Today()), Central: kit.UserOf(c).IsCentralOfficer(), Commune: kit.UserOf(c).IsCommuneOfficer()}
	v.Criteria, _ = registry.CriteriaOn(h.Registry.Today()) // not an error: false (before 2019) leaves the default sheet
	v.App.History = h.translateNotes(kit.LangOf(c), v.App.History)
	return h.Render(c, http.StatusOK, "registry_application", v)
}

type proposeForm struct {
	Note string `form:"note" validate:"max=2000"`
}

// Propose is the page form of APIPropose.
func (h *Handlers) Propose(c echo.Context) error {
	var f proposeForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.ApplicationPage)
	}
	if _, err := h.Registry.Propose(c.Request().Context(), kit.UserOf(c), c.Param("code"), f.Note); err != nil {
		return kit.RenderForm(c, err, h.ApplicationPage)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/registry/applications/"+c.Param("code"))
}

type remarkForm struct {
	Note string `form:"note" validate:"required,max=2000"`
}

// Remark is the page form of APIRemark.
func (h *Handlers) Remark(c echo.Context) error {
	var f remarkForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.ApplicationPage)
	}
	if err := h.Registry.Remark(c.Request().Context(), kit.UserOf(c), c.Param("code"), f.Note); err != nil {
		return kit.RenderForm(c, err, h.ApplicationPage)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/registry/applications/"+c.Param("code"))
}

type scoreForm struct {
	CriteriaVersion string `form:"criteria_version" validate:"omitempty,oneof=148 1048"`
	PartA           string `form:"part_a" validate:"required,max=8"`
	PartB           string `form:"part_b" validate:"required,max=8"`
	PartC           string `form:"part_c" validate:"required,max=8"`
	Bonus           string `form:"bonus" validate:"max=8"`
	Mandatory       string `form:"mandatory" validate:"required,oneof=pass fail"`
}

// Score is the page form of APIScore.
func (h *Handlers) Score(c echo.Context) error {
	var f scoreForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, h.Registry.RefuseInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "application.score", err), h.ApplicationPage)
	}
	ps, err := formPoints(map[string]string{"part_a": f.PartA, "part_b": f.PartB, "part_c": f.PartC, "bonus": f.Bonus})
	if err != nil {
		return kit.RenderForm(c, h.Registry.RefuseInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "application.score", err), h.ApplicationPage)
	}
	in := registry.SheetInput{CriteriaVersion: f.CriteriaVersion, PartA: ps["part_a"], PartB: ps["part_b"], PartC: ps["part_c"], Bonus: ps["bonus"], MandatoryPassed: f.Mandatory == "pass"}
	if in.CriteriaVersion == "" {
		in.CriteriaVersion = registry.Criteria148
	}
	if _, err := h.Registry.Score(c.Request().Context(), kit.UserOf(c), c.Param("code"), in); err != nil {
		return kit.RenderForm(c, err, h.ApplicationPage)
	}
	h.Flash(c, "registry.flash.scored")
	return c.Redirect(http.StatusSeeOther, "/registry/applications/"+c.Param("code"))
}

type decisionFormView struct {
	Items   []registry.Application
	Today   string
	Central bool
}

// DecisionPage is the form of a recognition decision over the applications ready for it.
func (h *Handlers) DecisionPage(c echo.Context) error {
	u := kit.UserOf(c)
	st := registry.StatusScored
	if u.IsCentralOfficer() {
		st = registry.StatusForwarded
	}
	as, err := h.Registry.Queue(c.Request().Context(), u, registry.QueueFilter{Status: st})
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "registry_decision", decisionFormView{Items: as, Today: h.Registry.Today().String(), Central: u.IsCentralOfficer()})
}

type decisionForm struct {
	Number       string   `form:"number" validate:"required,max=80"`
	Date         string   `form:"date" validate:"required,max=10"`
	Signatory    string   `form:"signatory" validate:"max=200"`
	Applications []string `form:"applications" validate:"required,min=1,max=200,dive,max=20"`
}

// Decide is the page form of APIDecide.
func (h *Handlers) Decide(c echo.Context) error {
	var f decisionForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.DecisionPage)
	}
	d, err := day.Parse(f.Date)
	if err != nil {
		return kit.RenderForm(c, errs.Invalid("date", "validation.type"), h.DecisionPage)
	}
	if _, _, err := h.Registry.Decide(c.Request().Context(), kit.UserOf(c), registry.DecisionInput{Number: f.Number, Date: d, Signatory: f.Signatory, Applications: f.Applications}); err != nil {
		return kit.RenderForm(c, err, h.DecisionPage)
	}
	h.Flash(c, "registry.flash.decided")
	return c.Redirect(http.StatusSeeOther, "/registry/certificates")
}

type officerCertView struct {
	Cert       certificateJSON
	Audit      []auditJSON
	Today      string
	MayRevoke  bool           // the officer's level issued it
	MayPropose bool           // a province's officer looking at a central certificate
	Proposals  []proposalJSON // revocation proposals made for it
}

// CertificatePage is one certificate as an officer sees it: audit log, revocation and proposals.
func (h *Handlers) CertificatePage(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	es, err := h.Registry.CertificateAudit(ctx, u, c.Param("code"))
	if err != nil {
		return err
	}
	cert, err := h.Registry.CertificateByCode(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	ps, err := h.Registry.RevocationProposals(ctx, u, cert.Code)
	if err != nil {
		return err
	}
	v := officerCertView{Cert: h.certJSON(cert, h.Registry.Today()), Audit: h.translateNotes(kit.LangOf(c), auditsJSON(es)), Today: h.Registry.Today().String(),
		MayRevoke: registry.OfficerMayAct(u, cert), Proposals: proposalsJSON(ps)}
	v.MayPropose = !v.MayRevoke && !u.IsCentralOfficer() && cert.AuthorityLevel == registry.AuthorityCentral && cert.RevokedOn.IsZero()
	return h.Render(c, http.StatusOK, "registry_certificate", v)
}

type revokeForm struct {
	DecisionNo string `form:"decision_no" validate:"required,max=80"`
	Date       string `form:"date" validate:"required,max=10"`
	Reason     string `form:"reason" validate:"required,max=2000"`
}

// Revoke is the page form of APIRevoke.
func (h *Handlers) Revoke(c echo.Context) error {
	var f revokeForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, h.Registry.RefuseCertInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "certificate.revoke", err), h.CertificatePage)
	}
	d, err := day.Parse(f.Date)
	if err != nil {
		return kit.RenderForm(c, h.Registry.RefuseCertInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "certificate.revoke", errs.Invalid("date", "validation.type")), h.CertificatePage)
	}
	if _, err := h.Registry.Revoke(c.Request().Context(), kit.UserOf(c), c.Param("code"), registry.Revocation{DecisionNo: f.DecisionNo, Date: d, Reason: f.Reason}); err != nil {
		return kit.RenderForm(c, err, h.CertificatePage)
	}
	h.Flash(c, "registry.flash.revoked")
	return c.Redirect(http.StatusSeeOther, "/registry/certificates/"+c.Param("code"))
}
