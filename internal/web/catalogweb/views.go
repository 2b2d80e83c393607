package catalogweb

import (
	"context"
	"strconv"
	"strings"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/kit"
)

// BadgeWarnDays is how long before a certificate's expiry the portal warns.
const BadgeWarnDays = 90

// badgeJSON is a listing's OCOP badge. It comes only from the registry's
// certificates valid today (registry.BadgeStore), never from the listing.
type badgeJSON struct {
	Stars       int      `json:"stars"`
	Code        string   `json:"code"`
	ValidUntil  string   `json:"valid_until"`
	Until       day.Date `json:"-"` // ValidUntil for pages, written in the reader's format
	VerifyURL   string   `json:"verify_url"`
	ExpiresSoon bool     `json:"expires_soon"`
	DaysLeft    int      `json:"days_left"`
}

type photoJSON struct {
	CardURL string `json:"card_url"`
	PageURL string `json:"page_url"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

type producerRefJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	ProvinceCode string `json:"province_code"`
}

// productCardJSON is a product in a list (API and pages).
type productCardJSON struct {
	ID        int64           `json:"-"`
	Slug      string          `json:"slug"`
	Name      string          `json:"name"`
	NameEn    string          `json:"name_en"`
	GroupCode string          `json:"group_code"`
	Unit      string          `json:"unit"`
	MinPrice  int64           `json:"min_price"`
	Currency  string          `json:"currency"`
	IsService bool            `json:"is_service"`
	AdultOnly bool            `json:"adult_only"`
	ImageURL  string          `json:"image_url,omitempty"`
	URL       string          `json:"url"`
	Producer  producerRefJSON `json:"producer"`
	Badge     *badgeJSON      `json:"badge"`
	Rating    *review.Summary `json:"rating,omitempty"` // visible reviews' average and count; absent with none
}

type variantJSON struct {
	ID          int64  `json:"id"`
	SKU         string `json:"sku"`
	Name        string `json:"name"`
	Price       int64  `json:"price"`
	Stock       int64  `json:"stock"`
	WeightGrams int    `json:"weight_grams"`
}

// productJSON is one product in full.
type productJSON struct {
	productCardJSON
	Description       string        `json:"description"`
	DescriptionEn     string        `json:"description_en"`
	Story             string        `json:"story"`
	StoryEn           string        `json:"story_en"`
	OriginCommuneCode *string       `json:"origin_commune_code"`
	Status            string        `json:"status,omitempty"`
	Variants          []variantJSON `json:"variants"`
	Photos            []photoJSON   `json:"photos"`
}

// name picks the visitor's language, falling back to Vietnamese.
func (p productCardJSON) LocalName(lang string) string {
	if lang == "en" && p.NameEn != "" {
		return p.NameEn
	}
	return p.Name
}

func (h *Handlers) badge(b registry.Badge, today day.Date) *badgeJSON {
	left := today.DaysUntil(b.ValidUntil)
	return &badgeJSON{Stars: b.Stars, Code: b.Code, ValidUntil: b.ValidUntil.String(), Until: b.ValidUntil, VerifyURL: h.BaseURL + "/verify/" + b.Code,
		ExpiresSoon: left <= BadgeWarnDays, DaysLeft: left}
}

func photoURLs(key string, w, h int) photoJSON {
	return photoJSON{CardURL: "/media/" + key + "-card.jpg", PageURL: "/media/" + key + "-page.jpg", Width: w, Height: h}
}

func (h *Handlers) cardOf(p catalog.Product, ref producerRefJSON) productCardJSON {
	c := productCardJSON{ID: p.ID, Slug: p.Slug, Name: p.Name, NameEn: p.NameEn, GroupCode: p.GroupCode, Unit: p.Unit, MinPrice: p.MinPrice,
		Currency: "VND", IsService: p.IsService, AdultOnly: p.AdultOnly, URL: h.BaseURL + "/products/" + p.Slug, Producer: ref}
	if p.CoverKey != "" {
		c.ImageURL = "/media/" + p.CoverKey + "-card.jpg"
	}
	return c
}

// cardExtras is what a card shows beside the product's own row: today's
// badge and the reviews' average. Two queries of two other areas, so a page
// of cards keeps them per product and day in the read cache (same TTL and
// clearing as every public read): a search that misses the cache then
// costs one round trip for its rows instead of three.
type cardExtras struct {
	Badge  *badgeJSON
	Rating *review.Summary
}

// cards turns search results into list items with today's badges and
// ratings, from the read cache where it has them.
func (h *Handlers) cards(ctx context.Context, in []catalog.Card) ([]productCardJSON, error) {
	today := day.Today()
	prefix := "card-extras:" + today.String() + ":"
	extras := make([]cardExtras, len(in))
	var missing []int64
	found := make([]bool, len(in))
	for i, c := range in {
		extras[i], found[i] = kit.Lookup[cardExtras](h.Cache, prefix+strconv.FormatInt(c.ID, 10))
		if !found[i] {
			missing = append(missing, c.ID)
		}
	}
	if len(missing) > 0 {
		badges, err := h.Badges.ValidOn(ctx, missing, today)
		if err != nil {
			return nil, err
		}
		ratings, err := h.ratings(ctx, missing)
		if err != nil {
			return nil, err
		}
		for i, c := range in {
			if found[i] {
				continue
			}
			extras[i] = cardExtras{Rating: ratings[c.ID]}
			if b, ok := badges[c.ID]; ok {
				extras[i].Badge = h.badge(b, today)
			}
			kit.Store(h.Cache, prefix+strconv.FormatInt(c.ID, 10), extras[i])
		}
	}
	out := make([]productCardJSON, len(in))
	for i, c := range in {
		out[i] = h.cardOf(c.Product, producerRefJSON{Slug: c.ProducerSlug, Name: c.ProducerName, ProvinceCode: c.ProvinceCode})
		out[i].Badge, out[i].Rating = extras[i].Badge, extras[i].Rating
	}
	return out, nil
}

// fullProduct builds the whole product with variants, photos and today's badge.
func (h *Handlers) fullProduct(ctx context.Context, p catalog.Product, ref producerRefJSON) (productJSON, error) {
	out := productJSON{productCardJSON: h.cardOf(p, ref), Description: p.Description, DescriptionEn: p.DescriptionEn,
		Story: p.Story, StoryEn: p.StoryEn, OriginCommuneCode: p.OriginCommuneCode, Variants: []variantJSON{}, Photos: []photoJSON{}}
	for _, v := range p.Variants {
		out.Variants = append(out.Variants, variantJSON{ID: v.ID, SKU: v.SKU, Name: v.Name, Price: v.Price, Stock: v.Stock, WeightGrams: v.WeightGrams})
	}
	photos, err := h.Photos.OfProducts(ctx, []int64{p.ID})
	if err != nil {
		return out, err
	}
	for _, ph := range photos[p.ID] {
		out.Photos = append(out.Photos, photoURLs(ph.Key, ph.Width, ph.Height))
	}
	today := day.Today()
	badges, err := h.Badges.ValidOn(ctx, []int64{p.ID}, today)
	if err != nil {
		return out, err
	}
	if b, ok := badges[p.ID]; ok {
		out.Badge = h.badge(b, today)
	}
	ratings, err := h.ratings(ctx, []int64{p.ID})
	out.Rating = ratings[p.ID]
	return out, err
}

// paragraphs splits plain text on blank lines. Descriptions are shown as
// text: the template escapes every paragraph, so HTML in them is inert.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cardView is a card with the visitor's language, so that the shared
// "catalog-card" template can translate on its own.
type cardView struct {
	productCardJSON
	Lang string
}

func withLang(lang string, cards []productCardJSON) []cardView {
	out := make([]cardView, len(cards))
	for i, c := range cards {
		out[i] = cardView{productCardJSON: c, Lang: lang}
	}
	return out
}
