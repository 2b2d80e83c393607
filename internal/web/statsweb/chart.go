package statsweb

import (
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Charts are drawn here, on the server, as inline SVG: no script, nothing
// the CSP must allow, a few hundred bytes each. The viewBox is as wide as a
// 390 px phone's content, so text is read at its size there and scales up
// on wider screens. Colours come from stats.css (classes), never from
// inline styles. Each chart names itself (title, desc) for assistive
// technology; the table beside it carries every number.

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value int64
	Text  string // the value as written beside the bar
}

const (
	chartW    = 360
	labelW    = 132
	rowH      = 22
	colChartH = 170
)

// hbars draws a horizontal bar chart: categories (stars, groups, places).
func hbars(id, title, desc string, bars []Bar) template.HTML {
	h := rowH*len(bars) + 8
	if len(bars) == 0 {
		h = rowH
	}
	var b strings.Builder
	open(&b, id, title, desc, h)
	top := maxOf(bars)
	barW := float64(chartW - labelW - 52)
	for i, br := range bars {
		y := 4 + i*rowH
		w := 0.0
		if top > 0 {
			w = barW * float64(br.Value) / float64(top)
		}
		if br.Value > 0 && w < 1 {
			w = 1
		}
		text(&b, "lbl", labelW-6, y+15, "end", shorten(br.Label, 22))
		b.WriteString(`<rect class="bar" x="` + itoa(labelW) + `" y="` + itoa(y+3) + `" width="` + ftoa(w) + `" height="` + itoa(rowH-6) + `"/>`)
		text(&b, "val", labelW+int(w)+4, y+15, "start", br.Text)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text in it went through escape
}

// columns draws a column chart: a series in time (years, months).
func columns(id, title, desc string, bars []Bar) template.HTML {
	var b strings.Builder
	open(&b, id, title, desc, colChartH)
	top := maxOf(bars)
	n := max(len(bars), 1)
	slot := float64(chartW-8) / float64(n)
	base := colChartH - 22
	for i, br := range bars {
		x := 4 + slot*float64(i)
		hgt := 0.0
		if top > 0 {
			hgt = float64(base-18) * float64(br.Value) / float64(top)
		}
		if br.Value > 0 && hgt < 1 {
			hgt = 1
		}
		cx := int(x + slot/2)
		b.WriteString(`<rect class="bar" x="` + ftoa(x+slot*0.15) + `" y="` + ftoa(float64(base)-hgt) + `" width="` + ftoa(slot*0.7) +
			`" height="` + ftoa(hgt) + `"/>`)
		text(&b, "val", cx, base-int(hgt)-4, "middle", br.Text)
		text(&b, "lbl", cx, colChartH-6, "middle", br.Label)
	}
	b.WriteString(`<line class="axis" x1="4" x2="` + itoa(chartW-4) + `" y1="` + itoa(base) + `" y2="` + itoa(base) + `"/></svg>`)
	return template.HTML(b.String()) // every text in it went through escape
}

func open(b *strings.Builder, id, title, desc string, h int) {
	b.WriteString(`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + itoa(chartW) + ` ` + itoa(h) +
		`" role="img" aria-labelledby="` + id + `-t ` + id + `-d" focusable="false">`)
	b.WriteString(`<title id="` + id + `-t">` + escape(title) + `</title><desc id="` + id + `-d">` + escape(desc) + `</desc>`)
}

func text(b *strings.Builder, class string, x, y int, anchor, s string) {
	b.WriteString(`<text class="` + class + `" x="` + itoa(x) + `" y="` + itoa(y) + `" text-anchor="` + anchor + `">` + escape(s) + `</text>`)
}

func maxOf(bars []Bar) int64 {
	var m int64
	for _, b := range bars {
		m = max(m, b.Value)
	}
	return m
}

// shorten cuts a long label for the chart; the table has it whole.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func escape(s string) string { return template.HTMLEscapeString(s) }
func itoa(i int) string      { return strconv.Itoa(i) }
func ftoa(f float64) string  { return strconv.FormatFloat(f, 'f', 1, 64) }
