package catalogweb

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
)

// Robots lets crawlers read the storefront and keeps them out of private areas.
func (h *Handlers) Robots(c echo.Context) error {
	body := "User-agent: *\nAllow: /\nDisallow: /portal\nDisallow: /registry\nDisallow: /admin\nDisallow: /account\n" +
		"Disallow: /cart\nDisallow: /api/\nDisallow: /products?*cursor=\n\nSitemap: " + h.BaseURL + "/sitemap.xml\n"
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
	var products []struct {
		Slug      string
		UpdatedAt time.Time
	}
	err := h.DB.WithContext(ctx).Table("products").Select("products.slug, products.updated_at").
		Joins("JOIN producers pr ON pr.id = products.producer_id").
		Where("products.status = ? AND pr.status = ?", catalog.StatusPublished, producer.StatusApproved).
		Order("products.id").Limit(sitemapMax - 1000).Scan(&products).Error
	if err != nil {
		return err
	}
	for _, p := range products {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + "/products/" + p.Slug, LastMod: p.UpdatedAt.UTC().Format("2006-01-02")})
	}
	var slugs []string
	if err := h.DB.WithContext(ctx).Model(&producer.Producer{}).Where("status = ?", producer.StatusApproved).
		Order("id").Limit(sitemapMax-len(set.URLs)).Pluck("slug", &slugs).Error; err != nil {
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
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}
