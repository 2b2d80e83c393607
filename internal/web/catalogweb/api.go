package catalogweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

// searchQuery reads the storefront filters from a URL query. A value that
// cannot be read (stars=abc, a forged cursor) is a validation error; an
// unknown group, province or producer simply matches nothing.
func (h *Handlers) searchQuery(v url.Values) (catalog.Query, error) {
	q := catalog.Query{Text: strings.TrimSpace(v.Get("q")), Group: v.Get("group"), Province: v.Get("province"),
		Commune: v.Get("commune"), Producer: v.Get("producer"), Sort: v.Get("sort")}
	var fields []errs.FieldError
	num := func(name string, dst *int64) {
		if raw := v.Get(name); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 {
				fields = append(fields, errs.FieldError{Field: name, Message: "validation.type"})
				return
			}
			*dst = n
		}
	}
	var stars, limit int64
	num("stars", &stars)
	num("price_min", &q.PriceMin)
	num("price_max", &q.PriceMax)
	num("limit", &limit)
	q.MinStars, q.Limit = int(stars), int(min(limit, catalog.MaxLimit))
	switch v.Get("in_stock") {
	case "", "false", "0":
	case "true", "1", "on":
		q.InStock = true
	default:
		fields = append(fields, errs.FieldError{Field: "in_stock", Message: "validation.type"})
	}
	if raw := v.Get("cursor"); raw != "" {
		c, err := h.Cursors.Decode(raw)
		if err != nil {
			return q, err
		}
		q.After = &c
	}
	if len(fields) > 0 {
		return q, &errs.ValidationError{Fields: fields}
	}
	return q, q.Validate()
}

type productListJSON struct {
	Items      []productCardJSON `json:"items"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// search runs the query of a request and returns cards and the next cursor.
func (h *Handlers) search(ctx context.Context, v url.Values) (catalog.Query, productListJSON, error) {
	q, err := h.searchQuery(v)
	if err != nil {
		return q, productListJSON{}, err
	}
	page, err := h.Catalog.Search(ctx, q)
	if err != nil {
		return q, productListJSON{}, err
	}
	items, err := h.cards(ctx, page.Cards)
	if err != nil {
		return q, productListJSON{}, err
	}
	out := productListJSON{Items: items}
	if page.Next != nil {
		out.NextCursor = h.Cursors.Encode(*page.Next)
	}
	return q, out, nil
}

// APIProducts answers from the read cache by the exact query string; the
// encoded JSON is cached, so a hit costs a map lookup, and written by hand
// (listjson.go), so a miss costs no reflection.
func (h *Handlers) APIProducts(c echo.Context) error {
	body, err := kit.Cached(h.Cache, c.Request().Context(), "api:"+c.Request().URL.RawQuery, func(ctx context.Context) ([]byte, error) {
		_, out, err := h.search(ctx, c.QueryParams())
		if err != nil {
			return nil, err
		}
		return listJSON(out), nil
	})
	if err != nil {
		return err
	}
	return kit.Blob(c, http.StatusOK, echo.MIMEApplicationJSON, body)
}

// APIProduct is one published product of an approved producer, with today's badge.
func (h *Handlers) APIProduct(c echo.Context) error {
	pp, err := h.publicProduct(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pp.Product)
}

// publishedProduct is a public product with its producer, as cached.
type publishedProduct struct {
	Product  productJSON
	Producer producer.Producer
}

// publicProduct loads a published product of an approved producer, with
// variants, photos and today's badge, through the read cache.
func (h *Handlers) publicProduct(ctx context.Context, slug string) (publishedProduct, error) {
	return kit.Cached(h.Cache, ctx, "product:"+slug, func(ctx context.Context) (publishedProduct, error) {
		p, err := h.Catalog.Published(ctx, slug)
		if err != nil {
			return publishedProduct{}, err
		}
		pr, err := h.Producers.ByID(ctx, p.ProducerID)
		if err != nil {
			return publishedProduct{}, err
		}
		full, err := h.fullProduct(ctx, p, producerRefJSON{Slug: pr.Slug, Name: pr.LegalName, ProvinceCode: pr.ProvinceCode})
		return publishedProduct{Product: full, Producer: pr}, err
	})
}

// producerJSON is a producer as the public sees it: the address only to
// the commune, no bank account, no tax code.
type producerJSON struct {
	Slug         string             `json:"slug"`
	Name         string             `json:"name"`
	Kind         string             `json:"kind"`
	ProvinceCode string             `json:"province_code"`
	CommuneCode  string             `json:"commune_code"`
	Place        string             `json:"place"`
	Story        string             `json:"story"`
	URL          string             `json:"url"`
	Photos       []photoJSON        `json:"photos,omitempty"`
	Products     []productCardJSON  `json:"products,omitempty"`
	Certificates []producerCertJSON `json:"certificates,omitempty"`
}

type producerCertJSON struct {
	Code        string `json:"code"`
	ProductName string `json:"product_name"`
	Stars       int    `json:"stars"`
	ValidFrom   string `json:"valid_from"`
	ValidUntil  string `json:"valid_until"`
	Status      string `json:"status"`
	VerifyURL   string `json:"verify_url"`
}

// place is the producer's commune and province, never the street (region.Store.Place).
func (h *Handlers) place(ctx context.Context, p producer.Producer, lang string) (string, error) {
	return h.Regions.Place(ctx, p.CommuneCode, p.ProvinceCode, lang)
}

func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

func (h *Handlers) producerRef(p producer.Producer, lang string) producerJSON {
	return producerJSON{Slug: p.Slug, Name: p.LegalName, Kind: string(p.Kind), ProvinceCode: p.ProvinceCode,
		CommuneCode: p.CommuneCode, Story: p.Story, URL: h.BaseURL + "/producers/" + p.Slug}
}

// publicProducer loads an approved producer with products and certificates.
func (h *Handlers) publicProducer(ctx context.Context, slug, lang string) (producerJSON, error) {
	p, err := h.Producers.BySlug(ctx, slug)
	if err != nil {
		return producerJSON{}, err
	}
	if p.Status != producer.StatusApproved {
		return producerJSON{}, errs.ErrNotFound
	}
	out := h.producerRef(p, lang)
	if out.Place, err = h.place(ctx, p, lang); err != nil {
		return out, err
	}
	photos, err := h.Photos.OfProducer(ctx, p.ID)
	if err != nil {
		return out, err
	}
	for _, ph := range photos {
		out.Photos = append(out.Photos, photoURLs(ph.Key, ph.Width, ph.Height))
	}
	page, err := h.Catalog.Search(ctx, catalog.Query{ProducerID: p.ID, Sort: catalog.SortNewest, Limit: catalog.MaxLimit})
	if err != nil {
		return out, err
	}
	if out.Products, err = h.cards(ctx, page.Cards); err != nil {
		return out, err
	}
	certs, err := h.Registry.CertificatesOf(ctx, p.ID)
	if err != nil {
		return out, err
	}
	today := day.Today()
	for _, c := range certs {
		out.Certificates = append(out.Certificates, producerCertJSON{Code: c.Code, ProductName: c.ProductName, Stars: c.Stars,
			ValidFrom: c.ValidFrom.String(), ValidUntil: c.ValidUntil.String(), Status: string(c.StatusOn(today)),
			VerifyURL: h.BaseURL + "/verify/" + c.Code})
	}
	return out, nil
}

// APIProducer is an approved producer's public profile, products and certificates.
func (h *Handlers) APIProducer(c echo.Context) error {
	out, err := h.publicProducer(c.Request().Context(), c.Param("slug"), kit.LangOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type producerListJSON struct {
	Items      []producerJSON `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// APIProducers lists approved producers by id, optionally in one province,
// with the same signed keyset cursor as products.
func (h *Handlers) APIProducers(c echo.Context) error {
	ctx := c.Request().Context()
	var after int64
	if raw := c.QueryParam("cursor"); raw != "" {
		cur, err := h.Cursors.Decode(raw)
		if err != nil {
			return err
		}
		after = cur.ID
	}
	const limit = 50
	ps, err := h.Producers.ApprovedAfter(ctx, c.QueryParam("province"), after, limit+1)
	if err != nil {
		return err
	}
	out := producerListJSON{Items: []producerJSON{}}
	for i, p := range ps {
		if i == limit {
			out.NextCursor = h.Cursors.Encode(catalog.Cursor{Sort: catalog.SortNewest, Key: ps[i-1].ID, ID: ps[i-1].ID})
			break
		}
		out.Items = append(out.Items, h.producerRef(p, kit.LangOf(c)))
	}
	return c.JSON(http.StatusOK, out)
}

type categoryJSON struct {
	Code       string  `json:"code"`
	ParentCode *string `json:"parent_code"`
	Level      int     `json:"level"`
	Name       string  `json:"name"`
	NameEn     string  `json:"name_en"`
	IsService  bool    `json:"is_service"`
	AdultOnly  bool    `json:"adult_only"`
}

// APICategories lists the OCOP product groups (Decision 148), every level.
func (h *Handlers) APICategories(c echo.Context) error {
	gs, err := h.Catalog.Groups(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]categoryJSON, len(gs))
	for i, g := range gs {
		out[i] = categoryJSON{Code: g.Code, ParentCode: g.ParentCode, Level: g.Level, Name: g.Name, NameEn: g.NameEn, IsService: g.IsService, AdultOnly: g.AdultOnly}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

type regionJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEn   string `json:"name_en"`
	FullName string `json:"full_name"`
}

// APIRegions lists the provinces, or with ?province= the communes of one.
func (h *Handlers) APIRegions(c echo.Context) error {
	ctx := c.Request().Context()
	out := []regionJSON{}
	if code := c.QueryParam("province"); code != "" {
		if _, err := h.Regions.Province(ctx, code); err != nil {
			return err
		}
		cs, err := h.Regions.Communes(ctx, code)
		if err != nil {
			return err
		}
		for _, x := range cs {
			out = append(out, regionJSON{Code: x.Code, Name: x.Name, NameEn: x.NameEn, FullName: x.FullName})
		}
		return c.JSON(http.StatusOK, map[string]any{"items": out})
	}
	ps, err := h.Regions.Provinces(ctx)
	if err != nil {
		return err
	}
	for _, x := range ps {
		out = append(out, regionJSON{Code: x.Code, Name: x.Name, NameEn: x.NameEn, FullName: x.FullName})
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}
