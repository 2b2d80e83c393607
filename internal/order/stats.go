package order

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/producer"
)

// SalesCount is how many orders were sold and for how much (đồng, goods
// only: shipping is the carrier's, not a sale), in a month ("2027-03") or a
// place (a province or commune code).
type SalesCount struct {
	Key    string `json:"key"`
	Orders int64  `json:"orders"`
	Sales  int64  `json:"sales"`
}

// Sales is what the marketplace sold over 12 months, by month and by the
// selling producer's place. No buyer appears in it.
type Sales struct {
	ByMonth []SalesCount
	ByPlace []SalesCount
}

// SalesIn sums the orders sold by producers of a province ("" = the
// country) and commune ("" = the whole province) in the 12 months ending
// with d's month, by the month their group was paid (Vietnam time) and by
// the producer's place (provinces for the country, communes inside a
// province). One query: a column pair per month, a row per place.
func (s *Service) SalesIn(ctx context.Context, province, commune string, d day.Date) (Sales, error) {
	first := day.New(d.Time().Year(), d.Time().Month(), 1).AddMonths(-11)
	place := "pr.province_code"
	if province != "" {
		place = "pr.commune_code"
	}
	sel := place + " AS place"
	var args []any
	months := make([]string, 12)
	for i := range months {
		m := first.AddMonths(i)
		months[i] = m.String()[:7]
		from, to := vnMidnight(m), vnMidnight(m.AddMonths(1))
		n := strconv.Itoa(i)
		sel += ", SUM(CASE WHEN g.paid_at >= ? AND g.paid_at < ? THEN 1 ELSE 0 END) AS o" + n +
			", SUM(CASE WHEN g.paid_at >= ? AND g.paid_at < ? THEN o.items_total ELSE 0 END) AS s" + n
		args = append(args, from, to, from, to)
	}
	q := s.db.WithContext(ctx).Table("orders o").Select(sel, args...).
		Joins("JOIN order_groups g ON g.id = o.group_id").
		Joins("JOIN ("+producer.PlacesSQL()+") pr ON pr.id = o.producer_id").
		Where("o.status IN ? AND g.paid_at >= ? AND g.paid_at < ?", soldStatuses, vnMidnight(first), vnMidnight(first.AddMonths(12)))
	if province != "" {
		q = q.Where("pr.province_code = ?", province)
	}
	if commune != "" {
		q = q.Where("pr.commune_code = ?", commune)
	}
	var rows []map[string]any
	if err := q.Group(place).Scan(&rows).Error; err != nil {
		return Sales{}, err
	}
	out := Sales{ByMonth: make([]SalesCount, 12)}
	for i, m := range months {
		out.ByMonth[i].Key = m
	}
	for _, r := range rows {
		pc := SalesCount{Key: asText(r["place"])}
		for i := range months {
			o, v := db.AsInt(r["o"+strconv.Itoa(i)]), db.AsInt(r["s"+strconv.Itoa(i)])
			out.ByMonth[i].Orders += o
			out.ByMonth[i].Sales += v
			pc.Orders += o
			pc.Sales += v
		}
		out.ByPlace = append(out.ByPlace, pc)
	}
	sort.Slice(out.ByPlace, func(i, j int) bool { return out.ByPlace[i].Key < out.ByPlace[j].Key })
	return out, nil
}

// vnMidnight is the instant a day starts in Vietnam, in UTC as stored.
func vnMidnight(d day.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, day.Zone).UTC()
}

// asText reads a text value scanned into a map, whatever type the driver chose.
func asText(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}
