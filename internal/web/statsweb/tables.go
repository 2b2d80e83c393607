package statsweb

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/chocop/ocop/internal/platform/money"
	"github.com/chocop/ocop/internal/stats"
)

// Table is one figure of the page: a chart and the data table that is its
// accessible alternative, and the rows of its CSV download.
type Table struct {
	ID    string // stable: the section's anchor, the CSV's and the API's name
	Title string
	Desc  string
	Cols  []string   // headers in the reader's language
	Keys  []string   // headers of the API and of the English CSV: stable, machine-readable
	Rows  [][]string // cells as shown
	Raw   [][]any    // cells as data: strings and integers
	Chart template.HTML
	Lang  string // for the partial that draws it
	CSV   string // the address of its CSV download, "" for none
}

// TableIDs are the tables of the public page, in order.
var TableIDs = []string{"stars", "groups", "places", "years", "trend", "owners", "expiring", "listed", "sales-months", "sales-places"}

// num writes a count the reader's way.
func num(lang string, n int64) string {
	s := money.Group(n)
	if lang == "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// month writes "2027-03" as 03/2027.
func month(m string) string {
	if len(m) == 7 {
		return m[5:] + "/" + m[:4]
	}
	return m
}

// tables builds every table of the public page from f in lang. t
// translates message keys.
func tables(t func(string, ...any) string, lang string, f stats.Figures) []Table {
	name := func(vi, en string) string {
		if lang == "en" && en != "" {
			return en
		}
		return vi
	}
	placeCol := t("stats.col.province")
	if f.Filter.Province != "" {
		placeCol = t("stats.col.commune")
	}
	var out []Table
	add := func(id string, cols, keys []string, rows [][]any, money []bool, chart func(id, title, desc string, bars []Bar) template.HTML) {
		tb := Table{ID: id, Lang: lang, Title: t("stats." + id + ".title"), Desc: t("stats." + id + ".desc"), Cols: cols, Keys: keys, Raw: rows}
		var bars []Bar
		for _, r := range rows {
			cells := make([]string, len(r))
			for i, v := range r {
				switch x := v.(type) {
				case int64:
					cells[i] = num(lang, x)
					if i < len(money) && money[i] {
						cells[i] += " ₫"
					}
				case string:
					cells[i] = x
				}
			}
			tb.Rows = append(tb.Rows, cells)
			// The chart draws the first figure of each row.
			if n, ok := r[1].(int64); ok {
				bars = append(bars, Bar{Label: cells[0], Value: n, Text: cells[1]})
			}
		}
		tb.Chart = chart(id, tb.Title, tb.Desc, bars)
		out = append(out, tb)
	}
	products := t("stats.col.products")

	var rows [][]any
	for _, s := range f.ByStars {
		n, _ := strconv.Atoi(s.Key)
		rows = append(rows, []any{strings.Repeat("★", n), s.N})
	}
	add("stars", []string{t("stats.col.stars"), products}, []string{"stars", "products"}, rows, nil, hbars)

	rows = nil
	for _, g := range f.ByGroup {
		rows = append(rows, []any{g.Code + " " + name(g.Name, g.NameEn), g.N})
	}
	add("groups", []string{t("stats.col.group"), products}, []string{"group", "products"}, rows, nil, hbars)

	rows = nil
	for _, p := range f.ByPlace {
		rows = append(rows, []any{placeName(t, p.Code, name(p.Name, p.NameEn)), p.N})
	}
	add("places", []string{placeCol, products}, []string{"place", "products"}, rows, nil, hbars)

	rows = nil
	for _, y := range f.ByYear {
		rows = append(rows, []any{y.Key, y.N})
	}
	add("years", []string{t("stats.col.year"), products}, []string{"year", "products"}, rows, nil, columns)

	rows = nil
	for _, y := range f.Trend {
		rows = append(rows, []any{y.Key, y.N})
	}
	add("trend", []string{t("stats.col.year"), t("stats.col.valid_end")}, []string{"year", "valid_products"}, rows, nil, columns)

	rows = nil
	for _, k := range f.Owners {
		rows = append(rows, []any{t("producer.kind." + string(k.Kind)), k.N})
	}
	add("owners", []string{t("stats.col.kind"), t("stats.col.owners")}, []string{"kind", "producers"}, rows, nil, hbars)

	rows = nil
	for _, m := range f.Expiring {
		rows = append(rows, []any{month(m.Key), m.N})
	}
	add("expiring", []string{t("stats.col.month"), t("stats.col.certificates")}, []string{"month", "certificates"}, rows, nil, columns)

	rows = nil
	for _, l := range f.Listed {
		rows = append(rows, []any{placeName(t, l.Code, name(l.Name, l.NameEn)), l.Products, l.Producers})
	}
	add("listed", []string{placeCol, t("stats.col.listed"), t("stats.col.sellers")}, []string{"place", "products", "producers"}, rows, nil, hbars)

	rows = nil
	for _, m := range f.SalesByMonth {
		rows = append(rows, []any{month(m.Key), m.Orders, m.Sales})
	}
	add("sales-months", []string{t("stats.col.month"), t("stats.col.orders"), t("stats.col.sales")}, []string{"month", "orders", "sales_vnd"},
		rows, []bool{false, false, true}, columns)

	rows = nil
	for _, p := range f.SalesByPlace {
		rows = append(rows, []any{placeName(t, p.Code, name(p.Name, p.NameEn)), p.Orders, p.Sales})
	}
	add("sales-places", []string{placeCol, t("stats.col.orders"), t("stats.col.sales")}, []string{"place", "orders", "sales_vnd"},
		rows, []bool{false, false, true}, hbars)
	return out
}

// placeName is a place's name, or what to call a row with no place.
func placeName(t func(string, ...any) string, code, name string) string {
	if code == "" {
		return t("stats.place_unknown")
	}
	if name == "" {
		return code
	}
	return name
}

// tableByID finds one table.
func tableByID(ts []Table, id string) (Table, bool) {
	for _, tb := range ts {
		if tb.ID == id {
			return tb, true
		}
	}
	return Table{}, false
}
