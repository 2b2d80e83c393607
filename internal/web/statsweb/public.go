package statsweb

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/stats"
	"github.com/chocop/ocop/internal/web/kit"
)

// The public page's two addresses, one per language.
const (
	PathVI = "/thong-ke"
	PathEN = "/stats"
)

// publicView is the data of the statistics page.
type publicView struct {
	Path, Other  string // this page, and the same page in the other language
	Query        string // the filter as a query string ("" or "?province=20"), for the CSV links
	AltVI, AltEN string // this page's absolute address in each language (hreflang, canonical)
	Province     string // as asked, kept on a refusal
	Commune      string
	Provinces    []region.Province
	Communes     []region.Commune
	ErrorField   string
	ErrorMessage string
	Figures      *stats.Figures
	Tables       []Table
}

// PublicVI serves /thong-ke, in Vietnamese.
func (h *Handlers) PublicVI(c echo.Context) error { return h.public(c, "vi") }

// PublicEN serves /stats, in English.
func (h *Handlers) PublicEN(c echo.Context) error { return h.public(c, "en") }

func pathOf(lang string) (here, other string) {
	if lang == "en" {
		return PathEN, PathVI
	}
	return PathVI, PathEN
}

func (h *Handlers) public(c echo.Context, lang string) error {
	kit.SetLang(c, lang)
	ctx := c.Request().Context()
	f, err := h.Stats.ParseFilter(ctx, c.QueryParams())
	if err != nil {
		ve, ok := errs.AsValidation(err)
		if !ok {
			return err
		}
		// The form stays, with what was asked and the reason beside the field.
		v := publicView{Province: c.QueryParam(stats.ParamProvince), Commune: c.QueryParam(stats.ParamCommune),
			ErrorField: ve.Fields[0].Field, ErrorMessage: ve.Fields[0].Message}
		v.Path, v.Other = pathOf(lang)
		if v.Provinces, err = h.Stats.Provinces(ctx); err != nil {
			return err
		}
		return h.Render(c, http.StatusBadRequest, "stats", v)
	}
	v, err := cached(h, ctx, "page/"+lang+"/"+f.Province+"/"+f.Commune, func(ctx context.Context) (publicView, error) {
		return h.view(ctx, lang, f)
	})
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "stats", v)
}

// view is everything the page shows for f in lang: the same for every
// visitor, so it is cached whole (the layout adds who is signed in).
func (h *Handlers) view(ctx context.Context, lang string, f stats.Filter) (publicView, error) {
	v := publicView{Province: f.Province, Commune: f.Commune, Query: query(f)}
	v.Path, v.Other = pathOf(lang)
	v.AltVI, v.AltEN = h.BaseURL+PathVI+v.Query, h.BaseURL+PathEN+v.Query
	var err error
	if v.Provinces, err = h.Stats.Provinces(ctx); err != nil {
		return v, err
	}
	if v.Communes, err = h.Stats.Communes(ctx, f.Province); err != nil {
		return v, err
	}
	figs, err := h.figuresFor(ctx, f)
	if err != nil {
		return v, err
	}
	v.Figures = &figs
	v.Tables = tables(h.translator(lang), lang, figs)
	for i := range v.Tables {
		v.Tables[i].CSV = v.Path + "/" + v.Tables[i].ID + ".csv" + v.Query
	}
	return v, nil
}

// cached is fn's answer under key, from the cache when there is one.
func cached[T any](h *Handlers, ctx context.Context, key string, fn func(context.Context) (T, error)) (T, error) {
	if h.Cache == nil {
		return fn(ctx)
	}
	return kit.Cached(h.Cache, ctx, key, fn)
}

func (h *Handlers) translator(lang string) func(string, ...any) string {
	return func(key string, data ...any) string { return h.Msgs.T(lang, key, data...) }
}

// query is f as a query string, "" when it asks for the whole country.
func query(f stats.Filter) string {
	switch {
	case f.Commune != "":
		return "?province=" + f.Province + "&commune=" + f.Commune
	case f.Province != "":
		return "?province=" + f.Province
	}
	return ""
}

// CSVVI and CSVEN serve a table of the page as CSV (/thong-ke/stars.csv),
// with the page's headers in its language.
func (h *Handlers) CSVVI(c echo.Context) error { return h.pageCSV(c, "vi") }

// CSVEN is CSVVI in English.
func (h *Handlers) CSVEN(c echo.Context) error { return h.pageCSV(c, "en") }

func (h *Handlers) pageCSV(c echo.Context, lang string) error {
	kit.SetLang(c, lang)
	id, ok := strings.CutSuffix(c.Param("table"), ".csv")
	if !ok {
		return errs.ErrNotFound
	}
	f, figs, err := h.figures(c)
	if err != nil {
		return err
	}
	tb, ok := tableByID(tables(h.translator(lang), lang, figs), id)
	if !ok {
		return errs.ErrNotFound
	}
	return h.sendCSV(c, tb.Cols, tb.Raw, id, f)
}

// figures parses the filter and gathers the figures.
func (h *Handlers) figures(c echo.Context) (stats.Filter, stats.Figures, error) {
	ctx := c.Request().Context()
	f, err := h.Stats.ParseFilter(ctx, c.QueryParams())
	if err != nil {
		return f, stats.Figures{}, err
	}
	figs, err := h.figuresFor(ctx, f)
	return f, figs, err
}

// figuresFor is the figures for f, from the cache when there is one.
func (h *Handlers) figuresFor(ctx context.Context, f stats.Filter) (stats.Figures, error) {
	return cached(h, ctx, "figures/"+f.Province+"/"+f.Commune, func(ctx context.Context) (stats.Figures, error) {
		return h.Stats.Public(ctx, f)
	})
}

// sendCSV writes a table as CSV: UTF-8 with a byte-order mark, so that
// Excel, which officers open it in, reads the Vietnamese right.
func (h *Handlers) sendCSV(c echo.Context, header []string, rows [][]any, id string, f stats.Filter) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, v := range r {
			switch x := v.(type) {
			case int64:
				rec[i] = strconv.FormatInt(x, 10)
			case string:
				rec[i] = x
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	name := "ocop-" + id
	if f.Province != "" {
		name += "-" + f.Province
	}
	if f.Commune != "" {
		name += "-" + f.Commune
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	return serveCacheable(c, "text/csv; charset=utf-8", buf.Bytes())
}

// APIStats serves every figure as JSON (GET /api/v1/stats).
func (h *Handlers) APIStats(c echo.Context) error {
	_, figs, err := h.figures(c)
	if err != nil {
		return err
	}
	body, err := json.Marshal(figs)
	if err != nil {
		return err
	}
	return serveCacheable(c, echo.MIMEApplicationJSON, body)
}

// apiTable is one table as JSON: stable column keys and rows of strings and integers.
type apiTable struct {
	Table   string       `json:"table"`
	Filter  stats.Filter `json:"filter"`
	Day     string       `json:"day"`
	Columns []string     `json:"columns"`
	Rows    [][]any      `json:"rows"`
}

// APITable serves one table of the page (GET /api/v1/stats/{table}) as
// JSON, or as CSV with a .csv suffix, with stable English column keys.
func (h *Handlers) APITable(c echo.Context) error {
	name := c.Param("table")
	id, asCSV := strings.CutSuffix(name, ".csv")
	f, figs, err := h.figures(c)
	if err != nil {
		return err
	}
	tb, ok := tableByID(tables(h.translator("en"), "en", figs), id)
	if !ok {
		return errs.ErrNotFound
	}
	if asCSV {
		return h.sendCSV(c, tb.Keys, tb.Raw, id, f)
	}
	rows := tb.Raw
	if rows == nil {
		rows = [][]any{}
	}
	body, err := json.Marshal(apiTable{Table: id, Filter: f, Day: figs.Day.String(), Columns: tb.Keys, Rows: rows})
	if err != nil {
		return err
	}
	return serveCacheable(c, echo.MIMEApplicationJSON, body)
}
