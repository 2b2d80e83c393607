package web

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

// apiImport records a historic certificate as a pending import.
func (s *Server) apiImport(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	var req importRequest
	if err := s.BindJSON(c, &req); err != nil {
		return s.reg.RefuseImport(ctx, u, err)
	}
	score, err := points("score", req.Score)
	if err != nil {
		return s.reg.RefuseImport(ctx, u, err)
	}
	cert, err := s.reg.ImportHistoric(ctx, u, registry.Import{ProducerSlug: req.ProducerSlug, ProductID: req.ProductID, ProductName: req.ProductName,
		GroupCode: req.GroupCode, Level: registry.AuthorityLevel(req.AuthorityLevel), AuthorityName: req.AuthorityName, DecisionNo: req.DecisionNo,
		DecisionDate: req.DecisionDate, Number: req.Number, Stars: req.Stars, Score: score, Criteria: req.CriteriaVersion,
		OwnerAddress: req.OwnerAddress, SupersededCode: req.SupersedesCode})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.certJSON(cert, s.reg.Today()))
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

func (s *Server) pendingImports(c echo.Context) ([]pendingImportJSON, error) {
	ps, err := s.reg.PendingImports(c.Request().Context(), kit.UserOf(c))
	if err != nil {
		return nil, err
	}
	today := s.reg.Today()
	out := make([]pendingImportJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, pendingImportJSON{Certificate: s.certJSON(p.Certificate, today), ImportedBy: p.ImportedBy,
			ImportedAt: p.ImportedAt.UTC().Format(time.RFC3339), ImportedVN: kit.VNTime(p.ImportedAt), ImportedOn: p.ImportedAt, MayConfirm: p.MayConfirm, Supersedes: p.SupersedeCode})
	}
	return out, nil
}

// apiPendingImports lists the imports waiting for a second officer of the caller's level.
func (s *Server) apiPendingImports(c echo.Context) error {
	items, err := s.pendingImports(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// confirmImport passes the uploaded scan (multipart field "file") to the service.
func (s *Server) confirmImport(c echo.Context) (registry.Certificate, error) {
	scan := registry.Scan{}
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return registry.Certificate{}, err
		}
		defer f.Close()
		scan = registry.Scan{FileName: fh.Filename, Size: fh.Size, Body: f}
	}
	return s.reg.ConfirmImport(c.Request().Context(), kit.UserOf(c), c.Param("code"), scan)
}

// apiConfirmImport confirms a pending import with the scanned original decision.
func (s *Server) apiConfirmImport(c echo.Context) error {
	cert, err := s.confirmImport(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.certJSON(cert, s.reg.Today()))
}

type importsView struct {
	Items []pendingImportJSON
}

// registryImports is the officers' page of imports waiting for a second officer.
func (s *Server) registryImports(c echo.Context) error {
	items, err := s.pendingImports(c)
	if err != nil {
		return err
	}
	return s.Render(c, http.StatusOK, "registry_imports", importsView{Items: items})
}

// registryConfirmImport is the page form of apiConfirmImport.
func (s *Server) registryConfirmImport(c echo.Context) error {
	if _, err := s.confirmImport(c); err != nil {
		return err
	}
	s.Flash(c, "registry.flash.import_confirmed")
	return c.Redirect(http.StatusSeeOther, "/registry/imports")
}

// certificateScan sends the scanned original decision of a confirmed import. Public, like verify.
func (s *Server) certificateScan(c echo.Context) error {
	rec, rc, err := s.reg.OpenScan(c.Request().Context(), c.Param("code"))
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

// apiProposeRevocation records a province's proposal to revoke a central certificate.
func (s *Server) apiProposeRevocation(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	var req proposalRequest
	if err := s.BindJSON(c, &req); err != nil {
		return s.reg.RefuseProposal(ctx, u, c.Param("code"), err)
	}
	p, err := s.reg.ProposeRevocation(ctx, u, c.Param("code"), req.Reason)
	if err != nil {
		return err
	}
	ps, err := s.reg.RevocationProposals(ctx, u, c.Param("code"))
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

// apiRevocationProposals lists proposals: every province's for central officers, their own for a province.
func (s *Server) apiRevocationProposals(c echo.Context) error {
	ps, err := s.reg.RevocationProposals(c.Request().Context(), kit.UserOf(c), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": proposalsJSON(ps)})
}

// registryProposeRevocation is the page form of apiProposeRevocation.
func (s *Server) registryProposeRevocation(c echo.Context) error {
	ctx, u := c.Request().Context(), kit.UserOf(c)
	var f proposalRequest
	if err := s.BindForm(c, &f); err != nil {
		return s.reg.RefuseProposal(ctx, u, c.Param("code"), err)
	}
	if _, err := s.reg.ProposeRevocation(ctx, u, c.Param("code"), f.Reason); err != nil {
		return err
	}
	s.Flash(c, "registry.flash.proposed")
	return c.Redirect(http.StatusSeeOther, "/registry/certificates/"+c.Param("code"))
}

type proposalsView struct {
	Items []proposalJSON
}

// registryProposals is the page of revocation proposals.
func (s *Server) registryProposals(c echo.Context) error {
	ps, err := s.reg.RevocationProposals(c.Request().Context(), kit.UserOf(c), "")
	if err != nil {
		return err
	}
	return s.Render(c, http.StatusOK, "registry_proposals", proposalsView{Items: proposalsJSON(ps)})
}
