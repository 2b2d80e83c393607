package statsweb

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// dashboardView is the data of the officers' dashboard.
type dashboardView struct {
	D      registry.Dashboard
	Tables []Table
	Names  map[string]string // province code → name, for the central officer's table
}

// Dashboard serves /registry/dashboard: the officer's scope at a glance
// (a provincial officer's province; every province side by side for a
// central officer), every figure a chart and a table.
func (h *Handlers) Dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := h.Registry.Dashboard(ctx, kit.UserOf(c))
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	t := h.translator(lang)
	v := dashboardView{D: d, Names: map[string]string{}}
	ps, err := h.Stats.Provinces(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		v.Names[p.Code] = p.FullName
		if lang == "en" {
			v.Names[p.Code] = p.FullNameEn
		}
	}
	var bars []Bar
	var rows [][]string
	for _, st := range d.Pipeline {
		med := "—"
		if st.MedianDays != nil {
			med = strconv.FormatFloat(*st.MedianDays, 'f', 1, 64)
		}
		label := t("registry.status." + string(st.Status))
		rows = append(rows, []string{label, num(lang, st.Waiting), med, num(lang, int64(st.Moved))})
		bars = append(bars, Bar{Label: label, Value: st.Waiting, Text: num(lang, st.Waiting)})
	}
	v.Tables = append(v.Tables, dashTable(t, lang, "pipeline", []string{t("dash.col.stage"), t("dash.col.waiting"), t("dash.col.median_days"), t("dash.col.moved")}, rows, bars, hbars))

	bars, rows = nil, nil
	for _, m := range d.Decisions {
		rows = append(rows, []string{month(m.Key), num(lang, m.N)})
		bars = append(bars, Bar{Label: month(m.Key)[:2], Value: m.N, Text: num(lang, m.N)})
	}
	v.Tables = append(v.Tables, dashTable(t, lang, "decisions", []string{t("stats.col.month"), t("dash.col.decisions")}, rows, bars, columns))

	bars, rows = nil, nil
	for _, m := range d.Expiring {
		rows = append(rows, []string{month(m.Month), num(lang, m.N)})
		bars = append(bars, Bar{Label: month(m.Month)[:2], Value: m.N, Text: num(lang, m.N)})
	}
	v.Tables = append(v.Tables, dashTable(t, lang, "expiring", []string{t("stats.col.month"), t("stats.col.certificates")}, rows, bars, columns))

	bars, rows = nil, nil
	ty, ly := d.ThisYear, d.LastYear
	for _, r := range []struct {
		key  string
		a, b int64
	}{{"submitted", ty.Submitted, ly.Submitted}, {"decisions", ty.Decisions, ly.Decisions}, {"certified", ty.Certified, ly.Certified},
		{"revoked", ty.Revoked, ly.Revoked}, {"valid", ty.Valid, ly.Valid}} {
		label := t("dash.year." + r.key)
		rows = append(rows, []string{label, num(lang, r.a), num(lang, r.b)})
		bars = append(bars, Bar{Label: label + " " + strconv.Itoa(ty.Year), Value: r.a, Text: num(lang, r.a)},
			Bar{Label: label + " " + strconv.Itoa(ly.Year), Value: r.b, Text: num(lang, r.b)})
	}
	v.Tables = append(v.Tables, dashTable(t, lang, "years", []string{t("dash.col.figure"), strconv.Itoa(ty.Year), strconv.Itoa(ly.Year)}, rows, bars, hbars))

	if d.Province == "" { // a central officer: every province side by side
		bars, rows = nil, nil
		got := map[string]registry.ProvinceRow{}
		for _, p := range d.Provinces {
			got[p.Province] = p
		}
		for _, pr := range ps { // every province, those without figures too: side by side means all 34
			p := got[pr.Code]
			name := v.Names[pr.Code]
			rows = append(rows, []string{name, num(lang, p.ValidProducts), num(lang, p.Waiting), num(lang, p.CertifiedThisYear),
				num(lang, p.CertifiedLastYear), num(lang, p.Expiring)})
			bars = append(bars, Bar{Label: name, Value: p.ValidProducts, Text: num(lang, p.ValidProducts)})
		}
		v.Tables = append(v.Tables, dashTable(t, lang, "provinces", []string{t("stats.col.province"), t("stats.col.products"), t("dash.col.waiting"),
			t("dash.col.certified") + " " + strconv.Itoa(ty.Year), t("dash.col.certified") + " " + strconv.Itoa(ly.Year), t("dash.col.expiring")}, rows, bars, hbars))
	}
	return h.Render(c, http.StatusOK, "dashboard", v)
}

func dashTable(t func(string, ...any) string, lang, id string, cols []string, rows [][]string, bars []Bar, chart func(id, title, desc string, bars []Bar) template.HTML) Table {
	title, desc := t("dash."+id+".title"), t("dash."+id+".desc")
	return Table{ID: "dash-" + id, Lang: lang, Title: title, Desc: desc, Cols: cols, Rows: rows, Chart: chart("dash-"+id, title, desc, bars)}
}
