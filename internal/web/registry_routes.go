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
	"github.com/chocop/ocop/internal/web/registryweb"
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
	s.regh = &registryweb.Handlers{Kit: s.Kit, Registry: s.reg, Producers: s.producers, Regions: s.regions, CertCursors: s.certCursors}
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
	api.GET("/verify/:code", s.regh.APIVerify)
	api.GET("/certificates", s.regh.APISearchCertificates)
	api.GET("/certificates/export", s.regh.APIExportCertificates, officer)
	api.GET("/certificates/:code/qr.png", s.regh.CertQRPNG)
	api.GET("/certificates/:code/qr.svg", s.regh.CertQRSVG)
	pages.GET("/verify", s.regh.VerifyForm)
	pages.GET("/verify/:code", s.regh.VerifyPage)
	pages.GET("/verify/:code/print", s.regh.CertificatePrint)
	pages.GET("/verify/:code/certificate.pdf", s.regh.CertificatePDF)
	pages.GET("/verify/:code/scan", s.regh.CertificateScan) // the scanned paper decision of a confirmed import

	// Producers: their own applications only.
	api.GET("/portal/applications", s.regh.APIMyApplications, producer)
	api.POST("/portal/applications", s.regh.APICreateApplication, producer)
	api.GET("/portal/applications/:code", s.regh.APIMyApplication, producer)
	api.POST("/portal/applications/:code/submit", s.regh.APISubmitApplication, producer)
	api.GET("/portal/applications/:code/documents/:id", s.regh.DownloadDocument, producer)
	// Uploads sit outside the groups so that they get a body limit fit for a dossier file.
	e.POST("/api/v1/portal/applications/:code/documents", s.regh.APIUploadDocument, kit.BodyLimit(uploadLimit), s.authenticate, producer)

	// Officers: their province (central: forwarded applications).
	api.GET("/registry/applications", s.regh.APIQueue, officer)
	api.GET("/registry/applications/:code", s.regh.APIOfficerApplication, officer)
	api.POST("/registry/applications/:code/propose", s.regh.APIPropose, officer)
	api.POST("/registry/applications/:code/remarks", s.regh.APIRemark, officer)
	api.POST("/registry/applications/:code/scores", s.regh.APIScore, officer)
	api.GET("/registry/applications/:code/audit", s.regh.APIApplicationAudit, officer)
	api.GET("/registry/applications/:code/documents/:id", s.regh.DownloadDocument, officer)
	api.POST("/registry/decisions", s.regh.APIDecide, officer)
	api.GET("/registry/certificates/expiring", s.regh.APIExpiring, officer)
	api.POST("/registry/certificates/import", s.regh.APIImport, kit.RequireRole(account.RoleOfficer, account.RoleAdmin))
	api.GET("/registry/imports", s.regh.APIPendingImports, officer)
	api.POST("/registry/certificates/:code/revoke", s.regh.APIRevoke, officer)
	api.POST("/registry/certificates/:code/revocation-proposals", s.regh.APIProposeRevocation, officer)
	api.GET("/registry/revocation-proposals", s.regh.APIRevocationProposals, officer)
	// The scan of the original decision comes with the confirmation: a dossier-sized body limit.
	e.POST("/api/v1/registry/certificates/:code/import/confirm", s.regh.APIConfirmImport, kit.BodyLimit(uploadLimit), s.authenticate, officer)
	api.GET("/admin/authorities", s.admin.APIAuthorities, kit.RequireRole(account.RoleAdmin))
	api.PUT("/admin/authorities/:key", s.admin.APISetAuthority, kit.RequireRole(account.RoleAdmin))
	api.GET("/registry/certificates/:code/audit", s.regh.APICertificateAudit, officer)

	// Pages.
	portal.GET("/registry", s.regh.PortalPage)
	portal.POST("/registry", s.regh.PortalCreateApplication)
	portal.GET("/registry/:code", s.regh.PortalApplicationPage)
	portal.POST("/registry/:code/submit", s.regh.PortalSubmit)
	portal.GET("/registry/:code/documents/:id", s.regh.DownloadDocument)
	e.POST("/portal/registry/:code/documents", s.regh.PortalUpload, kit.BodyLimit(uploadLimit), s.authenticate, s.CSRF(), producer)

	registry.GET("/applications", s.regh.QueuePage)
	registry.GET("/applications/:code", s.regh.ApplicationPage)
	registry.POST("/applications/:code/propose", s.regh.Propose)
	registry.POST("/applications/:code/scores", s.regh.Score)
	registry.POST("/applications/:code/remarks", s.regh.Remark)
	registry.GET("/applications/:code/documents/:id", s.regh.DownloadDocument)
	registry.GET("/decisions/new", s.regh.DecisionPage)
	registry.POST("/decisions", s.regh.Decide)
	registry.GET("/certificates", s.regh.CertificatesPage)
	registry.GET("/certificates/export.csv", s.regh.CertificatesCSV)
	registry.GET("/certificates/:code", s.regh.CertificatePage)
	registry.POST("/certificates/:code/revoke", s.regh.Revoke)
	registry.POST("/certificates/:code/revocation-proposals", s.regh.ProposeRevocation)
	registry.GET("/proposals", s.regh.ProposalsPage)
	registry.GET("/imports", s.regh.ImportsPage)
	e.POST("/registry/imports/:code/confirm", s.regh.ConfirmImport, kit.BodyLimit(uploadLimit), s.authenticate, s.CSRF(), officer)

	admin.GET("/authorities", s.admin.Authorities)
	admin.POST("/authorities/:key", s.admin.SetAuthority)
}
