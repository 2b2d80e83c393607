package web

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/cursor"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// registryArea holds the services behind the OCOP certification registry and public verification.
type registryArea struct {
	reg         *registry.Service
	certCursors *cursor.Codec // the officers' certificate list
}

// uploadLimit is the body limit of dossier uploads: one file and the form around it.
const uploadLimit = registry.MaxDocumentSize + 64<<10

// initRegistry builds the registry services; called once from New.
func (s *Server) initRegistry() error {
	s.reg = registry.NewService(s.db, s.blobs, nil)
	secret := []byte(s.cfg.CursorSecret)
	if len(secret) == 0 { // as the catalog derives it: the same on every instance of one deployment
		sum := sha256.Sum256([]byte("ocop-cursor\x00" + s.cfg.DatabaseURL))
		secret = sum[:]
	}
	s.certCursors = cursor.New(secret)
	s.every("registry-expiries", 6*time.Hour, func(ctx context.Context) error {
		_, err := s.reg.SweepExpiries(ctx)
		return err
	})
	return nil
}

// registryRoutes adds the routes of the OCOP certification registry and public verification.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) registryRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {
	producer, officer := s.requireProducer, kit.RequireRole(account.RoleOfficer)

	// Public: verification and search. The /verify/{code} path is printed on packages: never change it.
	api.GET("/verify/:code", s.apiVerify)
	api.GET("/certificates", s.apiSearchCertificates)
	api.GET("/certificates/export", s.apiExportCertificates, officer)
	api.GET("/certificates/:code/qr.png", s.certQRPNG)
	api.GET("/certificates/:code/qr.svg", s.certQRSVG)
	pages.GET("/verify", s.verifyForm)
	pages.GET("/verify/:code", s.verifyPage)
	pages.GET("/verify/:code/print", s.certificatePrint)
	pages.GET("/verify/:code/certificate.pdf", s.certificatePDF)
	pages.GET("/verify/:code/scan", s.certificateScan) // the scanned paper decision of a confirmed import

	// Producers: their own applications only.
	api.GET("/portal/applications", s.apiMyApplications, producer)
	api.POST("/portal/applications", s.apiCreateApplication, producer)
	api.GET("/portal/applications/:code", s.apiMyApplication, producer)
	api.POST("/portal/applications/:code/submit", s.apiSubmitApplication, producer)
	api.GET("/portal/applications/:code/documents/:id", s.downloadDocument, producer)
	// Uploads sit outside the groups so that they get a body limit fit for a dossier file.
	e.POST("/api/v1/portal/applications/:code/documents", s.apiUploadDocument, kit.BodyLimit(uploadLimit), s.authenticate, producer)

	// Officers: their province (central: forwarded applications).
	api.GET("/registry/applications", s.apiQueue, officer)
	api.GET("/registry/applications/:code", s.apiOfficerApplication, officer)
	api.POST("/registry/applications/:code/propose", s.apiPropose, officer)
	api.POST("/registry/applications/:code/remarks", s.apiRemark, officer)
	api.POST("/registry/applications/:code/scores", s.apiScore, officer)
	api.GET("/registry/applications/:code/audit", s.apiApplicationAudit, officer)
	api.GET("/registry/applications/:code/documents/:id", s.downloadDocument, officer)
	api.POST("/registry/decisions", s.apiDecide, officer)
	api.GET("/registry/certificates/expiring", s.apiExpiring, officer)
	api.POST("/registry/certificates/import", s.apiImport, kit.RequireRole(account.RoleOfficer, account.RoleAdmin))
	api.GET("/registry/imports", s.apiPendingImports, officer)
	api.POST("/registry/certificates/:code/revoke", s.apiRevoke, officer)
	api.POST("/registry/certificates/:code/revocation-proposals", s.apiProposeRevocation, officer)
	api.GET("/registry/revocation-proposals", s.apiRevocationProposals, officer)
	// The scan of the original decision comes with the confirmation: a dossier-sized body limit.
	e.POST("/api/v1/registry/certificates/:code/import/confirm", s.apiConfirmImport, kit.BodyLimit(uploadLimit), s.authenticate, officer)
	api.GET("/admin/authorities", s.admin.APIAuthorities, kit.RequireRole(account.RoleAdmin))
	api.PUT("/admin/authorities/:key", s.admin.APISetAuthority, kit.RequireRole(account.RoleAdmin))
	api.GET("/registry/certificates/:code/audit", s.apiCertificateAudit, officer)

	// Pages.
	portal.GET("/registry", s.portalRegistry)
	portal.POST("/registry", s.portalCreateApplication)
	portal.GET("/registry/:code", s.portalApplication)
	portal.POST("/registry/:code/submit", s.portalSubmit)
	portal.GET("/registry/:code/documents/:id", s.downloadDocument)
	e.POST("/portal/registry/:code/documents", s.portalUpload, kit.BodyLimit(uploadLimit), s.authenticate, s.CSRF(), producer)

	registry.GET("/applications", s.registryQueue)
	registry.GET("/applications/:code", s.registryApplication)
	registry.POST("/applications/:code/propose", s.registryPropose)
	registry.POST("/applications/:code/scores", s.registryScore)
	registry.POST("/applications/:code/remarks", s.registryRemark)
	registry.GET("/applications/:code/documents/:id", s.downloadDocument)
	registry.GET("/decisions/new", s.registryDecisionForm)
	registry.POST("/decisions", s.registryDecide)
	registry.GET("/certificates", s.registryCertificates)
	registry.GET("/certificates/export.csv", s.registryCertificatesCSV)
	registry.GET("/certificates/:code", s.registryCertificate)
	registry.POST("/certificates/:code/revoke", s.registryRevoke)
	registry.POST("/certificates/:code/revocation-proposals", s.registryProposeRevocation)
	registry.GET("/proposals", s.registryProposals)
	registry.GET("/imports", s.registryImports)
	e.POST("/registry/imports/:code/confirm", s.registryConfirmImport, kit.BodyLimit(uploadLimit), s.authenticate, s.CSRF(), officer)

	admin.GET("/authorities", s.admin.Authorities)
	admin.POST("/authorities/:key", s.admin.SetAuthority)
}
