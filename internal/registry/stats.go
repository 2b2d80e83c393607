package registry

import (
	"context"
	"sort"
	"strconv"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
)

// StatsScope narrows the public figures to a province ("" = the whole
// country) and, inside it, to a commune ("" = every commune). The caller
// has checked that the codes name known units.
type StatsScope struct{ Province, Commune string }

// where is the scope as an SQL condition on the certificates table aliased
// alias, starting with " AND " when it narrows anything.
func (sc StatsScope) where(alias string) (string, []any) {
	var cond string
	var args []any
	if sc.Province != "" {
		cond, args = cond+" AND "+alias+".province_code = ?", append(args, sc.Province)
	}
	if sc.Commune != "" {
		cond, args = cond+" AND "+alias+".commune_code = ?", append(args, sc.Commune)
	}
	return cond, args
}

// Tally is one bar of a figure: what is counted (a star count, a group
// code, a place code, a year or a month "2027-03") and how many.
type Tally struct {
	Key string `json:"key"`
	N   int64  `json:"count"`
}

// ProductFigures are the valid OCOP products of a scope on a day. A product
// counts once, at its current certificate: of the certificates valid on
// the day (StatusOn == active, through ActiveSQL), the one with the most
// stars, then the latest decision. A certificate recorded without a
// catalogue listing (a historic import) is a product of its own.
type ProductFigures struct {
	Products int64
	ByStars  []Tally // "3", "4", "5"
	ByGroup  []Tally // leaf group codes (I.3.c): the caller rolls them up the tree
	ByPlace  []Tally // province codes for the country, commune codes inside a province ("" = not recorded)
	ByYear   []Tally // year of the current certificate's decision
}

// currentSQL is a subquery of the certificates valid on d in sc, each with
// rn = 1 on the one its product counts at (see ProductFigures).
func currentSQL(sc StatsScope, d day.Date) (string, []any) {
	active, args := ActiveSQL("c", d)
	w, wa := sc.where("c")
	return "SELECT c.stars, c.group_code, c.province_code, c.commune_code, c.decision_date, " +
		"ROW_NUMBER() OVER (PARTITION BY COALESCE(c.product_id, -c.id) ORDER BY c.stars DESC, c.decision_date DESC, c.id DESC) AS rn " +
		"FROM certificates c WHERE " + active + w, append(args, wa...)
}

// yearOf and monthOf are the year (an integer) and the month ("2027-03")
// of a DATE column: stored as DATE on PostgreSQL and as "YYYY-MM-DD" text
// on SQLite.
func yearOf(g *gorm.DB, col string) string {
	if db.DialectOf(g) == db.Postgres {
		return "CAST(EXTRACT(YEAR FROM " + col + ") AS INTEGER)"
	}
	return "CAST(substr(" + col + ", 1, 4) AS INTEGER)"
}

func monthOf(g *gorm.DB, col string) string {
	if db.DialectOf(g) == db.Postgres {
		return "to_char(" + col + ", 'YYYY-MM')"
	}
	return "substr(" + col + ", 1, 7)"
}

// Products counts the valid OCOP products of sc on d by stars, group,
// place and year of recognition, in one query over the current
// certificates.
func (s *BadgeStore) Products(ctx context.Context, sc StatsScope, d day.Date) (ProductFigures, error) {
	var f ProductFigures
	cur, args := currentSQL(sc, d)
	place := "x.province_code"
	if sc.Province != "" {
		place = "COALESCE(x.commune_code, '')"
	}
	year := yearOf(s.db, "x.decision_date")
	stars, groups, places, years := map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
	if db.DialectOf(s.db) == db.Postgres {
		// One pass, four answers of a few rows each: GROUPING says which
		// dimension a row counts (a bit set for each column not grouped on).
		var rows []struct {
			Set       int
			Stars     *int
			GroupCode *string
			Place     *string
			Year      *int
			N         int64
		}
		q := "SELECT GROUPING(x.stars, x.group_code, " + place + ", " + year + ") AS set, x.stars, x.group_code, " + place + " AS place, " +
			year + " AS year, COUNT(*) AS n FROM (" + cur + ") x WHERE x.rn = 1 GROUP BY GROUPING SETS ((x.stars), (x.group_code), (" +
			place + "), (" + year + "))"
		if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
			return f, err
		}
		for _, r := range rows {
			switch {
			case r.Set == 0b0111 && r.Stars != nil:
				f.Products += r.N
				stars[strconv.Itoa(*r.Stars)] += r.N
			case r.Set == 0b1011 && r.GroupCode != nil:
				groups[*r.GroupCode] += r.N
			case r.Set == 0b1101 && r.Place != nil:
				places[*r.Place] += r.N
			case r.Set == 0b1110 && r.Year != nil:
				years[strconv.Itoa(*r.Year)] += r.N
			}
		}
	} else {
		// SQLite has no GROUPING SETS: one row per combination, added up here.
		var rows []struct {
			Stars     int
			GroupCode string
			Place     string
			Year      int
			N         int64
		}
		q := "SELECT x.stars, x.group_code, " + place + " AS place, " + year + " AS year, COUNT(*) AS n FROM (" +
			cur + ") x WHERE x.rn = 1 GROUP BY x.stars, x.group_code, " + place + ", " + year
		if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
			return f, err
		}
		for _, r := range rows {
			f.Products += r.N
			stars[strconv.Itoa(r.Stars)] += r.N
			groups[r.GroupCode] += r.N
			places[r.Place] += r.N
			years[strconv.Itoa(r.Year)] += r.N
		}
	}
	f.ByStars, f.ByGroup, f.ByPlace, f.ByYear = tallies(stars), tallies(groups), tallies(places), tallies(years)
	return f, nil
}

// tallies turns counts into tallies ordered by key.
func tallies(m map[string]int64) []Tally {
	out := make([]Tally, 0, len(m))
	for k, n := range m {
		out = append(out, Tally{Key: k, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Key) != len(out[j].Key) && isNumber(out[i].Key) && isNumber(out[j].Key) {
			return len(out[i].Key) < len(out[j].Key)
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// MonthsFrom lists n months "2027-03" starting with d's month.
func MonthsFrom(d day.Date, n int) []string {
	first := day.New(d.Time().Year(), d.Time().Month(), 1)
	out := make([]string, n)
	for i := range out {
		out[i] = first.AddMonths(i).String()[:7]
	}
	return out
}

// Expiring counts, for each of the 12 months starting with d's month, the
// certificates of sc valid on d whose validity ends that month: what the
// province must re-evaluate, month by month. Every month is present, zero
// or not.
func (s *BadgeStore) Expiring(ctx context.Context, sc StatsScope, d day.Date) ([]Tally, error) {
	months := MonthsFrom(d, 12)
	last := day.New(d.Time().Year(), d.Time().Month(), 1).AddMonths(12).AddDays(-1)
	active, args := ActiveSQL("c", d)
	w, wa := sc.where("c")
	m := monthOf(s.db, "c.valid_until")
	var rows []Tally
	err := s.db.WithContext(ctx).Raw("SELECT "+m+" AS key, COUNT(*) AS n FROM certificates c WHERE "+active+w+
		" AND c.valid_until <= ? GROUP BY "+m, append(append(args, wa...), last)...).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	return fill(months, rows), nil
}

// fill is rows in the order of keys, with a zero for each key rows lack.
func fill(keys []string, rows []Tally) []Tally {
	got := map[string]int64{}
	for _, r := range rows {
		got[r.Key] = r.N
	}
	out := make([]Tally, len(keys))
	for i, k := range keys {
		out[i] = Tally{Key: k, N: got[k]}
	}
	return out
}

// FirstYear is the earliest year OCOP counts begin with on the figures.
const FirstYear = 2019

// Trend counts the valid products of sc at the end of each year from the
// first recognition in sc (FirstYear at the earliest) to d's year, whose
// count is on d itself: each year asks the certificates' status on its own
// last day, so an expired or revoked certificate counts in the years it
// was valid. One scan, a column per year.
func (s *BadgeStore) Trend(ctx context.Context, sc StatsScope, d day.Date) ([]Tally, error) {
	w, wa := sc.where("c")
	var first struct{ First day.Date }
	err := s.db.WithContext(ctx).Raw("SELECT MIN(c.decision_date) AS first FROM certificates c WHERE c.import_pending = ?"+w,
		append([]any{false}, wa...)...).Scan(&first).Error
	if err != nil || first.First.IsZero() {
		return []Tally{}, err
	}
	from := max(first.First.Time().Year(), FirstYear)
	to := d.Time().Year()
	if from > to {
		return []Tally{}, nil
	}
	var cols []string
	var args []any
	for y := from; y <= to; y++ {
		on := day.New(y, 12, 31)
		if y == to {
			on = d
		}
		active, a := ActiveSQL("c", on)
		cols = append(cols, "COUNT(DISTINCT CASE WHEN "+active+" THEN COALESCE(c.product_id, -c.id) END)")
		args = append(args, a...)
	}
	q := "SELECT "
	for i, c := range cols {
		if i > 0 {
			q += ", "
		}
		q += c + " AS y" + strconv.Itoa(i)
	}
	q += " FROM certificates c WHERE c.import_pending = ?" + w
	args = append(append(args, false), wa...)
	row := map[string]any{}
	if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&row).Error; err != nil {
		return nil, err
	}
	out := make([]Tally, 0, to-from+1)
	for i := 0; i <= to-from; i++ {
		out = append(out, Tally{Key: strconv.Itoa(from + i), N: db.AsInt(row["y"+strconv.Itoa(i)])})
	}
	return out, nil
}

// OwnersSQL is a subquery of the producer ids of sc holding a certificate
// valid on d: the OCOP owners that the producer area counts by kind
// without naming this area's table.
func (s *BadgeStore) OwnersSQL(sc StatsScope, d day.Date) (string, []any) {
	active, args := ActiveSQL("c", d)
	w, wa := sc.where("c")
	return "SELECT DISTINCT c.producer_id FROM certificates c WHERE " + active + w, append(args, wa...)
}

// ChangeMark is a number that grows with every certificate action the
// registry commits (an issue, a renewal, a supersession, a revocation, an
// import and its confirmation): the id of the newest successful
// "certificate.*" entry of the audit chain. Every registry transaction holds
// the chain from its start to its commit, so a change that commits later
// always has a higher id, and figures computed at mark m still hold for
// certificates while ChangeMark returns m. (Dates move figures too: the
// caller keys what it keeps by day as well.) One step backwards along a
// partial index (migration 00096), whatever the size of the chain.
func (s *BadgeStore) ChangeMark(ctx context.Context) (int64, error) {
	var mark int64
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM " + auditTable +
		" WHERE outcome = 'ok' AND action LIKE 'certificate.%'").Scan(&mark).Error
	return mark, err
}
