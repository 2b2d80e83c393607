package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// searchQuery reads the storefront filters from a URL query. A value that
// cannot be read (stars=abc, a forged cursor) is a validation error; an
// unknown group, province or producer simply matches nothing.
func (s *Server) searchQuery(v url.Values) (catalog.Query, error) {
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
		c, err := s.cursors.Decode(raw)
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
func (s *Server) search(ctx context.Context, v url.Values) (catalog.Query, productListJSON, error) {
	q, err := s.searchQuery(v)
	if err != nil {
		return q, productListJSON{}, err
	}
	page, err := s.catalog.Search(ctx, q)
	if err != nil {
		return q, productListJSON{}, err
	}
	items, err := s.cards(ctx, page.Cards)
	if err != nil {
		return q, productListJSON{}, err
	}
	out := productListJSON{Items: items}
	if page.Next != nil {
		out.NextCursor = s.cursors.Encode(*page.Next)
	}
	return q, out, nil
}

// apiProducts answers from the read cache by the exact query string; the
// encoded JSON is cached, so a hit costs a map lookup.
func (s *Server) apiProducts(c echo.Context) error {
	body, err := kit.Cached(s.cache, c.Request().Context(), "api:"+c.Request().URL.RawQuery, func(ctx context.Context) ([]byte, error) {
		_, out, err := s.search(ctx, c.QueryParams())
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, body)
}

func (s *Server) apiProduct(c echo.Context) error {
	pp, err := s.publicProduct(c.Request().Context(), c.Param("slug"))
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
func (s *Server) publicProduct(ctx context.Context, slug string) (publishedProduct, error) {
	return kit.Cached(s.cache, ctx, "product:"+slug, func(ctx context.Context) (publishedProduct, error) {
		p, err := s.catalog.Published(ctx, slug)
		if err != nil {
			return publishedProduct{}, err
		}
		pr, err := s.producers.ByID(ctx, p.ProducerID)
		if err != nil {
			return publishedProduct{}, err
		}
		full, err := s.fullProduct(ctx, p, producerRefJSON{Slug: pr.Slug, Name: pr.LegalName, ProvinceCode: pr.ProvinceCode})
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

// place is the producer's commune and province, never the street.
func (s *Server) place(ctx context.Context, p producer.Producer, lang string) string {
	var parts []string
	if cm, err := s.regions.Commune(ctx, p.CommuneCode); err == nil {
		parts = append(parts, pick(lang, cm.FullName, cm.FullNameEn))
	}
	if pr, err := s.regions.Province(ctx, p.ProvinceCode); err == nil {
		parts = append(parts, pick(lang, pr.FullName, pr.FullNameEn))
	}
	return strings.Join(parts, ", ")
}

func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

func (s *Server) producerRef(p producer.Producer, lang string) producerJSON {
	return producerJSON{Slug: p.Slug, Name: p.LegalName, Kind: string(p.Kind), ProvinceCode: p.ProvinceCode,
		CommuneCode: p.CommuneCode, Story: p.Story, URL: s.cfg.BaseURL + "/producers/" + p.Slug}
}

// publicProducer loads an approved producer with products and certificates.
func (s *Server) publicProducer(ctx context.Context, slug, lang string) (producerJSON, error) {
	p, err := s.producers.BySlug(ctx, slug)
	if err != nil {
		return producerJSON{}, err
	}
	if p.Status != producer.StatusApproved {
		return producerJSON{}, errs.ErrNotFound
	}
	out := s.producerRef(p, lang)
	out.Place = s.place(ctx, p, lang)
	photos, err := s.photos.OfProducer(ctx, p.ID)
	if err != nil {
		return out, err
	}
	for _, ph := range photos {
		out.Photos = append(out.Photos, photoURLs(ph.Key, ph.Width, ph.Height))
	}
	page, err := s.catalog.Search(ctx, catalog.Query{ProducerID: p.ID, Sort: catalog.SortNewest, Limit: catalog.MaxLimit})
	if err != nil {
		return out, err
	}
	if out.Products, err = s.cards(ctx, page.Cards); err != nil {
		return out, err
	}
	var certs []registry.Certificate
	if err := s.db.WithContext(ctx).Where("producer_id = ?", p.ID).Order("valid_until DESC").Limit(100).Find(&certs).Error; err != nil {
		return out, err
	}
	today := day.Today()
	for _, c := range certs {
		out.Certificates = append(out.Certificates, producerCertJSON{Code: c.Code, ProductName: c.ProductName, Stars: c.Stars,
			ValidFrom: c.ValidFrom.String(), ValidUntil: c.ValidUntil.String(), Status: string(c.StatusOn(today)),
			VerifyURL: s.cfg.BaseURL + "/verify/" + c.Code})
	}
	return out, nil
}

func (s *Server) apiProducer(c echo.Context) error {
	out, err := s.publicProducer(c.Request().Context(), c.Param("slug"), kit.LangOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type producerListJSON struct {
	Items      []producerJSON `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// apiProducers lists approved producers by id, optionally in one province,
// with the same signed keyset cursor as products.
func (s *Server) apiProducers(c echo.Context) error {
	ctx := c.Request().Context()
	q := s.db.WithContext(ctx).Where("status = ?", producer.StatusApproved)
	if p := c.QueryParam("province"); p != "" {
		q = q.Where("province_code = ?", p)
	}
	if raw := c.QueryParam("cursor"); raw != "" {
		cur, err := s.cursors.Decode(raw)
		if err != nil {
			return err
		}
		q = q.Where("id > ?", cur.ID)
	}
	const limit = 50
	var ps []producer.Producer
	if err := q.Order("id").Limit(limit + 1).Find(&ps).Error; err != nil {
		return err
	}
	out := producerListJSON{Items: []producerJSON{}}
	for i, p := range ps {
		if i == limit {
			out.NextCursor = s.cursors.Encode(catalog.Cursor{Sort: catalog.SortNewest, Key: ps[i-1].ID, ID: ps[i-1].ID})
			break
		}
		out.Items = append(out.Items, s.producerRef(p, kit.LangOf(c)))
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

func (s *Server) apiCategories(c echo.Context) error {
	gs, err := s.catalog.Groups(c.Request().Context())
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

// apiRegions lists the provinces, or with ?province= the communes of one.
func (s *Server) apiRegions(c echo.Context) error {
	ctx := c.Request().Context()
	out := []regionJSON{}
	if code := c.QueryParam("province"); code != "" {
		if _, err := s.regions.Province(ctx, code); err != nil {
			return err
		}
		cs, err := s.regions.Communes(ctx, code)
		if err != nil {
			return err
		}
		for _, x := range cs {
			out = append(out, regionJSON{Code: x.Code, Name: x.Name, NameEn: x.NameEn, FullName: x.FullName})
		}
		return c.JSON(http.StatusOK, map[string]any{"items": out})
	}
	ps, err := s.regions.Provinces(ctx)
	if err != nil {
		return err
	}
	for _, x := range ps {
		out = append(out, regionJSON{Code: x.Code, Name: x.Name, NameEn: x.NameEn, FullName: x.FullName})
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}
