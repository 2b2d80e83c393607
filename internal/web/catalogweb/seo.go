package catalogweb

import (
	"encoding/xml"
	"net/http"

	"github.com/chocop/ocop/internal/web/kit"
	"github.com/labstack/echo/v4"
)

// Robots lets crawlers read the storefront and keeps them out of private areas.
// The cart is not kept out: a crawler's cart is an empty public page, like
// checkout's sign-in redirect, and blocking it costs the cart Lighthouse's
// "is crawlable" check (issue 13 asks ≥ 95 there).
func (h *Handlers) Robots(c echo.Context) error {
	body := "User-agent: *\nAllow: /\nDisallow: /portal\nDisallow: /registry\nDisallow: /admin\nDisallow: /account\n" +
		"Disallow: /api/\nDisallow: /products?*cursor=\n\nSitemap: " + h.BaseURL + "/sitemap.xml\n"
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.String(http.StatusOK, body)
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemapMax is the protocol's limit of URLs in one sitemap file.
const sitemapMax = 50_000

// Sitemap lists the home page, every published product and every approved producer.
func (h *Handlers) Sitemap(c echo.Context) error {
	ctx := c.Request().Context()
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: []sitemapURL{{Loc: h.BaseURL + "/"}, {Loc: h.BaseURL + "/products"}}}
	products, err := h.Catalog.ListedProducts(ctx, sitemapMax-1000)
	if err != nil {
		return err
	}
	for _, p := range products {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + "/products/" + p.Slug, LastMod: p.UpdatedAt.UTC().Format("2006-01-02")})
	}
	slugs, err := h.Producers.ApprovedSlugs(ctx, sitemapMax-len(set.URLs))
	if err != nil {
		return err
	}
	for _, sl := range slugs {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + "/producers/" + sl})
	}
	out, err := xml.Marshal(set)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return kit.Blob(c, http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}
