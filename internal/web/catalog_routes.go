package web

import (
	"crypto/sha256"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/catalogweb"
	"github.com/chocop/ocop/internal/web/kit"
)

// catalogArea holds the services behind the storefront, producer listings and search.
type catalogArea struct {
	catalog *catalog.Service
	photos  *catalog.PhotoService
	badges  *registry.BadgeStore
	cursors *catalog.CursorCodec
}

// initCatalog builds the catalog services; called once from New.
func (s *Server) initCatalog() error {
	store := s.blobs
	secret := []byte(s.cfg.CursorSecret)
	if len(secret) == 0 {
		sum := sha256.Sum256([]byte("ocop-cursor\x00" + s.cfg.DatabaseURL))
		secret = sum[:]
	}
	s.catalogArea = catalogArea{
		catalog: catalog.NewService(s.db),
		photos:  catalog.NewPhotoService(s.db, store),
		badges:  registry.NewBadgeStore(s.db),
		cursors: catalog.NewCursorCodec(secret),
	}
	s.cat = &catalogweb.Handlers{Kit: s.Kit, Catalog: s.catalog, Photos: s.photos, Badges: s.badges, Producers: s.producers,
		Regions: s.regions, Cursors: s.cursors, Cache: kit.NewReadCache(kit.PublicCacheTTL, 10_000), DB: s.db}
	return nil
}

// catalogRoutes adds the routes of the storefront, producer listings and search.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) catalogRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {
	api.GET("/products", s.cat.APIProducts)
	api.GET("/products/:slug", s.cat.APIProduct)
	api.GET("/producers", s.cat.APIProducers)
	api.GET("/producers/:slug", s.cat.APIProducer)
	api.GET("/categories", s.cat.APICategories)
	api.GET("/regions", s.cat.APIRegions)

	// Every portal write clears this instance's read cache (ClearsCache).
	producerOnly := s.requireProducer
	api.GET("/portal/profile", s.cat.APIPortalProfile, producerOnly)
	api.PUT("/portal/profile", s.cat.APIPortalUpdateProfile, producerOnly, s.cat.ClearsCache)
	api.GET("/portal/products", s.cat.APIPortalProducts, producerOnly)
	api.POST("/portal/products", s.cat.APIPortalCreateProduct, producerOnly, s.cat.ClearsCache)
	api.GET("/portal/products/:slug", s.cat.APIPortalProduct, producerOnly)
	api.PUT("/portal/products/:slug", s.cat.APIPortalUpdateProduct, producerOnly, s.cat.ClearsCache)
	api.POST("/portal/products/:slug/publish", s.cat.APIPortalStatus(catalog.StatusPublished), producerOnly, s.cat.ClearsCache)
	api.POST("/portal/products/:slug/unpublish", s.cat.APIPortalStatus(catalog.StatusUnpublished), producerOnly, s.cat.ClearsCache)
	api.POST("/portal/products/:slug/archive", s.cat.APIPortalStatus(catalog.StatusArchived), producerOnly, s.cat.ClearsCache)
	// Uploads sit outside the 1 MiB groups, with the photo limit instead.
	upload := kit.BodyLimit(catalog.MaxPhotoBytes + 64<<10)
	e.POST("/api/v1/portal/products/:slug/photos", s.cat.APIPortalAddPhoto, upload, s.authenticate, producerOnly, s.cat.ClearsCache)
	e.POST("/api/v1/portal/profile/photos", s.cat.APIPortalAddPhoto, upload, s.authenticate, producerOnly, s.cat.ClearsCache)

	e.GET("/media/*", s.cat.Media)
	e.GET("/robots.txt", s.cat.Robots)
	e.GET("/sitemap.xml", s.cat.Sitemap)
	pages.GET("/products", s.cat.ProductsPage)
	pages.GET("/products/:slug", s.cat.ProductPage)
	pages.GET("/producers/:slug", s.cat.ProducerPage)

	portal.GET("/profile", s.cat.PortalProfilePage)
	portal.POST("/profile", s.cat.PortalSaveProfile, s.cat.ClearsCache)
	portal.GET("/products", s.cat.PortalProductsPage)
	portal.GET("/products/new", s.cat.PortalNewProductPage)
	portal.POST("/products", s.cat.PortalCreateProduct, s.cat.ClearsCache)
	portal.GET("/products/:slug", s.cat.PortalEditProductPage)
	portal.POST("/products/:slug", s.cat.PortalUpdateProduct, s.cat.ClearsCache)
	portal.POST("/products/:slug/status", s.cat.PortalProductStatus, s.cat.ClearsCache)
	e.POST("/portal/products/:slug/photos", s.cat.PortalAddPhoto, upload, s.authenticate, s.CSRF(), producerOnly, s.cat.ClearsCache)
	e.POST("/portal/profile/photos", s.cat.PortalAddPhoto, upload, s.authenticate, s.CSRF(), producerOnly, s.cat.ClearsCache)
}

// PhotoGatePeak is the most photos this server ever decoded at once, for
// tests and measurements.
func (s *Server) PhotoGatePeak() int { return s.photos.Gate().Peak() }
