package catalogweb

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/web/kit"
)

type productsView struct {
	Query     catalog.Query
	Raw       url.Values
	Items     []cardView
	NextURL   string
	Groups    []catalog.Group
	Provinces []region.Province
	Communes  []region.Commune // of the chosen province, for the commune facet
	Sorts     []string
	Canonical string // absolute: search engines and Lighthouse take no relative canonical
}

// ProductsPage is the storefront's browse and search page.
func (h *Handlers) ProductsPage(c echo.Context) error {
	ctx := c.Request().Context()
	type result struct {
		Q catalog.Query
		L productListJSON
	}
	r, err := kit.Cached(h.Cache, ctx, "search:"+c.Request().URL.RawQuery, func(ctx context.Context) (result, error) {
		q, list, err := h.search(ctx, c.QueryParams())
		return result{q, list}, err
	})
	if err != nil {
		return err
	}
	q, list := r.Q, r.L
	v := productsView{Query: q, Raw: c.QueryParams(), Items: withLang(kit.LangOf(c), list.Items), Canonical: h.BaseURL + "/products",
		Sorts: []string{catalog.SortRelevance, catalog.SortNewest, catalog.SortPriceAsc, catalog.SortPriceDesc, catalog.SortStars}}
	if list.NextCursor != "" {
		next := c.QueryParams()
		next.Set("cursor", list.NextCursor)
		v.NextURL = "/products?" + next.Encode()
	}
	v.Groups = h.groups(ctx)
	if v.Provinces, err = kit.Cached(h.Cache, ctx, "provinces", h.Regions.Provinces); err != nil {
		return err
	}
	if code := q.Province; code != "" {
		if v.Communes, err = kit.Cached(h.Cache, ctx, "communes:"+code, func(ctx context.Context) ([]region.Commune, error) {
			return h.Regions.Communes(ctx, code)
		}); err != nil {
			return err
		}
	}
	return h.Render(c, http.StatusOK, "catalog_products", v)
}

type productView struct {
	Product       productJSON
	Name          string
	Description   []string
	Story         []string
	Producer      producerJSON
	Canonical     string
	Image         string
	JSONLD        template.JS
	GroupName     string
	ProducerPlace string
	Reviews       []reviewView // the newest visible ones (ProductPageReviews)
	MoreReviews   bool
	UnitsSold     int64
}

// ProductPage shows one published product with its variants, producer,
// today's OCOP badge and related products. The view is cached per language;
// the CSRF token and user are added per request by the renderer.
func (h *Handlers) ProductPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := kit.LangOf(c)
	slug := c.Param("slug")
	anonymous := kit.UserOf(c) == nil && !kit.HasFlash(c)
	fullKey := "full:" + lang + ":" + slug
	if anonymous {
		// The common request: the whole page is cached, so the view and the
		// body it was made from are not looked up.
		if page, ok := kit.Lookup[tokenPage](h.Cache, fullKey); ok {
			return sendTokenPage(c, page)
		}
	}
	v, err := kit.Cached(h.Cache, ctx, "page:"+lang+":"+slug, func(ctx context.Context) (productView, error) {
		pp, err := h.publicProduct(ctx, slug)
		if err != nil {
			return productView{}, err
		}
		full, pr := pp.Product, pp.Producer
		v := productView{Product: full, Name: full.LocalName(lang), Producer: h.producerRef(pr, lang),
			Canonical: h.BaseURL + "/products/" + full.Slug}
		if v.Producer.Place, err = h.place(ctx, pr, lang); err != nil {
			return productView{}, err
		}
		v.Description = paragraphs(pick(lang, full.Description, full.DescriptionEn))
		v.Story = paragraphs(pick(lang, full.Story, full.StoryEn))
		if len(full.Photos) > 0 {
			v.Image = h.BaseURL + full.Photos[0].PageURL
		}
		for _, g := range h.groups(ctx) {
			if g.Code == full.GroupCode {
				v.GroupName = pick(lang, g.Name, g.NameEn)
			}
		}
		if err := h.productReviews(ctx, &v); err != nil {
			return v, err
		}
		v.JSONLD = productLD(v, full)
		return v, nil
	})
	if err != nil {
		return err
	}
	// The body is rendered once per language and slug with a placeholder
	// for the CSRF token of the add-to-cart forms, and the visitor's token
	// is put in per request; header and layout are rendered as usual. Being
	// rendered once, it is sent without the templates' indentation.
	body, err := kit.Cached(h.Cache, ctx, "body:"+lang+":"+slug, func(context.Context) (string, error) {
		html, err := h.Pages.RenderBlock("product", "product-body", kit.Page{Lang: lang, CSRF: csrfPlaceholder, Data: v})
		return kit.SqueezeSpace(html), err
	})
	if err != nil {
		return err
	}
	token := kit.CSRFToken(c)
	withToken := func(cachedHTML string) string {
		return strings.ReplaceAll(cachedHTML, csrfPlaceholder, template.HTMLEscapeString(token))
	}
	if anonymous {
		// A visitor who is not signed in sees the same page as every other
		// such visitor in their language, but for the CSRF token: the whole
		// page, layout included, is cached (the layout is half the cost of a
		// render).
		page, err := kit.Cached(h.Cache, ctx, fullKey, func(context.Context) (tokenPage, error) {
			html, err := h.Pages.RenderString("product", kit.Page{Lang: lang, CSRF: csrfPlaceholder, Path: c.Request().URL.Path,
				Data: productPageData{View: v, Body: template.HTML(body)}}) // #nosec: body was escaped by html/template
			if err != nil {
				return tokenPage{}, err
			}
			return splitAtToken(kit.SqueezeSpace(html))
		})
		if err != nil {
			return err
		}
		return sendTokenPage(c, page)
	}
	html := template.HTML(withToken(body)) // #nosec: body was escaped by html/template
	return h.Render(c, http.StatusOK, "product", productPageData{View: v, Body: html})
}

// sendTokenPage answers with page joined around the visitor's CSRF token,
// compressed when the browser accepts gzip.
func sendTokenPage(c echo.Context, page tokenPage) error {
	token := kit.CSRFToken(c)
	hdr := c.Response().Header()
	hdr.Set("Cache-Control", "no-store")
	if kit.AcceptsGzip(c.Request()) {
		if gz, ok := page.gzipped(token); ok {
			// Encoded here: the gzip middleware passes it through.
			hdr.Set(echo.HeaderContentEncoding, "gzip")
			return kit.Blob(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, gz)
		}
	}
	return kit.Blob(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, page.with(token))
}

// csrfPlaceholder stands for the visitor's CSRF token in a cached body.
const csrfPlaceholder = "CSRFPLACEHOLDERc4f1e9a27b"

// tokenPage is a cached page cut at its CSRF placeholders. A request joins
// the parts around its own token in one allocation, instead of searching
// the whole page for the placeholder and copying it twice; a browser that
// accepts gzip gets the parts compressed once, when cached (gzippage.go).
type tokenPage struct {
	parts    [][]byte // the page between placeholders
	deflated [][]byte // each part compressed alone (see deflatePart)
}

func splitAtToken(html string) (tokenPage, error) {
	p := tokenPage{parts: bytes.Split([]byte(html), []byte(csrfPlaceholder))}
	for _, part := range p.parts {
		d, err := deflatePart(part)
		if err != nil {
			return p, err
		}
		p.deflated = append(p.deflated, d)
	}
	return p, nil
}

// with is the page with token in every placeholder's place.
func (p tokenPage) with(token string) []byte {
	t := template.HTMLEscapeString(token)
	n := (len(p.parts) - 1) * len(t)
	for _, s := range p.parts {
		n += len(s)
	}
	b := make([]byte, 0, n)
	for i, s := range p.parts {
		if i > 0 {
			b = append(b, t...)
		}
		b = append(b, s...)
	}
	return b
}

type productPageData struct {
	View productView
	Body template.HTML
}

// groups is the Decision 148 tree through the read cache; on error it is
// empty, which only leaves a group name unshown.
func (h *Handlers) groups(ctx context.Context) []catalog.Group {
	gs, _ := kit.Cached(h.Cache, ctx, "groups", h.Catalog.Groups)
	return gs
}

// productLD is the schema.org Product of a page, encoded once for the
// Cache. encoding/json escapes <, > and & (and U+2028/9) as \u sequences,
// so no name or description can close the <script type="application/ld+json">
// element it is written into.
func productLD(v productView, p productJSON) template.JS {
	var stock int64
	for _, x := range p.Variants {
		stock += x.Stock
	}
	avail := "https://schema.org/OutOfStock"
	if stock > 0 {
		avail = "https://schema.org/InStock"
	}
	offers := []map[string]any{}
	for _, x := range p.Variants {
		a := "https://schema.org/OutOfStock"
		if x.Stock > 0 {
			a = "https://schema.org/InStock"
		}
		offers = append(offers, map[string]any{"@type": "Offer", "sku": x.SKU, "name": x.Name, "price": x.Price,
			"priceCurrency": "VND", "availability": a, "url": v.Canonical})
	}
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "Product", "name": p.Name, "url": v.Canonical,
		"brand":  map[string]any{"@type": "Organization", "name": p.Producer.Name},
		"offers": map[string]any{"@type": "AggregateOffer", "priceCurrency": "VND", "lowPrice": p.MinPrice, "offerCount": len(offers), "availability": avail, "offers": offers},
	}
	if len(v.Description) > 0 {
		ld["description"] = v.Description[0]
	}
	if v.Image != "" {
		ld["image"] = v.Image
	}
	reviewsLD(ld, v)
	out, err := json.Marshal(ld)
	if err != nil {
		return ""
	}
	return template.JS(out) // #nosec: json.Marshal HTML-escapes; see above
}

type producerView struct {
	Producer  producerJSON
	Products  []cardView
	Story     []string
	Canonical string
	Image     string
}

// ProducerPage is a producer's public page.
func (h *Handlers) ProducerPage(c echo.Context) error {
	p, err := h.publicProducer(c.Request().Context(), c.Param("slug"), kit.LangOf(c))
	if err != nil {
		return err
	}
	v := producerView{Producer: p, Products: withLang(kit.LangOf(c), p.Products), Story: paragraphs(p.Story), Canonical: p.URL}
	if len(p.Photos) > 0 {
		v.Image = h.BaseURL + p.Photos[0].PageURL
	}
	return h.Render(c, http.StatusOK, "producer", v)
}
