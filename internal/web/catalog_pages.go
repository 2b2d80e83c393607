package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/region"
)

type productsView struct {
	Query     catalog.Query
	Raw       url.Values
	Items     []cardView
	NextURL   string
	Groups    []catalog.Group
	Provinces []region.Province
	Sorts     []string
}

// productsPage is the storefront's browse and search page.
func (s *Server) productsPage(c echo.Context) error {
	ctx := c.Request().Context()
	q, list, err := s.search(ctx, c.QueryParams())
	if err != nil {
		return err
	}
	v := productsView{Query: q, Raw: c.QueryParams(), Items: withLang(langOf(c), list.Items),
		Sorts: []string{catalog.SortRelevance, catalog.SortNewest, catalog.SortPriceAsc, catalog.SortPriceDesc, catalog.SortStars}}
	if list.NextCursor != "" {
		next := c.QueryParams()
		next.Set("cursor", list.NextCursor)
		v.NextURL = "/products?" + next.Encode()
	}
	if v.Groups, err = s.catalog.Groups(ctx); err != nil {
		return err
	}
	if v.Provinces, err = s.regions.Provinces(ctx); err != nil {
		return err
	}
	return s.pages.render(c, http.StatusOK, "catalog_products", v)
}

type productView struct {
	Product       productJSON
	Name          string
	Description   []string
	Story         []string
	Producer      producerJSON
	Related       []cardView
	Canonical     string
	Image         string
	JSONLD        map[string]any
	GroupName     string
	ProducerPlace string
}

// productPage shows one published product with its variants, producer,
// today's OCOP badge and related products.
func (s *Server) productPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	p, err := s.catalog.Published(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	pr, err := s.producers.ByID(ctx, p.ProducerID)
	if err != nil {
		return err
	}
	full, err := s.fullProduct(ctx, p, producerRefJSON{Slug: pr.Slug, Name: pr.LegalName, ProvinceCode: pr.ProvinceCode})
	if err != nil {
		return err
	}
	v := productView{Product: full, Name: full.LocalName(lang), Producer: s.producerRef(pr, lang),
		Canonical: s.cfg.BaseURL + "/products/" + p.Slug}
	v.Producer.Place = s.place(ctx, pr, lang)
	v.Description = paragraphs(pick(lang, p.Description, p.DescriptionEn))
	v.Story = paragraphs(pick(lang, p.Story, p.StoryEn))
	if len(full.Photos) > 0 {
		v.Image = s.cfg.BaseURL + full.Photos[0].PageURL
	}
	for _, g := range mustGroups(s, c) {
		if g.Code == p.GroupCode {
			v.GroupName = pick(lang, g.Name, g.NameEn)
		}
	}
	related, err := s.catalog.Search(ctx, catalog.Query{Group: p.GroupCode, ExcludeID: p.ID, Sort: catalog.SortStars, Limit: 4})
	if err != nil {
		return err
	}
	rel, err := s.cards(ctx, related.Cards)
	if err != nil {
		return err
	}
	v.Related = withLang(lang, rel)
	v.JSONLD = productLD(v, full)
	return s.pages.render(c, http.StatusOK, "product", v)
}

func mustGroups(s *Server, c echo.Context) []catalog.Group {
	gs, _ := s.catalog.Groups(c.Request().Context())
	return gs
}

// productLD is the schema.org Product of a page. The template writes it
// inside <script type="application/ld+json">, where html/template
// JSON-encodes it and escapes <, > and &, so a name cannot close the tag.
func productLD(v productView, p productJSON) map[string]any {
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
	return ld
}

type producerView struct {
	Producer  producerJSON
	Products  []cardView
	Story     []string
	Canonical string
	Image     string
}

// producerPage is a producer's public page.
func (s *Server) producerPage(c echo.Context) error {
	p, err := s.publicProducer(c.Request().Context(), c.Param("slug"), langOf(c))
	if err != nil {
		return err
	}
	v := producerView{Producer: p, Products: withLang(langOf(c), p.Products), Story: paragraphs(p.Story), Canonical: p.URL}
	if len(p.Photos) > 0 {
		v.Image = s.cfg.BaseURL + p.Photos[0].PageURL
	}
	return s.pages.render(c, http.StatusOK, "producer", v)
}
