package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/chocop/ocop/internal/platform/qr/qrtest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

func utf16BE(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// TestCertificateDocuments: the QR images hold the verify URL, the PDF is a
// PDF with the product's name in Vietnamese, and the print page has both.
func TestCertificateDocuments(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var c registry.Certificate
		if err := app.DB.Where("product_name = ?", "Vịt quay Diệu Hương").First(&c).Error; err != nil {
			t.Fatal(err)
		}
		want := app.Config.BaseURL + "/verify/" + c.Code
		png := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/" + c.Code + "/qr.png?size=256"})
		if got, err := qrtest.DecodePNG(png.Body); err != nil || got != want {
			t.Fatalf("PNG QR = %q (%v), want %q", got, err, want)
		}
		svg := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/" + c.Code + "/qr.svg"})
		if svg.StatusCode != 200 || !bytes.Contains(svg.Body, []byte("<svg")) {
			t.Fatalf("SVG: %d %.100s", svg.StatusCode, svg.Body)
		}
		b := app.Browser()
		pdf := b.Get("/verify/" + c.Code + "/certificate.pdf")
		if pdf.StatusCode != 200 || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF: %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
		}
		if !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) || !bytes.Contains(pdf.Body[len(pdf.Body)-32:], []byte("%%EOF")) {
			t.Fatal("the download is not a complete PDF")
		}
		// The title holds the product name in UTF-16 with its diacritics; the
		// embedded font has a ToUnicode map so the page text extracts as Vietnamese.
		if !bytes.Contains(pdf.Body, utf16BE("Vịt quay Diệu Hương")) {
			t.Error("PDF does not contain the product name with its diacritics")
		}
		if !bytes.Contains(pdf.Body, []byte("/ToUnicode")) || !bytes.Contains(pdf.Body, []byte("/FontFile2")) {
			t.Error("PDF text is not in an embedded Unicode font")
		}
		page := b.Get("/verify/" + c.Code + "/print")
		if !strings.Contains(string(page.Body), "Vịt quay Diệu Hương") || !strings.Contains(string(page.Body), "/api/v1/certificates/"+c.Code+"/qr.svg") {
			t.Errorf("print page lacks the product or the QR code")
		}
		for _, path := range []string{"/api/v1/certificates/ZZZZZZZZZZ/qr.png", "/api/v1/certificates/" + c.Code + "/qr.png?size=99999"} {
			if res := app.API(webtest.Req{Method: "GET", Path: path}); res.StatusCode/100 != 4 {
				t.Errorf("%s: %d, want 4xx", path, res.StatusCode)
			}
		}
	})
}

// nearMiss returns code with its last character changed to another character
// of the code alphabet: a typo of a real code, never the code itself (adding
// "X" was the code itself whenever the random code ended in X).
func nearMiss(code string) string {
	last := byte('2')
	if code[len(code)-1] == last {
		last = '3'
	}
	return code[:len(code)-1] + string(last)
}

// TestVerifyStatuses: the seed's valid, expired, revoked and superseded
// certificates each say so, in red with the date when not valid.
func TestVerifyStatuses(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		code := func(where string, args ...any) string {
			var c registry.Certificate
			if err := app.DB.Where(where, args...).First(&c).Error; err != nil {
				t.Fatalf("seed: %s: %v", where, err)
			}
			return c.Code
		}
		cases := []struct {
			name, code, status, text string
		}{
			{"valid", code("product_name = ?", "Vịt quay Diệu Hương"), "active", "Còn hiệu lực"},
			{"revoked", code("revoked_on IS NOT NULL"), "revoked", "Đã bị thu hồi"},
			{"superseded", code("product_name = ? AND superseded_on IS NOT NULL", "Na Chi Lăng"), "superseded", "Đã được thay thế"},
			{"expired", code("product_name = ?", "Quýt vàng Bắc Sơn"), "expired", "Đã hết hạn"},
		}
		b := app.Browser()
		for _, tc := range cases {
			var v struct {
				Valid        bool    `json:"valid"`
				Status       string  `json:"status"`
				StatusSince  *string `json:"status_since"`
				SupersededBy string  `json:"superseded_by"`
			}
			app.API(webtest.Req{Method: "GET", Path: "/api/v1/verify/" + strings.ToLower(tc.code)}).JSON(t, &v)
			if v.Status != tc.status || v.Valid != (tc.status == "active") {
				t.Errorf("%s: %+v", tc.name, v)
			}
			if tc.status != "active" && v.StatusSince == nil {
				t.Errorf("%s: no date", tc.name)
			}
			page := string(b.Get("/verify/" + tc.code).Body)
			if !strings.Contains(page, tc.text) {
				t.Errorf("%s page does not say %q", tc.name, tc.text)
			}
			if tc.status != "active" && !strings.Contains(page, `class="cert-status cert-bad"`) {
				t.Errorf("%s page is not in red", tc.name)
			}
			if tc.status == "superseded" && (v.SupersededBy == "" || !strings.Contains(page, "/verify/"+v.SupersededBy)) {
				t.Errorf("superseded page does not point to the newer certificate")
			}
		}
		res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/verify/" + nearMiss(cases[0].code)})
		if res.StatusCode != 404 || !strings.Contains(string(res.Body), "không có trong sổ") || strings.Contains(string(res.Body), cases[0].code) {
			t.Errorf("near-miss code: %d %s", res.StatusCode, res.Body)
		}
		if res := b.Get("/verify?code=" + app.Config.BaseURL + "/verify/" + cases[0].code); res.StatusCode != http.StatusSeeOther {
			t.Errorf("verify form with a pasted URL: %d, want a redirect", res.StatusCode)
		}
	})
}

// TestCertificateSearchAndExport covers the public search and the officers' export.
func TestCertificateSearchAndExport(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var page struct {
			Items []struct {
				ProductName string `json:"product_name"`
				Status      string `json:"status"`
				Stars       int    `json:"stars"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates?q=vit+quay&province=20"}).JSON(t, &page)
		if len(page.Items) < 2 {
			t.Fatalf("'vit quay' found %d certificates, want the Vịt quay products", len(page.Items))
		}
		for _, it := range page.Items {
			if !strings.HasPrefix(it.ProductName, "Vịt quay") {
				t.Errorf("'vit quay' found %q", it.ProductName)
			}
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates?status=active&stars=3"}).JSON(t, &page)
		for _, it := range page.Items {
			if it.Status != "active" || it.Stars != 3 {
				t.Errorf("active 3★ search returned %+v", it)
			}
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates?limit=2"}).JSON(t, &page)
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("first page: %d items, cursor %q", len(page.Items), page.NextCursor)
		}
		for _, bad := range []string{"stars=7", "status=bogus", "limit=0", "cursor=x"} {
			if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates?" + bad}); res.StatusCode != 400 {
				t.Errorf("search %s: %d, want 400", bad, res.StatusCode)
			}
		}
		tok := app.Token("officer@example.com")
		var exp struct {
			Items []registry.NationalRecord `json:"items"`
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?province=20", Token: tok}).JSON(t, &exp)
		if len(exp.Items) < 20 || exp.Items[0].Manufacturer.Name == "" || exp.Items[0].CertificateNumber == "" || exp.Items[0].ExpiryDate == "" {
			t.Fatalf("export: %d records, first %+v", len(exp.Items), exp.Items)
		}
		res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?province=20&format=csv", Token: tok})
		body, hasBOM := bytes.CutPrefix(res.Body, []byte("\uFEFF"))
		if !hasBOM {
			t.Error("CSV export has no UTF-8 byte order mark: Excel would garble the diacritics")
		}
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil || len(rows) != len(exp.Items)+1 || rows[0][0] != "name" || rows[0][3] != "manufacturer_name" {
			t.Fatalf("CSV: %v, %d rows for %d records", err, len(rows), len(exp.Items))
		}
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?province=01", Token: tok}); res.StatusCode != 403 {
			t.Errorf("export of another province: %d, want 403", res.StatusCode)
		}
	})
}
