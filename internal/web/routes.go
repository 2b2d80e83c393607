package web

import (
	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/registry/importfile"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/kit"
)

// Upload routes sit outside the 1 MiB groups, with a body limit fit for
// what they take. A photo is the largest body any route accepts.
const (
	photoLimit   = catalog.MaxPhotoBytes + 64<<10                  // one photo
	dossierLimit = registry.MaxDocumentSize + 64<<10               // one dossier file and the form around it
	reviewLimit  = review.MaxPhotos*catalog.MaxPhotoBytes + 64<<10 // a review's photos and text
	// A bulk import file: a little over its 5 MB limit still comes in, so
	// that the officer reads why it is refused rather than a bare 413.
	bulkLimit = importfile.MaxBytes + 1<<20
)

// routes is the route table: every route of every area, grouped by URL.
//
// Pages (cookie sessions, a CSRF token on every form) hang off the group
// pages, with /portal, /registry and /admin gated by role; the JSON API
// (bearer tokens only, never cookies, so no CSRF) off api. Uploads and the
// webhooks are registered on e with their own body limits.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	s.base(e)
	auth, cat, reg, ord, adm, rev, sta, ntf := s.auth, s.cat, s.reg, s.ord, s.adm, s.rev, s.sta, s.ntf

	authn := kit.Authenticate(s.svc.accounts)
	csrf := s.plumbing.CSRF()
	user := kit.RequireUser
	producerOnly := kit.RequireProducer(s.svc.producers) // a suspended producer only reads
	// A commune officer sees their commune's applications at the proposal
	// stage and records proposals: these routes only.
	officer := kit.RequireOfficer("/registry", "/registry/applications", "/registry/applications/:code",
		"/registry/applications/:code/propose", "/registry/applications/:code/remarks", "/registry/applications/:code/documents/:id",
		"/api/v1/registry/applications", "/api/v1/registry/applications/:code", "/api/v1/registry/applications/:code/propose",
		"/api/v1/registry/applications/:code/remarks", "/api/v1/registry/applications/:code/audit", "/api/v1/registry/applications/:code/documents/:id")
	adminOnly := kit.RequireRole(account.RoleAdmin)
	clears := cat.ClearsCache // a portal write empties the storefront's read cache
	photoUpload, dossierUpload, reviewUpload, bulkUpload := kit.BodyLimit(photoLimit), kit.BodyLimit(dossierLimit), kit.BodyLimit(reviewLimit),
		kit.BodyLimit(bulkLimit)

	// Operations and files. No session, no CSRF. /metrics is not here: it
	// has a listener of its own (OCOP_METRICS_ADDR, MetricsHandler).
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/*", s.assets.Serve)
	e.GET("/media/*", cat.Media)
	e.GET("/robots.txt", cat.Robots)
	e.GET("/sitemap.xml", cat.Sitemap)

	// /webhooks: no session and no CSRF; the signature on the raw body is the authentication.
	hooks := e.Group("/webhooks", kit.BodyLimit(64<<10))
	hooks.POST("/bank", ord.WebhookBank)
	hooks.POST("/stripe", ord.WebhookStripe)

	// / : the storefront, signing in, verification, cart and orders.
	pages := e.Group("", kit.BodyLimit(kit.DefaultBodyLimit), authn, csrf, s.ntf.CountUnread)
	pages.GET("/", cat.Home)
	pages.GET("/lang/:lang", auth.SwitchLang)
	pages.GET("/login", auth.LoginPage)
	pages.POST("/login", auth.Login)
	pages.GET("/register", auth.RegisterPage)
	pages.POST("/register", auth.Register)
	pages.POST("/logout", auth.Logout)
	pages.GET("/account", auth.AccountPage, user)
	pages.GET("/account/orders", ord.AccountOrders, user)
	pages.GET("/account/addresses", ord.AddressesPage, user)
	pages.POST("/account/addresses", ord.AddressSave, user)
	pages.GET("/account/addresses/:code", ord.AddressEditPage, user)
	pages.POST("/account/addresses/:code", ord.AddressSave, user)
	pages.GET("/account/addresses/:code/delete", ord.AddressDeletePage, user)
	pages.POST("/account/addresses/:code/delete", ord.AddressDelete, user)
	pages.POST("/account/addresses/:code/default", ord.AddressDefault, user)
	pages.GET("/account/notifications", ntf.InboxPage, user)
	pages.POST("/account/notifications/read-all", ntf.MarkAllRead, user)
	pages.POST("/account/notifications/preferences", ntf.SavePrefs, user)
	pages.POST("/account/notifications/:id/read", ntf.MarkRead, user)
	// One-click unsubscribe (RFC 8058): no session and no CSRF token; the
	// signed link is the authority. GET only shows a confirmation.
	pages.GET("/notifications/unsubscribe/:token", ntf.UnsubscribePage)
	e.POST("/notifications/unsubscribe/:token", ntf.Unsubscribe, kit.BodyLimit(4<<10), authn)

	pages.GET("/products", cat.ProductsPage)
	pages.GET("/products/:slug", cat.ProductPage)
	pages.GET("/products/:slug/related", cat.RelatedProducts) // the product page's htmx "same group" cards
	pages.GET("/producers/:slug", cat.ProducerPage)

	// The /verify/{code} path is printed on packages: never change it.
	pages.GET("/verify", reg.VerifyForm)
	pages.GET("/verify/:code", reg.VerifyPage)
	pages.GET("/verify/:code/print", reg.CertificatePrint)
	pages.GET("/verify/:code/certificate.pdf", reg.CertificatePDF)
	pages.GET("/verify/:code/scan", reg.CertificateScan) // the scanned paper decision of a confirmed import

	// Public statistics: the page's address names its language; each table's CSV beside it.
	pages.GET("/thong-ke", sta.PublicVI)
	pages.GET("/thong-ke/:table", sta.CSVVI)
	pages.GET("/stats", sta.PublicEN)
	pages.GET("/stats/:table", sta.CSVEN)

	pages.GET("/cart", ord.CartPage)
	pages.POST("/cart/items", ord.CartAdd)
	pages.POST("/cart/items/:variant_id", ord.CartSet)
	pages.GET("/checkout", ord.CheckoutPage, user)
	pages.GET("/checkout/communes", ord.CheckoutCommunes)
	pages.GET("/checkout/summary", ord.CheckoutSummary, user)
	pages.POST("/checkout", ord.Checkout, user)
	pages.GET("/orders/:code", ord.OrderPage, user)
	pages.GET("/orders/:code/status", ord.OrderStatus, user)
	pages.GET("/orders/:code/qr.png", ord.OrderQR, user)
	pages.GET("/orders/:code/cancel", ord.OrderCancelPage, user)
	pages.POST("/orders/:code/cancel", ord.OrderCancel, user)
	pages.POST("/orders/:code/pay", ord.OrderPay, user)
	pages.GET("/orders/:code/reviews/:variant_id", rev.ReviewPage, user) // a delivered line's review: once
	e.POST("/orders/:code/reviews/:variant_id", rev.CreateReview, reviewUpload, authn, csrf, user, clears)
	pages.POST("/cart/buy", ord.BuyNow)                   // "Mua ngay": the line in the cart, then checkout
	pages.GET("/shipping/estimate", ord.ShippingEstimate) // the product page's estimate (htmx or a plain form)

	// /portal: a producer's own profile, products, registry applications, orders and ledger.
	portal := pages.Group("/portal", producerOnly)
	portal.GET("", cat.PortalHome)
	portal.GET("/profile", cat.PortalProfilePage)
	portal.POST("/profile", cat.PortalSaveProfile, clears)
	e.POST("/portal/profile/photos", cat.PortalAddPhoto, photoUpload, authn, csrf, producerOnly, clears)
	portal.GET("/products", cat.PortalProductsPage)
	portal.GET("/products/new", cat.PortalNewProductPage)
	portal.POST("/products", cat.PortalCreateProduct, clears)
	portal.GET("/products/:slug", cat.PortalEditProductPage)
	portal.POST("/products/:slug", cat.PortalUpdateProduct, clears)
	portal.POST("/products/:slug/status", cat.PortalProductStatus, clears)
	e.POST("/portal/products/:slug/photos", cat.PortalAddPhoto, photoUpload, authn, csrf, producerOnly, clears)

	portal.GET("/registry", reg.PortalPage)
	portal.POST("/registry", reg.PortalCreateApplication)
	portal.GET("/registry/:code", reg.PortalApplicationPage)
	portal.POST("/registry/:code/submit", reg.PortalSubmit)
	portal.GET("/registry/:code/documents/:id", reg.DownloadDocument)
	e.POST("/portal/registry/:code/documents", reg.PortalUpload, dossierUpload, authn, csrf, producerOnly)

	portal.GET("/orders", ord.PortalOrders)
	portal.POST("/orders/:code/:action", ord.PortalAct)
	portal.GET("/ledger", ord.PortalLedger)
	portal.GET("/reviews", rev.PortalReviews)
	portal.POST("/reviews/:code/reply", rev.PortalReply, clears)

	// /registry: officers, scoped to their province (central: forwarded applications).
	officers := pages.Group("/registry", officer)
	officers.GET("", reg.Home)
	officers.GET("/dashboard", sta.Dashboard)
	officers.GET("/applications", reg.QueuePage)
	officers.GET("/applications/:code", reg.ApplicationPage)
	officers.POST("/applications/:code/propose", reg.Propose)
	officers.POST("/applications/:code/scores", reg.Score)
	officers.POST("/applications/:code/remarks", reg.Remark)
	officers.GET("/applications/:code/documents/:id", reg.DownloadDocument)
	officers.GET("/decisions", reg.DecisionsPage)
	officers.GET("/decisions/annex", reg.DecisionAnnexPage)
	officers.GET("/decisions/annex.pdf", reg.DecisionPDF)
	officers.GET("/decisions/new", reg.DecisionPage)
	officers.POST("/decisions", reg.Decide)
	officers.GET("/certificates", reg.CertificatesPage)
	officers.GET("/certificates/export.csv", reg.CertificatesCSV)
	officers.GET("/certificates/:code", reg.CertificatePage)
	officers.POST("/certificates/:code/revoke", reg.Revoke)
	officers.POST("/certificates/:code/revocation-proposals", reg.ProposeRevocation)
	officers.GET("/proposals", reg.ProposalsPage)
	officers.GET("/imports", reg.ImportsPage)
	officers.GET("/imports/template/:format", reg.BulkTemplate)
	officers.GET("/imports/bulk", reg.BulkPage)
	e.POST("/registry/imports/bulk", reg.BulkCheck, bulkUpload, authn, csrf, officer)
	officers.GET("/imports/bulk/:code", reg.BulkBatchPage)
	officers.GET("/imports/bulk/:code/progress", reg.BulkProgress)
	officers.POST("/imports/bulk/:code/start", reg.BulkStart)
	e.POST("/registry/imports/confirm", reg.ConfirmBatch, dossierUpload, authn, csrf, officer)
	// The scan of the original decision comes with the confirmation: a dossier-sized body limit.
	e.POST("/registry/imports/:code/confirm", reg.ConfirmImport, dossierUpload, authn, csrf, officer)

	// /admin: producers, issuing authorities, commission and shipping, payments and payouts.
	admins := pages.Group("/admin", adminOnly)
	admins.GET("", adm.Home)
	// A producer's status decides whether their products are listed: the
	// storefront's read cache must not keep showing a suspended one's.
	admins.POST("/producers/:slug/approve", adm.ApproveProducer, clears)
	admins.POST("/producers/:slug/suspend", adm.SuspendProducer, clears)
	admins.GET("/authorities", adm.Authorities)
	admins.POST("/authorities/:key", adm.SetAuthority)
	admins.POST("/officers", adm.CreateOfficer)
	admins.GET("/settings", ord.AdminSettings)
	admins.POST("/settings/commission", ord.AdminSetCommission)
	admins.POST("/settings/shipping", ord.AdminSetShipping)
	admins.GET("/payments", ord.AdminPayments)
	admins.POST("/payments/confirm", ord.AdminConfirmPayment)
	admins.POST("/payments/issues/:id/resolve", ord.AdminResolveIssue)
	admins.POST("/payments/calls/:id/retry", ord.AdminRetryCall)
	admins.GET("/payouts", ord.AdminPayouts)
	admins.POST("/payouts", ord.AdminRecordPayout)
	admins.GET("/payouts.csv", ord.PayoutCSV)
	admins.GET("/reviews", rev.AdminReviews)
	admins.POST("/reviews/:code/hide", rev.AdminHide, clears)
	admins.GET("/jobs", s.jobs.Page)
	admins.POST("/jobs/:id/retry", s.jobs.Retry)
	admins.GET("/webhooks", s.hooks.Page)
	admins.POST("/webhooks", s.hooks.Register)
	admins.POST("/webhooks/:id/disable", s.hooks.Disable)

	// /api/v1: the same capabilities as JSON, described by the OpenAPI document.
	api := e.Group("/api/v1", kit.BodyLimit(kit.DefaultBodyLimit), authn)
	api.GET("/openapi.yaml", s.openapi)
	api.POST("/auth/token", auth.APIIssueToken)
	api.POST("/auth/register", auth.APIRegister)
	api.POST("/auth/token/revoke", auth.APIRevokeToken, user)
	api.GET("/me", auth.APIMe, user)
	api.GET("/notifications", ntf.APIInbox, user)
	api.POST("/notifications/read-all", ntf.APIMarkAllRead, user)
	api.GET("/notifications/preferences", ntf.APIPrefs, user)
	api.PUT("/notifications/preferences", ntf.APISetPrefs, user)
	api.POST("/notifications/:id/read", ntf.APIMarkRead, user)

	api.GET("/products", cat.APIProducts)
	api.GET("/products/:slug", cat.APIProduct)
	api.GET("/producers", cat.APIProducers)
	api.GET("/producers/:slug", cat.APIProducer)
	api.GET("/categories", cat.APICategories)
	api.GET("/regions", cat.APIRegions)

	api.GET("/stats", sta.APIStats)
	api.GET("/stats/:table", sta.APITable)

	api.GET("/verify/:code", reg.APIVerify)
	api.GET("/certificates", reg.APISearchCertificates)
	api.GET("/certificates/export", reg.APIExportCertificates, officer)
	api.GET("/certificates/:code/qr.png", reg.CertQRPNG)
	api.GET("/certificates/:code/qr.svg", reg.CertQRSVG)

	api.GET("/account/addresses", ord.APIAddresses, user)
	api.POST("/account/addresses", ord.APISaveAddress, user)
	api.GET("/account/addresses/:code", ord.APIAddress, user)
	api.PUT("/account/addresses/:code", ord.APISaveAddress, user)
	api.DELETE("/account/addresses/:code", ord.APIDeleteAddress, user)
	api.POST("/account/addresses/:code/default", ord.APIDefaultAddress, user)

	api.GET("/cart", ord.APICart, user)
	api.POST("/cart/items", ord.APICartAdd, user)
	api.PUT("/cart/items/:variant_id", ord.APICartSet, user)
	api.POST("/checkout", ord.APICheckout, user)
	api.GET("/orders", ord.APIOrders, user)
	api.GET("/orders/:code", ord.APIOrder, user)
	api.POST("/orders/:code/cancel", ord.APIOrderCancel, user)
	e.POST("/api/v1/orders/:code/reviews/:variant_id", rev.APICreate, reviewUpload, authn, user, clears)
	api.GET("/products/:slug/reviews", rev.APIList)

	// /api/v1/portal: a producer's own rows only.
	api.GET("/portal/profile", cat.APIPortalProfile, producerOnly)
	api.PUT("/portal/profile", cat.APIPortalUpdateProfile, producerOnly, clears)
	e.POST("/api/v1/portal/profile/photos", cat.APIPortalAddPhoto, photoUpload, authn, producerOnly, clears)
	api.GET("/portal/products", cat.APIPortalProducts, producerOnly)
	api.POST("/portal/products", cat.APIPortalCreateProduct, producerOnly, clears)
	api.GET("/portal/products/:slug", cat.APIPortalProduct, producerOnly)
	api.PUT("/portal/products/:slug", cat.APIPortalUpdateProduct, producerOnly, clears)
	api.POST("/portal/products/:slug/publish", cat.APIPortalStatus(catalog.StatusPublished), producerOnly, clears)
	api.POST("/portal/products/:slug/unpublish", cat.APIPortalStatus(catalog.StatusUnpublished), producerOnly, clears)
	api.POST("/portal/products/:slug/archive", cat.APIPortalStatus(catalog.StatusArchived), producerOnly, clears)
	e.POST("/api/v1/portal/products/:slug/photos", cat.APIPortalAddPhoto, photoUpload, authn, producerOnly, clears)

	api.GET("/portal/applications", reg.APIMyApplications, producerOnly)
	api.POST("/portal/applications", reg.APICreateApplication, producerOnly)
	api.GET("/portal/applications/:code", reg.APIMyApplication, producerOnly)
	api.POST("/portal/applications/:code/submit", reg.APISubmitApplication, producerOnly)
	api.GET("/portal/applications/:code/documents/:id", reg.DownloadDocument, producerOnly)
	e.POST("/api/v1/portal/applications/:code/documents", reg.APIUploadDocument, dossierUpload, authn, producerOnly)

	api.GET("/portal/orders", ord.APIPortalOrders, producerOnly)
	api.POST("/portal/orders/:code/:action", ord.APIPortalAct, producerOnly)
	api.GET("/portal/ledger", ord.APIPortalLedger, producerOnly)
	api.POST("/portal/reviews/:code/reply", rev.APIReply, producerOnly, clears)

	// /api/v1/registry: officers.
	api.GET("/registry/applications", reg.APIQueue, officer)
	api.GET("/registry/applications/:code", reg.APIOfficerApplication, officer)
	api.POST("/registry/applications/:code/propose", reg.APIPropose, officer)
	api.POST("/registry/applications/:code/remarks", reg.APIRemark, officer)
	api.POST("/registry/applications/:code/scores", reg.APIScore, officer)
	api.GET("/registry/applications/:code/audit", reg.APIApplicationAudit, officer)
	api.GET("/registry/applications/:code/documents/:id", reg.DownloadDocument, officer)
	api.GET("/registry/decisions", reg.APIDecisions, officer)
	api.GET("/registry/decisions/annex", reg.APIDecisionAnnex, officer)
	api.POST("/registry/decisions", reg.APIDecide, officer)
	api.GET("/registry/certificates/expiring", reg.APIExpiring, officer)
	api.GET("/registry/certificates/:code/audit", reg.APICertificateAudit, officer)
	api.POST("/registry/certificates/:code/revoke", reg.APIRevoke, officer)
	api.POST("/registry/certificates/:code/revocation-proposals", reg.APIProposeRevocation, officer)
	api.GET("/registry/revocation-proposals", reg.APIRevocationProposals, officer)
	api.POST("/registry/certificates/import", reg.APIImport, kit.RequireRole(account.RoleOfficer, account.RoleAdmin))
	api.GET("/registry/imports", reg.APIPendingImports, officer)
	e.POST("/api/v1/registry/certificates/:code/import/confirm", reg.APIConfirmImport, dossierUpload, authn, officer)
	e.POST("/api/v1/registry/imports/bulk", reg.APIBulkCheck, bulkUpload, authn, officer)
	api.GET("/registry/imports/bulk/:code", reg.APIBulk, officer)
	api.POST("/registry/imports/bulk/:code/start", reg.APIBulkStart, officer)
	e.POST("/api/v1/registry/imports/confirm", reg.APIConfirmBatch, dossierUpload, authn, officer)

	// /api/v1/admin.
	api.GET("/admin/authorities", adm.APIAuthorities, adminOnly)
	api.PUT("/admin/authorities/:key", adm.APISetAuthority, adminOnly)
	api.POST("/admin/officers", adm.APICreateOfficer, adminOnly)
	api.GET("/admin/commission", ord.APICommission, adminOnly)
	api.PUT("/admin/commission", ord.APISetCommission, adminOnly)
	api.GET("/admin/shipping-rates", ord.APIShippingRates, adminOnly)
	api.PUT("/admin/shipping-rates", ord.APISetShippingRates, adminOnly)
	api.GET("/admin/payment-issues", ord.APIPaymentIssues, adminOnly)
	api.GET("/admin/provider-calls", ord.APIProviderCalls, adminOnly)
	api.POST("/admin/provider-calls/:id/retry", ord.APIRetryProviderCall, adminOnly)
	api.POST("/admin/orders/:code/confirm-payment", ord.APIConfirmPayment, adminOnly)
	api.GET("/admin/payouts/balances", ord.APIBalances, adminOnly)
	api.POST("/admin/payouts", ord.APIRecordPayout, adminOnly)
	api.GET("/admin/payouts.csv", ord.PayoutCSV, adminOnly)
	api.POST("/admin/reviews/:code/hide", rev.APIHide, adminOnly, clears)
	api.GET("/admin/jobs", s.jobs.APIList, adminOnly)
	api.GET("/admin/jobs/:id", s.jobs.APIGet, adminOnly)
	api.POST("/admin/jobs/:id/retry", s.jobs.APIRetry, adminOnly)

	// Unknown paths go through authenticate so the 404 page shows who is
	// signed in, in their language.
	e.RouteNotFound("/*", func(echo.Context) error { return errs.ErrNotFound }, authn)
	return e
}
