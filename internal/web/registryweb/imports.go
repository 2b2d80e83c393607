package registryweb

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Historic imports, their confirmation by a second officer, and proposals
// to revoke central certificates. Every rule lives in registry.Service; the
// handlers bind and call one method.

type importRequest struct {
	ProducerSlug    string   `json:"producer_slug" validate:"required,max=200"`
	ProductID       *int64   `json:"product_id"`
	ProductName     string   `json:"product_name" validate:"required,max=200"`
	GroupCode       string   `json:"group_code" validate:"required,max=12"`
	AuthorityLevel  string   `json:"authority_level" validate:"required,oneof=central province district"`
	AuthorityName   string   `json:"authority_name" validate:"max=200"`
	DecisionNo      string   `json:"decision_no" validate:"required,max=80"`
	DecisionDate    day.Date `json:"decision_date"`
	Number          string   `json:"number" validate:"max=120"`
	Stars           int      `json:"stars" validate:"required,min=3,max=5"`
	Score           float64  `json:"score"`
	CriteriaVersion string   `json:"criteria_version" validate:"required,oneof=148 1048"`
	OwnerAddress    string   `json:"owner_address" validate:"max=500"`
	SupersedesCode  string   `json:"supersedes" validate:"max=20"`
}

// APIImport records a historic certificate as a pending import.
func (h *Handlers) APIImport(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	var req importRequest
	if err := h.BindJSON(c, &req); err != nil {
		return h.Registry.RefuseImport(ctx, u, err)
	}
	score, err := points("score", req.Score)
	if err != nil {
		return h.Registry.RefuseImport(ctx, u, err)
	}
	cert, err := h.Registry.ImportHistoric(ctx, u, registry.Import{ProducerSlug: req.ProducerSlug, ProductID: req.ProductID, ProductName: req.ProductName,
		GroupCode: req.GroupCode, Level: registry.AuthorityLevel(req.AuthorityLevel), AuthorityName: req.AuthorityName, DecisionNo: req.DecisionNo,
		DecisionDate: req.DecisionDate, Number: req.Number, Stars: req.Stars, Score: score, Criteria: req.CriteriaVersion,
		OwnerAddress: req.OwnerAddress, SupersededCode: req.SupersedesCode})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, h.certJSON(cert, h.Registry.Today()))
}

type pendingImportJSON struct {
	Certificate certificateJSON `json:"certificate"`
	ImportedBy  string          `json:"imported_by"`
	ImportedAt  string          `json:"imported_at"`
	ImportedVN  string          `json:"-"`
	ImportedOn  time.Time       `json:"-"` // for pages, written in the reader's format
	MayConfirm  bool            `json:"may_confirm"`
	Supersedes  string          `json:"supersedes,omitempty"`
}

func (h *Handlers) pendingImports(c echo.Context) ([]pendingImportJSON, error) {
	ps, err := h.Registry.PendingImports(c.Request().Context(), kit.UserOf(c))
	if err != nil {
		return nil, err
	}
	today := h.Registry.Today()
	out := make([]pendingImportJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, pendingImportJSON{Certificate: h.certJSON(p.Certificate, today), ImportedBy: p.ImportedBy,
			ImportedAt: p.ImportedAt.UTC().Format(time.RFC3339), ImportedVN: kit.VNTime(p.ImportedAt), ImportedOn: p.ImportedAt, MayConfirm: p.MayConfirm, Supersedes: p.SupersedeCode})
	}
	return out, nil
}

// APIPendingImports lists the imports waiting for a second officer of the caller's level.
func (h *Handlers) APIPendingImports(c echo.Context) error {
	items, err := h.pendingImports(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// confirmImport passes the uploaded scan (multipart field "file") to the service.
func (h *Handlers) confirmImport(c echo.Context) (registry.Certificate, error) {
	scan := registry.Scan{}
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return registry.Certificate{}, err
		}
		defer f.Close()
		scan = registry.Scan{FileName: fh.Filename, Size: fh.Size, Body: f}
	}
	return h.Registry.ConfirmImport(c.Request().Context(), kit.UserOf(c), c.Param("code"), scan)
}

// APIConfirmImport confirms a pending import with the scanned original decision.
func (h *Handlers) APIConfirmImport(c echo.Context) error {
	cert, err := h.confirmImport(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.certJSON(cert, h.Registry.Today()))
}

type importsView struct {
	Items   []pendingImportJSON
	Results []confirmResultJSON // of a batch confirmation just made
}

// ImportsPage is the officers' page of imports waiting for a second officer.
func (h *Handlers) ImportsPage(c echo.Context) error {
	items, err := h.pendingImports(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "registry_imports", importsView{Items: items})
}

// ConfirmImport is the page form of apiConfirmImport.
func (h *Handlers) ConfirmImport(c echo.Context) error {
	if _, err := h.confirmImport(c); err != nil {
		return kit.RenderForm(c, err, h.ImportsPage)
	}
	h.Flash(c, "registry.flash.import_confirmed")
	return c.Redirect(http.StatusSeeOther, "/registry/imports")
}

// CertificateScan sends the scanned original decision of a confirmed import. Public, like verify.
func (h *Handlers) CertificateScan(c echo.Context) error {
	rec, rc, err := h.Registry.OpenScan(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	defer rc.Close()
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+rec.ScanFileName+`"`)
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Stream(http.StatusOK, rec.ScanContentType, rc)
}

type proposalRequest struct {
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

type proposalJSON struct {
	ID          int64     `json:"id"`
	Certificate string    `json:"certificate"`
	ProductName string    `json:"product_name"`
	Stars       int       `json:"stars"`
	Province    string    `json:"province_code"`
	Reason      string    `json:"reason"`
	ProposedBy  string    `json:"proposed_by"`
	ProposedAt  string    `json:"proposed_at"`
	ProposedVN  string    `json:"-"`
	ProposedOn  time.Time `json:"-"` // for pages, written in the reader's format
	Revoked     bool      `json:"certificate_revoked"`
}

func proposalsJSON(ps []registry.ProposalView) []proposalJSON {
	out := make([]proposalJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, proposalJSON{ID: p.ID, Certificate: p.CertificateCode, ProductName: p.ProductName, Stars: p.Stars, Province: p.ProvinceCode,
			Reason: p.Reason, ProposedBy: p.ProposerEmail, ProposedAt: p.CreatedAt.UTC().Format(time.RFC3339), ProposedVN: kit.VNTime(p.CreatedAt), ProposedOn: p.CreatedAt, Revoked: p.Revoked})
	}
	return out
}

// APIProposeRevocation records a province's proposal to revoke a central certificate.
func (h *Handlers) APIProposeRevocation(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	var req proposalRequest
	if err := h.BindJSON(c, &req); err != nil {
		return h.Registry.RefuseProposal(ctx, u, c.Param("code"), err)
	}
	p, err := h.Registry.ProposeRevocation(ctx, u, c.Param("code"), req.Reason)
	if err != nil {
		return err
	}
	ps, err := h.Registry.RevocationProposals(ctx, u, c.Param("code"))
	if err != nil {
		return err
	}
	for _, v := range proposalsJSON(ps) {
		if v.ID == p.ID {
			return c.JSON(http.StatusCreated, v)
		}
	}
	return c.NoContent(http.StatusCreated)
}

// APIRevocationProposals lists proposals: every province's for central officers, their own for a province.
func (h *Handlers) APIRevocationProposals(c echo.Context) error {
	ps, err := h.Registry.RevocationProposals(c.Request().Context(), kit.UserOf(c), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": proposalsJSON(ps)})
}

// ProposeRevocation is the page form of apiProposeRevocation.
func (h *Handlers) ProposeRevocation(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	var f proposalRequest
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, h.Registry.RefuseProposal(ctx, u, c.Param("code"), err), h.CertificatePage)
	}
	if _, err := h.Registry.ProposeRevocation(ctx, u, c.Param("code"), f.Reason); err != nil {
		return kit.RenderForm(c, err, h.CertificatePage)
	}
	h.Flash(c, "registry.flash.proposed")
	return c.Redirect(http.StatusSeeOther, "/registry/certificates/"+c.Param("code"))
}

type proposalsView struct {
	Items []proposalJSON
}

// ProposalsPage is the page of revocation proposals.
func (h *Handlers) ProposalsPage(c echo.Context) error {
	ps, err := h.Registry.RevocationProposals(c.Request().Context(), kit.UserOf(c), "")
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "registry_proposals", proposalsView{Items: proposalsJSON(ps)})
}
