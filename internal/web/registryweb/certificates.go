package registryweb

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/cursor"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// The officers' certificate list (/registry/certificates), its CSV export
// (/registry/certificates/export.csv, with the session cookie) and the API
// export (/api/v1/certificates/export, with a token) read the same filters
// through certQueryFrom and the same scope through the registry service.

// certCursorPurpose names the officers' certificate list in its cursors.
const certCursorPurpose = "registry-certificates"

// certCursorJSON is the position a cursor holds: the last row's decision date and id.
type certCursorJSON struct {
	D day.Date `json:"d"`
	I int64    `json:"i"`
}

// certFilterParams are the query parameters of the certificate list, in form order.
var certFilterParams = []string{"q", "province", "commune", "group", "stars", "status", "on", "year", "level", "authority"}

// certQueryFrom reads the list's filters, page size and cursor from the
// query string. It only reads types; the service judges ranges and scope.
func certQueryFrom(c echo.Context, cc *cursor.Codec) (registry.CertQuery, error) {
	v := c.QueryParams()
	q := registry.CertQuery{Query: v.Get("q"), Province: v.Get("province"), Commune: v.Get("commune"), Group: v.Get("group"),
		Status: registry.CertStatus(v.Get("status")), Level: registry.AuthorityLevel(v.Get("level")), Authority: v.Get("authority")}
	var fe []errs.FieldError
	num := func(name string, dst *int) {
		if s := v.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || len(s) > 6 {
				fe = append(fe, errs.FieldError{Field: name, Message: "validation.type"})
				return
			}
			*dst = n
		}
	}
	num("stars", &q.Stars)
	num("year", &q.Year)
	num("limit", &q.Limit)
	if s := v.Get("on"); s != "" {
		d, err := day.Parse(s)
		if err != nil || len(s) != len(day.Layout) {
			fe = append(fe, errs.FieldError{Field: "on", Message: "validation.type"})
		}
		q.On = d
	}
	if s := v.Get("cursor"); s != "" {
		var p certCursorJSON
		if err := cc.Open(certCursorPurpose, s, &p); err != nil || p.I <= 0 || p.D.IsZero() {
			fe = append(fe, errs.FieldError{Field: "cursor", Message: "registry.err.cursor"})
		} else {
			q.After = &registry.CertCursor{DecisionDate: p.D, ID: p.I}
		}
	}
	if fe != nil {
		return q, &errs.ValidationError{Fields: fe}
	}
	return q, nil
}

type certsView struct {
	Items       []certificateJSON
	Expiring    []certificateJSON
	Total       int64
	Shown       int
	F           map[string]string // the filters as typed, to refill the form
	NextURL     string
	FirstURL    string // set when this is not the first page
	ExportURL   string
	Central     bool
	Provinces   []registry.Option
	Communes    []registry.Option
	Groups      []registry.GroupOption
	Authorities []string
	Statuses    []registry.CertStatus
	Levels      []registry.AuthorityLevel
	Years       []int
	StarChoices []int
	Today       string
}

// CertificatesPage is the officer's certificate list: filters, pages of
// 50 (newest decision first, keyset cursors) and the export of the whole
// filtered list.
func (h *Handlers) CertificatesPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	q, err := certQueryFrom(c, h.CertCursors)
	if err != nil {
		return explainFilters(err)
	}
	page, err := h.Registry.OfficerCertificates(ctx, u, q)
	if err != nil {
		return explainFilters(err)
	}
	v := certsView{Items: h.certsJSON(page.Items), Total: page.Total, Shown: len(page.Items), F: map[string]string{},
		Central: u.IsCentralOfficer(), Statuses: []registry.CertStatus{registry.CertActive, registry.CertExpired, registry.CertRevoked, registry.CertSuperseded, registry.CertPending},
		Levels: []registry.AuthorityLevel{registry.AuthorityProvince, registry.AuthorityCentral, registry.AuthorityDistrict}, Today: h.Registry.Today().String(), StarChoices: []int{3, 4, 5}}
	filters := url.Values{}
	for _, k := range certFilterParams {
		if val := c.QueryParam(k); val != "" {
			v.F[k] = val
			filters.Set(k, val)
		}
	}
	if l := c.QueryParam("limit"); l != "" {
		filters.Set("limit", l)
	}
	if page.Next != nil {
		next, err := h.CertCursors.Seal(certCursorPurpose, certCursorJSON{D: page.Next.DecisionDate, I: page.Next.ID})
		if err != nil {
			return err
		}
		nv := cloneValues(filters)
		nv.Set("cursor", next)
		v.NextURL = "/registry/certificates?" + nv.Encode()
	}
	if q.After != nil {
		v.FirstURL = "/registry/certificates?" + filters.Encode()
	}
	filters.Del("limit")
	v.ExportURL = "/registry/certificates/export.csv?" + filters.Encode()
	if err := h.certFilterOptions(c, &v, q.Province); err != nil {
		return err
	}
	if q.After == nil {
		if v.Expiring, err = h.expiringJSON(c); err != nil {
			return err
		}
	}
	return h.Render(c, http.StatusOK, "registry_certificates", v)
}

// certFilterOptions fills the choices of the filter form: provinces (central
// officers), the communes of the province in view, product groups, the
// authorities found in scope and the years since the programme began.
func (h *Handlers) certFilterOptions(c echo.Context, v *certsView, province string) error {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	if !u.IsCentralOfficer() {
		province = officerProvinceOf(u)
	} else {
		ps, err := h.Regions.Provinces(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			v.Provinces = append(v.Provinces, registry.Option{Code: p.Code, Name: p.FullName})
		}
	}
	var err error
	if v.Communes, err = h.Registry.Communes(ctx, province); err != nil {
		return err
	}
	if v.Groups, err = h.Registry.Groups(ctx); err != nil {
		return err
	}
	if v.Authorities, err = h.Registry.CertAuthorities(ctx, u); err != nil {
		return err
	}
	for y := h.Registry.Today().Time().Year(); y >= 2018; y-- { // OCOP began in 2018 (Decision 490/QĐ-TTg)
		v.Years = append(v.Years, y)
	}
	return nil
}

func (h *Handlers) expiringJSON(c echo.Context) ([]certificateJSON, error) {
	exp, err := h.Registry.Expiring(c.Request().Context(), kit.UserOf(c), registry.ExpiringSoonDays)
	if err != nil {
		return nil, err
	}
	return h.certsJSON(exp), nil
}

// CertificatesCSV is the page's export: the whole filtered list as
// CSV, with the officer's session (the API export takes a token instead).
func (h *Handlers) CertificatesCSV(c echo.Context) error {
	q, err := certQueryFrom(c, h.CertCursors)
	if err != nil {
		return explainFilters(err)
	}
	recs, err := h.Registry.ExportCertificates(c.Request().Context(), kit.UserOf(c), q)
	if err != nil {
		return explainFilters(err)
	}
	for i := range recs {
		recs[i].VerifyURL = h.verifyURL(recs[i].Code)
	}
	return h.sendCSV(c, q, recs)
}

// sendCSV answers with recs as a CSV attachment named after the scope and day.
func (h *Handlers) sendCSV(c echo.Context, q registry.CertQuery, recs []registry.NationalRecord) error {
	var buf bytes.Buffer
	if err := registry.WriteCSV(&buf, recs); err != nil {
		return err
	}
	scope := "all"
	if u := kit.UserOf(c); u != nil && !u.IsCentralOfficer() {
		scope = officerProvinceOf(u)
	} else if q.Province != "" {
		scope = q.Province
	}
	name := "ocop-" + url.PathEscape(scope) + "-" + h.Registry.Today().String() + ".csv"
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return kit.Blob(c, http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// explainFilters gives a page's 400 for bad filters the message of the
// first field at fault, since the error page shows one message.
func explainFilters(err error) error {
	if ve, ok := errs.AsValidation(err); ok && errs.Reason(err) == "" && len(ve.Fields) > 0 {
		return &errs.Reasoned{Err: err, Reason: ve.Fields[0].Message}
	}
	return err
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// officerProvinceOf is the province a provincial officer acts for, or "" for a central officer.
func officerProvinceOf(u *account.User) string {
	if u != nil && u.OfficerProvinceCode != nil && !u.IsCentralOfficer() {
		return *u.OfficerProvinceCode
	}
	return ""
}
