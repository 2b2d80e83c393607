package registryweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// The decisions register (/registry/decisions) and each decision's annex,
// with one PDF of every certificate of a decision. Scope and filters are
// the registry service's (DecisionRegister, DecisionAnnex).

type decisionJSON struct {
	AuthorityKey  string   `json:"authority"`
	AuthorityName string   `json:"authority_name"`
	Level         string   `json:"level"`
	Number        string   `json:"number"`
	Date          day.Date `json:"date"`
	Products      int      `json:"products"`
	Stars         [3]int   `json:"stars"` // 3★, 4★, 5★
	Pending       int      `json:"pending"`
	AnnexURL      string   `json:"annex_url"`
	Query         string   `json:"-"` // the annex's query string, for pages
}

func decisionOf(d registry.DecisionSummary) decisionJSON {
	q := url.Values{"authority": {d.AuthorityKey}, "date": {d.Date.String()}, "number": {d.Number}}.Encode()
	return decisionJSON{AuthorityKey: d.AuthorityKey, AuthorityName: d.AuthorityName, Level: string(d.Level), Number: d.Number, Date: d.Date,
		Products: d.Products, Stars: [3]int{d.Stars3, d.Stars4, d.Stars5}, Pending: d.Pending, AnnexURL: "/api/v1/registry/decisions/annex?" + q, Query: q}
}

// decisionQueryFrom reads the register's filters; the service judges scope and ranges.
func decisionQueryFrom(c echo.Context) (registry.DecisionQuery, error) {
	v := c.QueryParams()
	q := registry.DecisionQuery{Province: v.Get("province"), Level: registry.AuthorityLevel(v.Get("level")), Number: v.Get("q")}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"year", &q.Year}, {"page", &q.Page}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || len(s) > 6 || n < 0 {
				return q, errs.Invalid(p.name, "validation.type")
			}
			*p.dst = n
		}
	}
	switch q.Level {
	case "", registry.AuthorityCentral, registry.AuthorityProvince, registry.AuthorityDistrict:
	default:
		return q, errs.Invalid("level", "validation.oneof")
	}
	return q, nil
}

func (h *Handlers) decisions(c echo.Context) ([]decisionJSON, int64, registry.DecisionQuery, error) {
	q, err := decisionQueryFrom(c)
	if err != nil {
		return nil, 0, q, err
	}
	ds, total, err := h.Registry.DecisionRegister(c.Request().Context(), kit.UserOf(c), q)
	if err != nil {
		return nil, 0, q, err
	}
	out := make([]decisionJSON, len(ds))
	for i, d := range ds {
		out[i] = decisionOf(d)
	}
	return out, total, q, nil
}

// APIDecisions lists the decisions within the caller's scope, newest first, a page of 50.
func (h *Handlers) APIDecisions(c echo.Context) error {
	items, total, q, err := h.decisions(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": total, "page": max(q.Page, 1), "page_size": registry.DecisionPageSize})
}

// annex reads the decision a request names and loads its annex.
func (h *Handlers) annex(c echo.Context) (registry.DecisionSummary, []registry.Certificate, error) {
	d, err := day.Parse(c.QueryParam("date"))
	if err != nil {
		return registry.DecisionSummary{}, nil, errs.Invalid("date", "validation.type")
	}
	if c.QueryParam("authority") == "" || c.QueryParam("number") == "" {
		return registry.DecisionSummary{}, nil, errs.Invalid("number", "validation.required")
	}
	return h.Registry.DecisionAnnex(c.Request().Context(), kit.UserOf(c), c.QueryParam("authority"), c.QueryParam("number"), d)
}

// APIDecisionAnnex is one decision and its certificates.
func (h *Handlers) APIDecisionAnnex(c echo.Context) error {
	d, certs, err := h.annex(c)
	if err != nil {
		return err
	}
	today := h.Registry.Today()
	items := make([]certificateJSON, len(certs))
	for i, cert := range certs {
		items[i] = h.certJSON(cert, today)
	}
	return c.JSON(http.StatusOK, map[string]any{"decision": decisionOf(d), "certificates": items})
}

type decisionsView struct {
	Items      []decisionJSON
	Total      int64
	Query      registry.DecisionQuery
	Prev, Next string
}

// DecisionsPage is the register page, filterable and paged.
func (h *Handlers) DecisionsPage(c echo.Context) error {
	items, total, q, err := h.decisions(c)
	if err != nil {
		return err
	}
	v := decisionsView{Items: items, Total: total, Query: q}
	page := max(q.Page, 1)
	link := func(p int) string {
		vals := c.QueryParams()
		vals.Set("page", strconv.Itoa(p))
		return "/registry/decisions?" + vals.Encode()
	}
	if page > 1 {
		v.Prev = link(page - 1)
	}
	if int64(page*registry.DecisionPageSize) < total {
		v.Next = link(page + 1)
	}
	return h.Render(c, http.StatusOK, "registry_decisions", v)
}

type annexView struct {
	Decision decisionJSON
	Items    []certificateJSON
}

// DecisionAnnexPage is a decision's annex: its products and certificates.
func (h *Handlers) DecisionAnnexPage(c echo.Context) error {
	d, certs, err := h.annex(c)
	if err != nil {
		return err
	}
	today := h.Registry.Today()
	v := annexView{Decision: decisionOf(d)}
	for _, cert := range certs {
		v.Items = append(v.Items, h.certJSON(cert, today))
	}
	return h.Render(c, http.StatusOK, "registry_decision_annex", v)
}

// DecisionPDF prints every certificate of a decision in one PDF, each page
// as the certificate's own PDF.
func (h *Handlers) DecisionPDF(c echo.Context) error {
	d, certs, err := h.annex(c)
	if err != nil {
		return err
	}
	ctx, lang := c.Request().Context(), kit.LangOf(c)
	pages := make([]registry.CertificatePage, 0, len(certs))
	for _, cert := range certs {
		v, err := h.Registry.Verify(ctx, cert.Code)
		if err != nil {
			return err
		}
		p, err := h.certificatePage(lang, v)
		if err != nil {
			return err
		}
		pages = append(pages, p)
	}
	pdf, err := registry.CertificatesPDF(fmt.Sprintf("%s – %s", d.Number, d.AuthorityName), pages)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="ocop-decision-`+d.Date.String()+`.pdf"`)
	return kit.Blob(c, http.StatusOK, "application/pdf", pdf)
}
