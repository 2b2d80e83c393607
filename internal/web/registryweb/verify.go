package registryweb

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/qr"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// APIVerify answers whether a certificate code is valid today. Public.
func (h *Handlers) APIVerify(c echo.Context) error {
	v, err := h.Registry.Verify(c.Request().Context(), c.Param("code"))
	if err != nil {
		return reasonedNotFound(err)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60") // a revocation shows within a minute
	return c.JSON(http.StatusOK, h.verifyView(v))
}

// reasonedNotFound gives an unknown code the message "not in the registry",
// with no hint about codes that look alike.
func reasonedNotFound(err error) error {
	if errs.Reason(err) == "" && kit.StatusOf(err) == http.StatusNotFound {
		return &errs.Reasoned{Err: errs.ErrNotFound, Reason: "verify.not_found"}
	}
	return err
}

// APISearchCertificates searches the public registry, a page at a time (cursor = last id).
func (h *Handlers) APISearchCertificates(c echo.Context) error {
	f := registry.Filter{Province: c.QueryParam("province"), Status: registry.CertStatus(c.QueryParam("status")), Query: c.QueryParam("q")}
	var fe []errs.FieldError
	if v := c.QueryParam("stars"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 || n > 5 {
			fe = append(fe, errs.FieldError{Field: "stars", Message: "registry.err.range"})
		}
		f.Stars = n
	}
	switch f.Status {
	case "", registry.CertActive, registry.CertExpired, registry.CertRevoked, registry.CertSuperseded:
	default:
		fe = append(fe, errs.FieldError{Field: "status", Message: "validation.oneof"})
	}
	if v := c.QueryParam("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			fe = append(fe, errs.FieldError{Field: "cursor", Message: "validation.type"})
		}
		f.After = n
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fe = append(fe, errs.FieldError{Field: "limit", Message: "registry.err.range"})
		}
		f.Limit = n
	}
	if len(f.Query) > 100 || len(f.Province) > 4 {
		fe = append(fe, errs.FieldError{Field: "q", Message: "validation.max"})
	}
	if fe != nil {
		return &errs.ValidationError{Fields: fe}
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	cs, err := h.Registry.Search(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := map[string]any{"items": h.certsJSON(cs)}
	if len(cs) == f.Limit {
		out["next_cursor"] = strconv.FormatInt(cs[len(cs)-1].ID, 10)
	}
	return c.JSON(http.StatusOK, out)
}

// APIExportCertificates exports the certificates an officer's list holds
// for the filters given (registry.ExportCertificates: the same scope and
// filters as the page) in the national registry's shape with the officer's
// columns, as JSON or (format=csv or Accept: text/csv) CSV.
func (h *Handlers) APIExportCertificates(c echo.Context) error {
	q, err := certQueryFrom(c, h.CertCursors)
	if err != nil {
		return err
	}
	q.ConfirmedOnly = true // the national registry's shape: no import awaiting a second officer
	recs, err := h.Registry.ExportCertificates(c.Request().Context(), kit.UserOf(c), q)
	if err != nil {
		return err
	}
	for i := range recs {
		recs[i].VerifyURL = h.verifyURL(recs[i].Code)
	}
	if c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get("Accept"), "text/csv") {
		return h.sendCSV(c, q, recs)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": recs})
}

// CertQRPNG is the QR code of a certificate's verify URL as a PNG. Public.
func (h *Handlers) CertQRPNG(c echo.Context) error {
	cert, err := h.Registry.CertificateByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		return reasonedNotFound(err)
	}
	size := 512
	if v := c.QueryParam("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 128 || n > 2048 {
			return errs.Invalid("size", "registry.err.range")
		}
		size = n
	}
	png, err := qr.PNG(h.verifyURL(cert.Code), size)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return kit.Blob(c, http.StatusOK, "image/png", png)
}

// CertQRSVG is the QR code of a certificate's verify URL as SVG, for print. Public.
func (h *Handlers) CertQRSVG(c echo.Context) error {
	cert, err := h.Registry.CertificateByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		return reasonedNotFound(err)
	}
	svg, err := qr.SVG(h.verifyURL(cert.Code))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return kit.Blob(c, http.StatusOK, "image/svg+xml", []byte(svg))
}

type verifyPageView struct {
	V          verifyJSON
	Since      string // the day it stopped being valid, written for the reader
	NewerStar  int
	Code       string
	QRPath     string
	StatusKey  string
	Red        bool
	Revocation *revocationJSON
	Latest     *latestView
	Watermark  string // message key of the watermark across a certificate that is not valid, else ""
	Head       registry.Letterhead
	National   [2]string // Quốc hiệu and Tiêu ngữ
	PlaceDate  string
}

// latestView is the newest certificate of a chain, as the verify page shows it.
type latestView struct {
	Code, Number, StatusKey, Since string
	Stars                          int
	Red                            bool
}

// VerifyForm is the "check a certificate" page; a code typed there goes to its verify page.
func (h *Handlers) VerifyForm(c echo.Context) error {
	if code := strings.TrimSpace(c.QueryParam("code")); code != "" {
		// Accept a pasted verify URL as well as a bare code.
		if i := strings.LastIndex(code, "/verify/"); i >= 0 {
			code = code[i+len("/verify/"):]
		}
		if n, ok := registry.NormalizeCode(code); ok {
			return c.Redirect(http.StatusSeeOther, "/verify/"+n)
		}
		return h.Render(c, http.StatusNotFound, "verify_missing", nil)
	}
	return h.Render(c, http.StatusOK, "verify_form", nil)
}

// VerifyPage is what a phone shows after scanning the QR on a package.
func (h *Handlers) VerifyPage(c echo.Context) error {
	v, ok, err := h.verifyLookup(c)
	if !ok {
		return err
	}
	return h.Render(c, http.StatusOK, "verify", v)
}

func (h *Handlers) verifyLookup(c echo.Context) (verifyPageView, bool, error) {
	v, err := h.Registry.Verify(c.Request().Context(), c.Param("code"))
	if err != nil {
		if kit.StatusOf(err) == http.StatusNotFound {
			return verifyPageView{}, false, h.Render(c, http.StatusNotFound, "verify_missing", nil)
		}
		return verifyPageView{}, false, err
	}
	lang := kit.LangOf(c)
	j := h.verifyView(v)
	out := verifyPageView{V: j, Code: j.Code, QRPath: "/api/v1/certificates/" + j.Code + "/qr.svg",
		StatusKey: "verify.status." + j.Status, Red: !j.Valid, NewerStar: v.NewerStars, Revocation: j.Revocation,
		Watermark: watermarkKey(v.Status), Head: registry.LetterheadOf(v.Certificate),
		National: [2]string{registry.NationalName, registry.NationalMotto}, Since: v.StatusSince.Local(lang)}
	out.PlaceDate = h.placeDate(lang, out.Head.Place, v.Certificate.DecisionDate)
	if l := v.Latest; l != nil {
		out.Latest = &latestView{Code: l.Code, Number: l.Number, Stars: l.Stars, StatusKey: "verify.status." + string(v.LatestStatus),
			Since: v.LatestSince.Local(lang), Red: v.LatestStatus != registry.CertActive}
	}
	return out, true, nil
}

// watermarkKey names the word printed across a certificate that is not valid today.
func watermarkKey(st registry.CertStatus) string {
	if st == registry.CertActive {
		return ""
	}
	return "cert.watermark." + string(st)
}

// placeDate is the place-and-date line of an official document, in the
// reader's language: "Lạng Sơn, ngày 31 tháng 12 năm 2025".
func (h *Handlers) placeDate(lang, place string, d day.Date) string {
	y, m, dd := d.Time().Date()
	// Decree 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading 0 ("ngày 05 tháng 02", "tháng 3").
	dayS, month := fmt.Sprintf("%02d", dd), fmt.Sprint(int(m))
	if m < 3 {
		month = fmt.Sprintf("%02d", int(m))
	}
	if lang == "en" {
		dayS, month = fmt.Sprint(dd), d.Time().Format("Jan")
	}
	return h.Msgs.T(lang, "cert.place_date", "Place", place, "Day", dayS, "Month", month, "Year", y)
}

// CertificatePrint is the printable A4 certificate with its QR code.
func (h *Handlers) CertificatePrint(c echo.Context) error {
	v, ok, err := h.verifyLookup(c)
	if !ok {
		return err
	}
	return h.Render(c, http.StatusOK, "verify_print", v)
}

// CertificatePDF is the certificate as an A4 PDF in the visitor's language.
func (h *Handlers) CertificatePDF(c echo.Context) error {
	v, err := h.Registry.Verify(c.Request().Context(), c.Param("code"))
	if err != nil {
		if kit.StatusOf(err) == http.StatusNotFound {
			return h.Render(c, http.StatusNotFound, "verify_missing", nil)
		}
		return err
	}
	page, err := h.certificatePage(kit.LangOf(c), v)
	if err != nil {
		return err
	}
	pdf, err := registry.CertificatesPDF(v.Certificate.ProductName+" – OCOP "+v.Certificate.Number, []registry.CertificatePage{page})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="ocop-`+v.Certificate.Code+`.pdf"`)
	return kit.Blob(c, http.StatusOK, "application/pdf", pdf)
}

// certificatePage is what the PDF prints of v in lang: one page of
// CertificatesPDF (the certificate's own PDF, or a decision's annex).
func (h *Handlers) certificatePage(lang string, v registry.Verification) (registry.CertificatePage, error) {
	url := h.verifyURL(v.Certificate.Code)
	png, err := qr.PNG(url, 512)
	if err != nil {
		return registry.CertificatePage{}, err
	}
	t := func(k string) string { return h.Msgs.T(lang, k) }
	status := t("verify.status." + string(v.Status))
	if !v.StatusSince.IsZero() {
		status += " — " + t("verify.since") + " " + v.StatusSince.Local(lang)
	}
	text := registry.PDFText{
		Title: t("cert.title"), Owner: t("cert.owner"), Address: t("cert.address"), Stars: t("cert.stars"), Score: t("cert.score"),
		Authority: t("cert.authority"), Decision: t("cert.decision"), ValidFrom: t("cert.valid_from"), ValidUntil: t("cert.valid_until"),
		Number: t("cert.number"), Status: t("cert.status"), Scan: t("cert.scan"), Revocation: t("cert.revocation"),
		NumberLine: h.Msgs.T(lang, "cert.number_line", "Number", v.Certificate.Number),
		PlaceDate:  h.placeDate(lang, registry.LetterheadOf(v.Certificate).Place, v.Certificate.DecisionDate),
		StatusText: status, Date: func(d day.Date) string { return d.Local(lang) },
		Level: func(l registry.AuthorityLevel) string { return t("registry.level." + string(l)) }}
	if k := watermarkKey(v.Status); k != "" {
		text.Watermark = t(k)
	}
	if v.Latest != nil {
		text.Latest, text.LatestStatus = t("verify.latest"), t("verify.status."+string(v.LatestStatus))
		if !v.LatestSince.IsZero() {
			text.LatestStatus += " — " + t("verify.since") + " " + v.LatestSince.Local(lang)
		}
	}
	return registry.CertificatePage{V: v, QR: png, URL: url, Words: text}, nil
}
