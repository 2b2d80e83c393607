// Package catalogweb serves the storefront (home, product and producer
// pages, search), its SEO (sitemap, robots, JSON-LD), photos, the catalog
// API, and the producer portal's catalog: home, profile, products and
// photos, as pages and as API.
package catalogweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the storefront and portal catalog handlers.
type Handlers struct {
	*kit.Kit
	Catalog   *catalog.Service
	Photos    *catalog.PhotoService
	Badges    *registry.BadgeStore // a listing's OCOP badge comes only from the registry
	Registry  *registry.Service    // a producer's certificates on their public page
	Producers *producer.Store
	Regions   *region.Store
	Cursors   *catalog.CursorCodec // signed keyset cursors of product and producer lists
	Cache     *kit.ReadCache       // public reads; ClearsCache empties it after a portal write
	Reviews   Reviews              // averages on cards, reviews on the product page
	Sales     Sales                // units sold on the product page
}

// ClearsCache empties the public read cache after any successful unsafe
// request, so a producer sees their change in the storefront at once.
func (h *Handlers) ClearsCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if m := c.Request().Method; err == nil && m != http.MethodGet && m != http.MethodHead {
			h.Cache.Clear()
		}
		return err
	}
}
