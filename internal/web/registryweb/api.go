package registryweb

import (
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// points converts a JSON decimal to Points, refusing more than two decimals,
// NaN and infinities (a score is never silently rounded).
func points(field string, f float64) (registry.Points, error) {
	p := registry.PointsOf(f)
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f*100-float64(p)) > 1e-6 {
		return 0, errs.Invalid(field, "registry.err.decimals")
	}
	return p, nil
}

type createApplicationRequest struct {
	Kind                string   `json:"kind" validate:"omitempty,oneof=new renewal upgrade"`
	ProductName         string   `json:"product_name" validate:"required,max=200"`
	ProductID           *int64   `json:"product_id"`
	GroupCode           string   `json:"group_code" validate:"required,max=12"`
	Description         string   `json:"description" validate:"max=5000"`
	SelfAssessment      selfJSON `json:"self_assessment"`
	PreviousCertificate string   `json:"previous_certificate" validate:"max=20"`
	ReuseFrom           string   `json:"reuse_from" validate:"max=20"`
}

func (r createApplicationRequest) toDomain() (registry.NewApplication, error) {
	in := registry.NewApplication{Kind: registry.AppKind(r.Kind), ProductName: r.ProductName, ProductID: r.ProductID,
		GroupCode: r.GroupCode, Description: r.Description, PreviousCertificate: r.PreviousCertificate, ReuseFrom: r.ReuseFrom}
	var err error
	if in.SelfA, err = points("self_assessment.part_a", r.SelfAssessment.PartA); err != nil {
		return in, err
	}
	if in.SelfB, err = points("self_assessment.part_b", r.SelfAssessment.PartB); err != nil {
		return in, err
	}
	in.SelfC, err = points("self_assessment.part_c", r.SelfAssessment.PartC)
	return in, err
}

// APICreateApplication starts a draft application for the producer, with its self-assessment.
func (h *Handlers) APICreateApplication(c echo.Context) error {
	var req createApplicationRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	in, err := req.toDomain()
	if err != nil {
		return err
	}
	a, err := h.Registry.CreateApplication(c.Request().Context(), kit.UserOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, appJSON(a))
}

// APIMyApplications lists the producer's own applications.
func (h *Handlers) APIMyApplications(c echo.Context) error {
	as, err := h.Registry.ProducerApplications(c.Request().Context(), kit.UserOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": appsJSON(as)})
}

// APIMyApplication is one of the producer's applications with its dossier, sheets and history.
func (h *Handlers) APIMyApplication(c echo.Context) error {
	d, err := h.Registry.ProducerApplication(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.detailJSON(d, h.Registry.Today()))
}

// APISubmitApplication sends a draft to the province for evaluation.
func (h *Handlers) APISubmitApplication(c echo.Context) error {
	a, err := h.Registry.Submit(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, appJSON(a))
}

// APIUploadDocument takes one dossier file as multipart/form-data (fields kind and file).
func (h *Handlers) APIUploadDocument(c echo.Context) error {
	d, err := h.upload(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, documentJSON{d.ID, d.Kind, d.FileName, d.ContentType, d.Size, d.Sha256})
}

func (h *Handlers) upload(c echo.Context) (registry.Document, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return registry.Document{}, errs.Invalid("file", "validation.required")
	}
	if fh.Size > registry.MaxDocumentSize {
		return registry.Document{}, errs.Invalid("file", "registry.err.file_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return registry.Document{}, err
	}
	defer f.Close()
	return h.Registry.AddDocument(c.Request().Context(), kit.UserOf(c), c.Param("code"), c.FormValue("kind"), fh.Filename, fh.Size, f)
}

// DownloadDocument sends a dossier file to its producer or an officer in scope.
func (h *Handlers) DownloadDocument(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errs.ErrNotFound
	}
	d, rc, err := h.Registry.OpenDocument(c.Request().Context(), kit.UserOf(c), c.Param("code"), id)
	if err != nil {
		return err
	}
	defer rc.Close()
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+d.FileName+`"`)
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Stream(http.StatusOK, d.ContentType, rc)
}

// Officers.

// APIQueue lists the applications the officer may act on, by status and commune.
func (h *Handlers) APIQueue(c echo.Context) error {
	as, err := h.Registry.Queue(c.Request().Context(), kit.UserOf(c), registry.QueueFilter{Status: registry.AppStatus(c.QueryParam("status")), CommuneCode: c.QueryParam("commune")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": appsJSON(as)})
}

// APIOfficerApplication is one application in the officer's scope, in full.
func (h *Handlers) APIOfficerApplication(c echo.Context) error {
	d, err := h.Registry.OfficerApplication(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.detailJSON(d, h.Registry.Today()))
}

type noteRequest struct {
	Note string `json:"note" validate:"max=2000"`
}

// APIPropose records the commune's check of the dossier and its proposal.
func (h *Handlers) APIPropose(c echo.Context) error {
	var req noteRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	a, err := h.Registry.Propose(c.Request().Context(), kit.UserOf(c), c.Param("code"), req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, appJSON(a))
}

type remarkRequest struct {
	Note string `json:"note" validate:"required,max=2000"`
}

// APIRemark adds a remark the producer sees in the application's history.
func (h *Handlers) APIRemark(c echo.Context) error {
	var req remarkRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.Registry.Remark(c.Request().Context(), kit.UserOf(c), c.Param("code"), req.Note); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type scoreRequest struct {
	CriteriaVersion string  `json:"criteria_version" validate:"omitempty,oneof=148 1048"`
	PartA           float64 `json:"part_a"`
	PartB           float64 `json:"part_b"`
	PartC           float64 `json:"part_c"`
	Bonus           float64 `json:"bonus"`
	MandatoryPassed *bool   `json:"mandatory_passed" validate:"required"`
}

func (r scoreRequest) toDomain() (registry.SheetInput, error) {
	in := registry.SheetInput{CriteriaVersion: r.CriteriaVersion, MandatoryPassed: *r.MandatoryPassed}
	if in.CriteriaVersion == "" {
		in.CriteriaVersion = registry.Criteria148
	}
	var fe []errs.FieldError
	for _, p := range []struct {
		field string
		v     float64
		dst   *registry.Points
	}{{"part_a", r.PartA, &in.PartA}, {"part_b", r.PartB, &in.PartB}, {"part_c", r.PartC, &in.PartC}, {"bonus", r.Bonus, &in.Bonus}} {
		v, err := points(p.field, p.v)
		if err != nil {
			fe = append(fe, errs.FieldError{Field: p.field, Message: "registry.err.decimals"})
		}
		*p.dst = v
	}
	if fe != nil {
		return in, &errs.ValidationError{Fields: fe}
	}
	return in, nil
}

// APIScore records the officer's score sheet; refused input is audited.
func (h *Handlers) APIScore(c echo.Context) error {
	var req scoreRequest
	if err := h.BindJSON(c, &req); err != nil {
		return h.Registry.RefuseInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "application.score", err)
	}
	in, err := req.toDomain()
	if err != nil {
		return h.Registry.RefuseInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "application.score", err)
	}
	sh, err := h.Registry.Score(c.Request().Context(), kit.UserOf(c), c.Param("code"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, sheetJSON{sh.MemberID, string(sh.Level), sh.CriteriaVersion, sh.PartA, sh.PartB, sh.PartC, sh.Bonus, sh.MandatoryPassed, sh.Total})
}

type decisionRequest struct {
	Number       string   `json:"number" validate:"required,max=80"`
	Date         day.Date `json:"date"`
	Signatory    string   `json:"signatory" validate:"max=200"`
	Applications []string `json:"applications" validate:"required,min=1,max=200,dive,max=20"`
}

type decisionResultJSON struct {
	Application string           `json:"application"`
	Status      string           `json:"status"`
	Score       float64          `json:"score"`
	Stars       int              `json:"stars"`
	Forwarded   bool             `json:"forwarded"`
	Reason      string           `json:"reason,omitempty"`
	Certificate *certificateJSON `json:"certificate,omitempty"`
}

// APIDecide records a recognition decision over scored applications and issues their certificates.
func (h *Handlers) APIDecide(c echo.Context) error {
	var req decisionRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	dec, results, err := h.Registry.Decide(c.Request().Context(), kit.UserOf(c), registry.DecisionInput{Number: req.Number, Date: req.Date, Signatory: req.Signatory, Applications: req.Applications})
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	out := make([]decisionResultJSON, 0, len(results))
	for _, r := range results {
		j := decisionResultJSON{Application: r.Application.Code, Status: string(r.Application.Status), Score: r.Council.Score.Float(),
			Stars: r.Outcome.Stars, Forwarded: r.Outcome.Forward}
		if r.Outcome.Reason != "" {
			j.Reason = h.Msgs.T(lang, r.Outcome.Reason)
		}
		if r.Certificate != nil {
			cj := h.certJSON(*r.Certificate, h.Registry.Today())
			j.Certificate = &cj
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusCreated, map[string]any{"number": dec.Number, "date": dec.DecisionDate, "authority_name": dec.AuthorityName,
		"level": dec.Level, "results": out})
}

type revokeRequest struct {
	DecisionNo string   `json:"decision_no" validate:"required,max=80"`
	Date       day.Date `json:"date"`
	Reason     string   `json:"reason" validate:"required,max=2000"`
}

// APIRevoke revokes a certificate by a decision; refused input is audited.
func (h *Handlers) APIRevoke(c echo.Context) error {
	var req revokeRequest
	if err := h.BindJSON(c, &req); err != nil {
		return h.Registry.RefuseCertInput(c.Request().Context(), kit.UserOf(c), c.Param("code"), "certificate.revoke", err)
	}
	cert, err := h.Registry.Revoke(c.Request().Context(), kit.UserOf(c), c.Param("code"), registry.Revocation{DecisionNo: req.DecisionNo, Date: req.Date, Reason: req.Reason})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.certJSON(cert, h.Registry.Today()))
}

// APIExpiring lists certificates in scope ending within days (90 unless given).
func (h *Handlers) APIExpiring(c echo.Context) error {
	days := 90
	if v := c.QueryParam("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			return errs.Invalid("days", "registry.err.range")
		}
		days = n
	}
	cs, err := h.Registry.Expiring(c.Request().Context(), kit.UserOf(c), days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": h.certsJSON(cs)})
}

func (h *Handlers) certsJSON(cs []registry.Certificate) []certificateJSON {
	out := make([]certificateJSON, 0, len(cs))
	today := h.Registry.Today()
	for _, cert := range cs {
		out = append(out, h.certJSON(cert, today))
	}
	return out
}

// APIApplicationAudit is an application's audit log.
func (h *Handlers) APIApplicationAudit(c echo.Context) error {
	es, err := h.Registry.ApplicationAudit(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": auditsJSON(es)})
}

// APICertificateAudit is a certificate's audit log.
func (h *Handlers) APICertificateAudit(c echo.Context) error {
	es, err := h.Registry.CertificateAudit(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": auditsJSON(es)})
}
