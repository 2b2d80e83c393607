package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/qr"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// apiVerify answers whether a certificate code is valid today. Public.
func (s *Server) apiVerify(c echo.Context) error {
	v, err := s.reg.Verify(c.Request().Context(), c.Param("code"))
	if err != nil {
		return reasonedNotFound(err)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60") // a revocation shows within a minute
	return c.JSON(http.StatusOK, s.verifyView(v))
}

// reasonedNotFound gives an unknown code the message "not in the registry",
// with no hint about codes that look alike.
func reasonedNotFound(err error) error {
	if errs.Reason(err) == "" && kit.StatusOf(err) == http.StatusNotFound {
		return &errs.Reasoned{Err: errs.ErrNotFound, Reason: "verify.not_found"}
	}
	return err
}

// apiSearchCertificates searches the public registry, a page at a time (cursor = last id).
func (s *Server) apiSearchCertificates(c echo.Context) error {
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
	cs, err := s.reg.Search(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := map[string]any{"items": s.certsJSON(cs)}
	if len(cs) == f.Limit {
		out["next_cursor"] = strconv.FormatInt(cs[len(cs)-1].ID, 10)
	}
	return c.JSON(http.StatusOK, out)
}

// apiExportCertificates exports a province's certificates in the national
// registry's shape, as JSON or (format=csv or Accept: text/csv) CSV.
func (s *Server) apiExportCertificates(c echo.Context) error {
	province := c.QueryParam("province")
	if province == "" || len(province) > 4 {
		return errs.Invalid("province", "validation.required")
	}
	recs, err := s.reg.Export(c.Request().Context(), kit.UserOf(c), province)
	if err != nil {
		return err
	}
	if c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get("Accept"), "text/csv") {
		var buf bytes.Buffer
		if err := registry.WriteCSV(&buf, recs); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", `attachment; filename="ocop-`+province+`.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
	return c.JSON(http.StatusOK, map[string]any{"items": recs})
}

// certQRPNG is the QR code of a certificate's verify URL as a PNG. Public.
func (s *Server) certQRPNG(c echo.Context) error {
	cert, err := s.reg.CertificateByCode(c.Request().Context(), c.Param("code"))
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
	png, err := qr.PNG(s.verifyURL(cert.Code), size)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/png", png)
}

// certQRSVG is the QR code of a certificate's verify URL as SVG, for print. Public.
func (s *Server) certQRSVG(c echo.Context) error {
	cert, err := s.reg.CertificateByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		return reasonedNotFound(err)
	}
	svg, err := qr.SVG(s.verifyURL(cert.Code))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", []byte(svg))
}

type verifyPageView struct {
	V         verifyJSON
	Since     string // the day it stopped being valid, written for people
	NewerStar int
	Code      string
	QRPath    string
	StatusKey string
	Red       bool
}

// verifyForm is the "check a certificate" page; a code typed there goes to its verify page.
func (s *Server) verifyForm(c echo.Context) error {
	if code := strings.TrimSpace(c.QueryParam("code")); code != "" {
		// Accept a pasted verify URL as well as a bare code.
		if i := strings.LastIndex(code, "/verify/"); i >= 0 {
			code = code[i+len("/verify/"):]
		}
		if n, ok := registry.NormalizeCode(code); ok {
			return c.Redirect(http.StatusSeeOther, "/verify/"+n)
		}
		return s.Render(c, http.StatusNotFound, "verify_missing", nil)
	}
	return s.Render(c, http.StatusOK, "verify_form", nil)
}

// verifyPage is what a phone shows after scanning the QR on a package.
func (s *Server) verifyPage(c echo.Context) error {
	v, ok, err := s.verifyLookup(c)
	if !ok {
		return err
	}
	return s.Render(c, http.StatusOK, "verify", v)
}

func (s *Server) verifyLookup(c echo.Context) (verifyPageView, bool, error) {
	v, err := s.reg.Verify(c.Request().Context(), c.Param("code"))
	if err != nil {
		if kit.StatusOf(err) == http.StatusNotFound {
			return verifyPageView{}, false, s.Render(c, http.StatusNotFound, "verify_missing", nil)
		}
		return verifyPageView{}, false, err
	}
	j := s.verifyView(v)
	out := verifyPageView{V: j, Code: j.Code, QRPath: "/api/v1/certificates/" + j.Code + "/qr.svg",
		StatusKey: "verify.status." + j.Status, Red: !j.Valid, NewerStar: v.NewerStars}
	if !v.StatusSince.IsZero() {
		out.Since = v.StatusSince.VN()
	}
	return out, true, nil
}

// certificatePrint is the printable A4 certificate with its QR code.
func (s *Server) certificatePrint(c echo.Context) error {
	v, ok, err := s.verifyLookup(c)
	if !ok {
		return err
	}
	return s.Render(c, http.StatusOK, "verify_print", v)
}

// certificatePDF is the certificate as an A4 PDF in the visitor's language.
func (s *Server) certificatePDF(c echo.Context) error {
	v, err := s.reg.Verify(c.Request().Context(), c.Param("code"))
	if err != nil {
		if kit.StatusOf(err) == http.StatusNotFound {
			return s.Render(c, http.StatusNotFound, "verify_missing", nil)
		}
		return err
	}
	url := s.verifyURL(v.Certificate.Code)
	png, err := qr.PNG(url, 512)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	t := func(k string) string { return s.Msgs.T(lang, k) }
	pdf, err := registry.CertificatePDF(v, png, url, registry.PDFText{
		Title: t("cert.title"), Owner: t("cert.owner"), Address: t("cert.address"), Stars: t("cert.stars"), Score: t("cert.score"),
		Decision: t("cert.decision"), ValidFrom: t("cert.valid_from"), ValidUntil: t("cert.valid_until"), Number: t("cert.number"),
		Status: t("cert.status"), Scan: t("cert.scan")}, t("verify.status."+string(v.Status)))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="ocop-`+v.Certificate.Code+`.pdf"`)
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}
