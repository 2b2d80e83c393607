package web

import (
	"crypto/sha256"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// catalogArea holds the services behind the storefront, producer listings and search.
type catalogArea struct {
	catalog *catalog.Service
	photos  *catalog.PhotoService
	badges  *registry.BadgeStore
	cursors *catalog.CursorCodec
	cache   *kit.ReadCache
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
		cache:   kit.NewReadCache(kit.PublicCacheTTL, 10_000),
	}
	return nil
}

// catalogRoutes adds the routes of the storefront, producer listings and search.
// api is /api/v1 (bearer tokens), pages is the cookie-session group with
// CSRF, and portal, registry and admin are the role-gated page groups.
func (s *Server) catalogRoutes(e *echo.Echo, api, pages, portal, registry, admin *echo.Group) {
	api.GET("/products", s.apiProducts)
	api.GET("/products/:slug", s.apiProduct)
	api.GET("/producers", s.apiProducers)
	api.GET("/producers/:slug", s.apiProducer)
	api.GET("/categories", s.apiCategories)
	api.GET("/regions", s.apiRegions)

	// Every portal write clears this instance's read cache (clearsCache).
	producerOnly := s.requireProducer
	api.GET("/portal/profile", s.apiPortalProfile, producerOnly)
	api.PUT("/portal/profile", s.apiPortalUpdateProfile, producerOnly, s.clearsCache)
	api.GET("/portal/products", s.apiPortalProducts, producerOnly)
	api.POST("/portal/products", s.apiPortalCreateProduct, producerOnly, s.clearsCache)
	api.GET("/portal/products/:slug", s.apiPortalProduct, producerOnly)
	api.PUT("/portal/products/:slug", s.apiPortalUpdateProduct, producerOnly, s.clearsCache)
	api.POST("/portal/products/:slug/publish", s.apiPortalStatus(catalog.StatusPublished), producerOnly, s.clearsCache)
	api.POST("/portal/products/:slug/unpublish", s.apiPortalStatus(catalog.StatusUnpublished), producerOnly, s.clearsCache)
	api.POST("/portal/products/:slug/archive", s.apiPortalStatus(catalog.StatusArchived), producerOnly, s.clearsCache)
	// Uploads sit outside the 1 MiB groups, with the photo limit instead.
	upload := kit.BodyLimit(catalog.MaxPhotoBytes + 64<<10)
	e.POST("/api/v1/portal/products/:slug/photos", s.apiPortalAddPhoto, upload, s.authenticate, producerOnly, s.clearsCache)
	e.POST("/api/v1/portal/profile/photos", s.apiPortalAddPhoto, upload, s.authenticate, producerOnly, s.clearsCache)

	e.GET("/media/*", s.media)
	e.GET("/robots.txt", s.robots)
	e.GET("/sitemap.xml", s.sitemap)
	pages.GET("/products", s.productsPage)
	pages.GET("/products/:slug", s.productPage)
	pages.GET("/producers/:slug", s.producerPage)

	portal.GET("/profile", s.portalProfilePage)
	portal.POST("/profile", s.portalSaveProfile, s.clearsCache)
	portal.GET("/products", s.portalProductsPage)
	portal.GET("/products/new", s.portalNewProductPage)
	portal.POST("/products", s.portalCreateProduct, s.clearsCache)
	portal.GET("/products/:slug", s.portalEditProductPage)
	portal.POST("/products/:slug", s.portalUpdateProduct, s.clearsCache)
	portal.POST("/products/:slug/status", s.portalProductStatus, s.clearsCache)
	e.POST("/portal/products/:slug/photos", s.portalAddPhoto, upload, s.authenticate, s.CSRF(), producerOnly, s.clearsCache)
	e.POST("/portal/profile/photos", s.portalAddPhoto, upload, s.authenticate, s.CSRF(), producerOnly, s.clearsCache)
}

// clearsCache empties the public read cache after any successful unsafe
// request, so a producer sees their change in the storefront at once.
func (s *Server) clearsCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if m := c.Request().Method; err == nil && m != http.MethodGet && m != http.MethodHead {
			s.cache.Clear()
		}
		return err
	}
}

// PhotoGatePeak is the most photos this server ever decoded at once, for
// tests and measurements.
func (s *Server) PhotoGatePeak() int { return s.photos.Gate().Peak() }
