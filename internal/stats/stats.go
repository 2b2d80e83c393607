// Package stats gathers the public OCOP statistics (the /thong-ke page and
// /api/v1/stats) from the areas that own the rows: the registry says which
// products hold a valid certificate on the day (by its own definition,
// StatusOn through ActiveSQL), the producer area what kind their owners
// are, the catalog what the marketplace lists and the order area what it
// sold. It names none of their tables; it puts the areas' answers side by
// side, with the names of places and product groups, and keeps what it
// computed in the one table it owns, stats_snapshots (see Snapshots).
package stats

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
)

// Service answers the public statistics.
type Service struct {
	badges    *registry.BadgeStore
	producers *producer.Store
	catalog   *catalog.Service
	orders    *order.Service
	regions   *region.Store
	today     func() day.Date
	now       func() time.Time
	snap      *snapshots // nil: every request counts from the rows
}

// NewService returns the statistics service over the areas' stores. today
// is the day figures are asked for (day.Today when nil).
func NewService(badges *registry.BadgeStore, producers *producer.Store, cat *catalog.Service, orders *order.Service,
	regions *region.Store, today func() day.Date) *Service {
	if today == nil {
		today = day.Today
	}
	return &Service{badges: badges, producers: producers, catalog: cat, orders: orders, regions: regions, today: today, now: time.Now}
}

// Filter is where the figures are for: a province ("" = the country) and,
// inside it, a commune.
type Filter struct {
	Province string `json:"province,omitempty"`
	Commune  string `json:"commune,omitempty"`
}

// Filter parameters: the only ones a statistics request may carry.
const (
	ParamProvince = "province"
	ParamCommune  = "commune"
)

// maxCode is longer than any unit code (provinces have 2 digits, communes 5).
const maxCode = 8

// ParseFilter checks a statistics request's query: only province and
// commune, each at most once, each a known unit, the commune inside the
// province (a commune alone implies its province). Anything else is a
// validation error naming the field, with a message key.
func (s *Service) ParseFilter(ctx context.Context, q url.Values) (Filter, error) {
	var f Filter
	for k, vs := range q {
		if k != ParamProvince && k != ParamCommune {
			return f, errs.Invalid(clip(k), "stats.err.unknown_filter")
		}
		if len(vs) > 1 {
			return f, errs.Invalid(k, "stats.err.repeated")
		}
	}
	f.Province, f.Commune = strings.TrimSpace(q.Get(ParamProvince)), strings.TrimSpace(q.Get(ParamCommune))
	for _, p := range []struct{ name, v string }{{ParamProvince, f.Province}, {ParamCommune, f.Commune}} {
		if len(p.v) > maxCode || strings.Trim(p.v, "0123456789") != "" {
			return f, errs.Invalid(p.name, "stats.err."+p.name)
		}
	}
	if f.Commune != "" {
		c, err := s.regions.Commune(ctx, f.Commune)
		if err != nil {
			return f, unknown(err, ParamCommune)
		}
		if f.Province != "" && f.Province != c.ProvinceCode {
			return f, errs.Invalid(ParamCommune, "stats.err.commune_outside")
		}
		f.Province = c.ProvinceCode
	}
	if f.Province != "" {
		if _, err := s.regions.Province(ctx, f.Province); err != nil {
			return f, unknown(err, ParamProvince)
		}
	}
	return f, nil
}

// unknown turns a unit that does not exist into a validation error on field.
func unknown(err error, field string) error {
	if errors.Is(err, errs.ErrNotFound) {
		return errs.Invalid(field, "stats.err."+field)
	}
	return err
}

// clip bounds a parameter's name as it is echoed back in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}

// Place is a province or commune with its figure.
type Place struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	N      int64  `json:"count"`
}

// Group is a first-level Decision 148 group (I to VI) with its figure.
type Group struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	N      int64  `json:"count"`
}

// MarketPlace is a place's listings.
type MarketPlace struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	NameEn    string `json:"name_en"`
	Products  int64  `json:"products"`
	Producers int64  `json:"producers"`
}

// SalesPlace is a place's sales.
type SalesPlace struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Orders int64  `json:"orders"`
	Sales  int64  `json:"sales"`
}

// Figures are every public figure for a filter on a day.
type Figures struct {
	Day            day.Date             `json:"day"`
	Filter         Filter               `json:"filter"`
	Products       int64                `json:"valid_products"`
	ByStars        []registry.Tally     `json:"by_stars"`
	ByGroup        []Group              `json:"by_group"`
	ByGroupLeaf    []registry.Tally     `json:"by_group_leaf"`
	ByPlace        []Place              `json:"by_place"` // provinces for the country, communes inside a province
	ByYear         []registry.Tally     `json:"by_year"`
	Trend          []registry.Tally     `json:"trend"`
	Owners         []producer.KindCount `json:"owners_by_kind"`
	Expiring       []registry.Tally     `json:"expiring_by_month"`
	ListedProducts int64                `json:"listed_products"`
	Sellers        int64                `json:"producers_selling"`
	Listed         []MarketPlace        `json:"listed_by_place"`
	SalesByMonth   []order.SalesCount   `json:"sales_by_month"`
	SalesByPlace   []SalesPlace         `json:"sales_by_place"`
	// ComputedAt is when these figures were counted: the certificate
	// figures are current (a change is seen at once), the marketplace's
	// may be up to the snapshot age older (see Snapshots).
	ComputedAt time.Time `json:"computed_at"`
}

// Stars are the star counts a certificate can carry, in the order shown.
var Stars = []string{"3", "4", "5"}

// Kinds are the producer kinds in the order shown.
var Kinds = []producer.Kind{producer.KindCooperative, producer.KindEnterprise, producer.KindHousehold, producer.KindCooperativeGroup}

// compute gathers every figure for f on d from the areas. Their queries are
// independent of each other, so they run at once, each on its own
// connection: the answer takes as long as the slowest, not the sum.
func (s *Service) compute(ctx context.Context, f Filter, d day.Date) (Figures, error) {
	out := Figures{Day: d, Filter: f, ComputedAt: s.now().UTC().Truncate(time.Second)}
	sc := registry.StatsScope{Province: f.Province, Commune: f.Commune}
	var (
		p     registry.ProductFigures
		kinds []producer.KindCount
		list  catalog.ListedFigures
		sales order.Sales
		named map[string]names
	)
	g, gctx := errgroup.WithContext(ctx)
	step := func(what string, fn func(ctx context.Context) error) {
		g.Go(func() error {
			if err := fn(gctx); err != nil {
				return fmt.Errorf("stats: %s: %w", what, err)
			}
			return nil
		})
	}
	step("products", func(ctx context.Context) (err error) { p, err = s.badges.Products(ctx, sc, d); return })
	step("trend", func(ctx context.Context) (err error) { out.Trend, err = s.badges.Trend(ctx, sc, d); return })
	step("expiring", func(ctx context.Context) (err error) { out.Expiring, err = s.badges.Expiring(ctx, sc, d); return })
	step("owners", func(ctx context.Context) (err error) {
		owners, args := s.badges.OwnersSQL(sc, d)
		kinds, err = s.producers.CountKinds(ctx, owners, args...)
		return
	})
	step("listings", func(ctx context.Context) (err error) {
		list, err = s.catalog.ListedIn(ctx, f.Province, f.Commune)
		return
	})
	step("sales", func(ctx context.Context) (err error) {
		sales, err = s.orders.SalesIn(ctx, f.Province, f.Commune, d)
		return
	})
	step("groups", func(ctx context.Context) (err error) { out.ByGroup, err = s.groups(ctx); return })
	step("places", func(ctx context.Context) (err error) { named, err = s.placeNames(ctx, f.Province); return })
	if err := g.Wait(); err != nil {
		return out, err
	}
	out.Products, out.ByYear, out.ByGroupLeaf = p.Products, p.ByYear, p.ByGroup
	out.ByStars = fillKeys(Stars, p.ByStars)
	out.Owners = fillKinds(kinds)
	out.ListedProducts, out.Sellers = list.Products, list.Producers
	out.SalesByMonth = sales.ByMonth
	addLeaves(out.ByGroup, p.ByGroup)
	out.ByPlace, out.Listed, out.SalesByPlace = []Place{}, []MarketPlace{}, []SalesPlace{}
	for _, t := range p.ByPlace {
		n := named[t.Key]
		out.ByPlace = append(out.ByPlace, Place{Code: t.Key, Name: n.Name, NameEn: n.NameEn, N: t.N})
	}
	for _, l := range list.ByPlace {
		n := named[l.Place]
		out.Listed = append(out.Listed, MarketPlace{Code: l.Place, Name: n.Name, NameEn: n.NameEn, Products: l.Products, Producers: l.Producers})
	}
	for _, sp := range sales.ByPlace {
		n := named[sp.Key]
		out.SalesByPlace = append(out.SalesByPlace, SalesPlace{Code: sp.Key, Name: n.Name, NameEn: n.NameEn, Orders: sp.Orders, Sales: sp.Sales})
	}
	return out, nil
}

// groups lists the six first-level groups of the tree, in its order.
func (s *Service) groups(ctx context.Context) ([]Group, error) {
	tree, err := s.catalog.Groups(ctx)
	var out []Group
	for _, g := range tree {
		if g.Level == 1 {
			out = append(out, Group{Code: g.Code, Name: g.Name, NameEn: g.NameEn})
		}
	}
	return out, err
}

// addLeaves rolls leaf counts up to their first-level group.
func addLeaves(groups []Group, leaves []registry.Tally) {
	at := map[string]int{}
	for i, g := range groups {
		at[g.Code] = i
	}
	for _, l := range leaves {
		top, _, _ := strings.Cut(l.Key, ".")
		if i, ok := at[top]; ok {
			groups[i].N += l.N
		}
	}
}

type names struct{ Name, NameEn string }

// placeNames names the places figures are broken down by: the provinces
// for the country, the communes of a province.
func (s *Service) placeNames(ctx context.Context, province string) (map[string]names, error) {
	out := map[string]names{}
	if province == "" {
		ps, err := s.regions.Provinces(ctx)
		for _, p := range ps {
			out[p.Code] = names{p.FullName, p.FullNameEn}
		}
		return out, err
	}
	cs, err := s.regions.Communes(ctx, province)
	for _, c := range cs {
		out[c.Code] = names{c.FullName, c.FullNameEn}
	}
	return out, err
}

// Provinces lists the provinces for the filter form.
func (s *Service) Provinces(ctx context.Context) ([]region.Province, error) {
	return s.regions.Provinces(ctx)
}

// Communes lists a province's communes for the filter form.
func (s *Service) Communes(ctx context.Context, province string) ([]region.Commune, error) {
	if province == "" {
		return nil, nil
	}
	return s.regions.Communes(ctx, province)
}

// fillKeys orders tallies by keys, with zeros for keys they lack.
func fillKeys(keys []string, ts []registry.Tally) []registry.Tally {
	got := map[string]int64{}
	for _, t := range ts {
		got[t.Key] = t.N
	}
	out := make([]registry.Tally, len(keys))
	for i, k := range keys {
		out[i] = registry.Tally{Key: k, N: got[k]}
	}
	return out
}

// fillKinds orders kind counts by Kinds, with zeros for kinds absent.
func fillKinds(ks []producer.KindCount) []producer.KindCount {
	got := map[producer.Kind]int64{}
	for _, k := range ks {
		got[k.Kind] = k.N
	}
	out := make([]producer.KindCount, len(Kinds))
	for i, k := range Kinds {
		out[i] = producer.KindCount{Kind: k, N: got[k]}
	}
	return out
}
