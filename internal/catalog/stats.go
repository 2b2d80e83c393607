package catalog

import (
	"context"
	"sort"

	"github.com/chocop/ocop/internal/producer"
)

// PlaceCount is how many listings (and their producers) one place has.
type PlaceCount struct {
	Place     string `json:"place"`
	Products  int64  `json:"products"`
	Producers int64  `json:"producers"`
}

// ListedFigures is what the marketplace shows in a place: the published products
// of listed producers (producer.ListedSQL), the producers selling them, and
// both by place (provinces for the whole country, communes inside a
// province: the producer's address).
type ListedFigures struct {
	Products  int64
	Producers int64
	ByPlace   []PlaceCount
}

// ListedIn counts the marketplace's listings in a province ("" = the
// country) and commune ("" = the whole province).
func (s *Service) ListedIn(ctx context.Context, province, commune string) (ListedFigures, error) {
	var out ListedFigures
	place := "pr.province_code"
	if province != "" {
		place = "pr.commune_code"
	}
	q := s.db.WithContext(ctx).Table("products").
		Select(place+" AS place, COUNT(*) AS products, COUNT(DISTINCT products.producer_id) AS producers").
		Joins("JOIN ("+producer.ListedSQL()+") pr ON pr.id = products.producer_id").
		Where("products.status = ?", StatusPublished)
	if province != "" {
		q = q.Where("pr.province_code = ?", province)
	}
	if commune != "" {
		q = q.Where("pr.commune_code = ?", commune)
	}
	if err := q.Group(place).Scan(&out.ByPlace).Error; err != nil {
		return out, err
	}
	sort.Slice(out.ByPlace, func(i, j int) bool { return out.ByPlace[i].Place < out.ByPlace[j].Place })
	for _, p := range out.ByPlace {
		// A producer lives in one place, so the places' producers add up.
		out.Products, out.Producers = out.Products+p.Products, out.Producers+p.Producers
	}
	return out, nil
}
