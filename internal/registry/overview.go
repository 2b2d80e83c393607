package registry

import (
	"context"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog/grouptree"
)

// GroupOption is a product group a producer may apply under.
type GroupOption struct {
	Code, Name, NameEn string
}

// Groups lists the Decision 148 product groups an application may name:
// the leaves of the tree, in its order.
func (s *Service) Groups(ctx context.Context) ([]GroupOption, error) {
	leaves, err := grouptree.Leaves(s.db.WithContext(ctx))
	out := make([]GroupOption, len(leaves))
	for i, l := range leaves {
		out[i] = GroupOption{Code: l.Code, Name: l.Name, NameEn: l.NameEn}
	}
	return out, err
}

// Overview is the province's OCOP economy at a glance.
type Overview struct {
	ValidByStars  map[int]int64
	Expired       int64
	Revoked       int64
	ExpiringSoon  int64
	QueueByStatus map[string]int64
	Producers     int64
}

// Overview counts certificates and applications in a province ("" = all).
func (s *Service) Overview(ctx context.Context, province string) (Overview, error) {
	o := Overview{ValidByStars: map[int]int64{}, QueueByStatus: map[string]int64{}}
	today := s.today()
	q := func() *gorm.DB {
		// An import no second officer has confirmed is not a certificate yet: counted nowhere.
		g := s.db.WithContext(ctx).Model(&Certificate{}).Where("import_pending = ?", false)
		if province != "" {
			g = g.Where("province_code = ?", province)
		}
		return g
	}
	var rows []struct {
		Stars int
		N     int64
	}
	active, args := ActiveSQL("", today)
	if err := q().Select("stars, COUNT(*) AS n").Where(active, args...).Group("stars").Scan(&rows).Error; err != nil {
		return o, err
	}
	for _, r := range rows {
		o.ValidByStars[r.Stars] = r.N
	}
	counts := []*gorm.DB{
		q().Where("valid_until < ? AND revoked_on IS NULL AND (superseded_on IS NULL OR superseded_on > valid_until)", today),
		q().Where("revoked_on IS NOT NULL"),
		q().Where(active, args...).Where("valid_until <= ?", today.AddDays(90)),
		q().Distinct("producer_id").Where(active, args...),
	}
	for i, n := range []*int64{&o.Expired, &o.Revoked, &o.ExpiringSoon, &o.Producers} {
		if err := counts[i].Count(n).Error; err != nil {
			return o, err
		}
	}
	var st []struct {
		Status string
		N      int64
	}
	g := s.db.WithContext(ctx).Model(&Application{}).Select("status, COUNT(*) AS n").Where("status <> ?", StatusDraft)
	if province != "" {
		g = g.Where("province_code = ?", province)
	}
	if err := g.Group("status").Scan(&st).Error; err != nil {
		return o, err
	}
	for _, r := range st {
		o.QueueByStatus[r.Status] = r.N
	}
	return o, nil
}

// Option is a value a form offers to choose from.
type Option struct {
	ID   int64
	Code string
	Name string
}

// ProducerProducts lists the listings of the actor's producer, to name one in an application.
func (s *Service) ProducerProducts(ctx context.Context, producerID int64) ([]Option, error) {
	names, err := s.products.ProductNames(ctx, producerID)
	out := make([]Option, len(names))
	for i, n := range names {
		out[i] = Option{ID: n.ID, Name: n.Name}
	}
	return out, err
}

// Communes lists a province's communes for the officers' queue filter ("" = none).
func (s *Service) Communes(ctx context.Context, province string) ([]Option, error) {
	var out []Option
	if province == "" {
		return out, nil
	}
	cs, err := s.regions.Communes(ctx, province)
	for _, c := range cs {
		out = append(out, Option{Code: c.Code, Name: c.FullName})
	}
	return out, err
}
