package registry

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
)

// PipelineStages are the stages an application waits at, in order.
var PipelineStages = []AppStatus{StatusSubmitted, StatusProposed, StatusScored, StatusForwarded}

// Stage is one stage of the pipeline: how many applications wait there
// now, and the median number of days those that moved on spent there
// (nil when none has moved on yet), with how many that median is of.
type Stage struct {
	Status     AppStatus `json:"status"`
	Waiting    int64     `json:"waiting"`
	MedianDays *float64  `json:"median_days"`
	Moved      int       `json:"moved"`
}

// ExpiringCert is a certificate whose validity ends within the year ahead.
type ExpiringCert struct {
	Code         string   `json:"code"`
	ProductName  string   `json:"product_name"`
	OwnerName    string   `json:"owner_name"`
	ProvinceCode string   `json:"province_code"`
	Stars        int      `json:"stars"`
	ValidUntil   day.Date `json:"valid_until"`
}

// ExpiringMonth is one month of expiries: how many, and the certificates
// the officer may open (a central officer opens central ones only).
type ExpiringMonth struct {
	Month string         `json:"month"`
	N     int64          `json:"count"`
	Certs []ExpiringCert `json:"certificates"`
}

// YearFigures are counts from 1 January to the day asked of one year.
type YearFigures struct {
	Year      int   `json:"year"`
	Submitted int64 `json:"applications_submitted"`
	Decisions int64 `json:"decisions"`
	Certified int64 `json:"certificates_issued"`
	Revoked   int64 `json:"certificates_revoked"`
	Valid     int64 `json:"valid_products"` // on the day itself (this year) or the same day a year before
}

// ProvinceRow is one province of the central officer's side-by-side table.
type ProvinceRow struct {
	Province          string `json:"province"`
	ValidProducts     int64  `json:"valid_products"`
	Waiting           int64  `json:"applications_waiting"`
	CertifiedThisYear int64  `json:"certified_this_year"`
	CertifiedLastYear int64  `json:"certified_last_year"`
	Expiring          int64  `json:"expiring_12_months"`
}

// Dashboard is an officer's scope at a glance: a provincial officer's
// province, or every province for a central officer.
type Dashboard struct {
	Day       day.Date        `json:"day"`
	Province  string          `json:"province,omitempty"` // "" for a central officer
	Pipeline  []Stage         `json:"pipeline"`
	Decided   int64           `json:"applications_decided"`
	Decisions []Tally         `json:"decisions_by_month"` // the 12 months ending with this one
	Expiring  []ExpiringMonth `json:"expiring_by_month"`  // the 12 months starting with this one
	ThisYear  YearFigures     `json:"this_year"`
	LastYear  YearFigures     `json:"last_year"`
	Provinces []ProvinceRow   `json:"provinces,omitempty"` // central only
}

// maxExpiringNames bounds the names listed per month on a dashboard.
const maxExpiringNames = 100

// Dashboard gathers actor's dashboard. Only officers have one.
func (s *Service) Dashboard(ctx context.Context, actor *account.User) (Dashboard, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return Dashboard{}, errs.ErrForbidden
	}
	today := s.today()
	d := Dashboard{Day: today, Province: officerProvince(actor)}
	if !actor.IsCentralOfficer() && d.Province == "" {
		return d, errs.ErrForbidden // a provincial officer without a province sees nothing
	}
	sc := StatsScope{Province: d.Province}
	byProvince := map[string]*ProvinceRow{}
	row := func(p string) *ProvinceRow {
		if byProvince[p] == nil {
			byProvince[p] = &ProvinceRow{Province: p}
		}
		return byProvince[p]
	}
	if err := s.pipeline(ctx, &d, row); err != nil {
		return d, err
	}
	if err := s.decisionsByMonth(ctx, &d); err != nil {
		return d, err
	}
	if err := s.expiringNames(ctx, &d, actor, row); err != nil {
		return d, err
	}
	badges := NewBadgeStore(s.db)
	for i, y := range []*YearFigures{&d.ThisYear, &d.LastYear} {
		on := today.AddMonths(-12 * i)
		if err := s.yearFigures(ctx, sc, on, y, row, i == 0); err != nil {
			return d, err
		}
		f, err := badges.Products(ctx, sc, on)
		if err != nil {
			return d, err
		}
		y.Valid = f.Products
		if i == 0 && d.Province == "" {
			for _, t := range f.ByPlace {
				row(t.Key).ValidProducts = t.N
			}
		}
	}
	if d.Province == "" {
		for _, r := range byProvince {
			d.Provinces = append(d.Provinces, *r)
		}
		sort.Slice(d.Provinces, func(i, j int) bool { return d.Provinces[i].Province < d.Provinces[j].Province })
	}
	return d, nil
}

// pipeline counts the applications at each stage and measures the days
// spent there from the audit log, where every move writes the status it
// moved to (snapApp).
func (s *Service) pipeline(ctx context.Context, d *Dashboard, row func(string) *ProvinceRow) error {
	q := s.db.WithContext(ctx).Model(&Application{}).Select("province_code, status, COUNT(*) AS n").Where("status <> ?", StatusDraft)
	if d.Province != "" {
		q = q.Where("province_code = ?", d.Province)
	}
	var counts []struct {
		ProvinceCode string
		Status       AppStatus
		N            int64
	}
	if err := q.Group("province_code, status").Scan(&counts).Error; err != nil {
		return err
	}
	waiting := map[AppStatus]int64{}
	for _, c := range counts {
		if c.Status == StatusDecided {
			d.Decided += c.N
			continue
		}
		waiting[c.Status] += c.N
		row(c.ProvinceCode).Waiting += c.N
	}
	var events []StageEvent
	a := s.db.WithContext(ctx).Table("registry_audit a").Select("a.application_id, a.at, a.after_json").
		Joins("JOIN registry_applications p ON p.id = a.application_id").
		Where("a.outcome = ? AND a.application_id IS NOT NULL AND a.after_json <> ''", "ok")
	if d.Province != "" {
		a = a.Where("p.province_code = ?", d.Province)
	}
	var rows []struct {
		ApplicationID int64
		At            time.Time
		AfterJSON     string
	}
	if err := a.Order("a.application_id, a.id").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		var snap struct {
			Status AppStatus `json:"status"`
		}
		if json.Unmarshal([]byte(r.AfterJSON), &snap) != nil || snap.Status == "" {
			continue // an entry that records no application status (a remark's note, a refusal) moves nothing
		}
		events = append(events, StageEvent{ApplicationID: r.ApplicationID, Status: snap.Status, At: r.At})
	}
	medians := StageMedians(events)
	for _, st := range PipelineStages {
		m := medians[st]
		d.Pipeline = append(d.Pipeline, Stage{Status: st, Waiting: waiting[st], MedianDays: m.Median, Moved: m.N})
	}
	return nil
}

// StageEvent is an application entering a status at an instant.
type StageEvent struct {
	ApplicationID int64
	Status        AppStatus
	At            time.Time
}

// StageTime is the median days spent at a stage over N applications.
type StageTime struct {
	Median *float64
	N      int
}

// StageMedians measures, for each status, the days applications spent in
// it: from the event that entered it to the next event of the same
// application that entered another. Events come ordered by application,
// then time; an application still at a stage is not measured there.
func StageMedians(events []StageEvent) map[AppStatus]StageTime {
	spans := map[AppStatus][]float64{}
	var prev *StageEvent
	for i := range events {
		e := events[i]
		if prev != nil && prev.ApplicationID == e.ApplicationID {
			if e.Status == prev.Status {
				continue // a repeated status (a remark while scored) is no new entry: the stage began earlier
			}
			spans[prev.Status] = append(spans[prev.Status], e.At.Sub(prev.At).Hours()/24)
		}
		prev = &events[i]
	}
	out := map[AppStatus]StageTime{}
	for st, xs := range spans {
		sort.Float64s(xs)
		m := xs[len(xs)/2]
		if len(xs)%2 == 0 {
			m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
		}
		m = float64(int64(m*10+0.5)) / 10 // a tenth of a day is as fine as anyone reads it
		out[st] = StageTime{Median: &m, N: len(xs)}
	}
	return out
}

// decisionsByMonth counts the recognition decisions of the 12 months
// ending with this one.
func (s *Service) decisionsByMonth(ctx context.Context, d *Dashboard) error {
	first := day.New(d.Day.Time().Year(), d.Day.Time().Month(), 1).AddMonths(-11)
	m := monthOf(s.db, "decision_date")
	q := s.db.WithContext(ctx).Model(&Decision{}).Select(m+" AS key, COUNT(*) AS n").Where("decision_date >= ? AND decision_date <= ?", first, d.Day)
	if d.Province != "" {
		q = q.Where("province_code = ?", d.Province)
	}
	var rows []Tally
	if err := q.Group(m).Scan(&rows).Error; err != nil {
		return err
	}
	d.Decisions = fill(MonthsFrom(first, 12), rows)
	return nil
}

// expiringNames lists the certificates valid today whose validity ends in
// the 12 months starting with this one, counted by month (and province),
// named where the officer may open them.
func (s *Service) expiringNames(ctx context.Context, d *Dashboard, actor *account.User, row func(string) *ProvinceRow) error {
	last := day.New(d.Day.Time().Year(), d.Day.Time().Month(), 1).AddMonths(12).AddDays(-1)
	active, args := ActiveSQL("", d.Day)
	q := s.db.WithContext(ctx).Model(&Certificate{}).Where(active, args...).Where("valid_until <= ?", last)
	if d.Province != "" {
		q = q.Where("province_code = ?", d.Province)
	}
	var certs []Certificate
	if err := q.Select("id, code, product_name, owner_name, province_code, stars, valid_until, valid_from, decision_date, authority_level, import_pending, revoked_on, superseded_on").
		Order("valid_until, id").Find(&certs).Error; err != nil {
		return err
	}
	months := MonthsFrom(d.Day, 12)
	index := map[string]int{}
	d.Expiring = make([]ExpiringMonth, len(months))
	for i, m := range months {
		index[m], d.Expiring[i] = i, ExpiringMonth{Month: m, Certs: []ExpiringCert{}}
	}
	for _, c := range certs {
		i, ok := index[c.ValidUntil.String()[:7]]
		if !ok || !c.ValidOn(d.Day) {
			continue
		}
		e := &d.Expiring[i]
		e.N++
		row(c.ProvinceCode).Expiring++
		if officerMayReadCert(actor, c) && len(e.Certs) < maxExpiringNames {
			e.Certs = append(e.Certs, ExpiringCert{Code: c.Code, ProductName: c.ProductName, OwnerName: c.OwnerName,
				ProvinceCode: c.ProvinceCode, Stars: c.Stars, ValidUntil: c.ValidUntil})
		}
	}
	return nil
}

// yearFigures counts from 1 January of on's year to on itself.
func (s *Service) yearFigures(ctx context.Context, sc StatsScope, on day.Date, y *YearFigures, row func(string) *ProvinceRow, thisYear bool) error {
	y.Year = on.Time().Year()
	from := day.New(y.Year, 1, 1)
	w, wa := sc.where("c")
	var certified []struct {
		ProvinceCode string
		N            int64
	}
	err := s.db.WithContext(ctx).Raw("SELECT c.province_code, COUNT(*) AS n FROM certificates c WHERE c.import_pending = ? AND c.decision_date >= ? AND c.decision_date <= ?"+
		w+" GROUP BY c.province_code", append([]any{false, from, on}, wa...)...).Scan(&certified).Error
	if err != nil {
		return err
	}
	for _, c := range certified {
		y.Certified += c.N
		if thisYear {
			row(c.ProvinceCode).CertifiedThisYear = c.N
		} else {
			row(c.ProvinceCode).CertifiedLastYear = c.N
		}
	}
	g := s.db.WithContext(ctx)
	counts := []struct {
		n   *int64
		q   string
		arg []any
	}{
		{&y.Revoked, "SELECT COUNT(*) FROM certificates c WHERE c.revoked_on >= ? AND c.revoked_on <= ?" + w, append([]any{from, on}, wa...)},
		{&y.Submitted, "SELECT COUNT(*) FROM registry_applications c WHERE c.submitted_at >= ? AND c.submitted_at < ?" + w,
			append([]any{vnStart(from), vnStart(on.AddDays(1))}, wa...)},
		{&y.Decisions, "SELECT COUNT(*) FROM registry_decisions c WHERE c.decision_date >= ? AND c.decision_date <= ?" + provinceOnly(sc),
			append([]any{from, on}, provinceArgs(sc)...)},
	}
	for _, c := range counts {
		if err := g.Raw(c.q, c.arg...).Scan(c.n).Error; err != nil {
			return err
		}
	}
	return nil
}

// provinceOnly narrows decisions, which have a province but no commune.
func provinceOnly(sc StatsScope) string {
	if sc.Province == "" {
		return ""
	}
	return " AND c.province_code = ?"
}

func provinceArgs(sc StatsScope) []any {
	if sc.Province == "" {
		return nil
	}
	return []any{sc.Province}
}

// vnStart is the instant d begins in Vietnam, in UTC as stored.
func vnStart(d day.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, day.Zone).UTC()
}
