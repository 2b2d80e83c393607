package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/registry/pdftest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// verifyFullJSON is the whole public answer for a code.
type verifyFullJSON struct {
	Code        string  `json:"code"`
	Number      string  `json:"number"`
	Valid       bool    `json:"valid"`
	Status      string  `json:"status"`
	StatusSince *string `json:"status_since"`
	ExpiresSoon bool    `json:"expires_soon"`
	DaysLeft    int     `json:"days_left"`
	Authority   string  `json:"authority_name"`
	Revocation  *struct {
		DecisionNo string `json:"decision_no"`
		Date       string `json:"date"`
		Reason     string `json:"reason"`
	} `json:"revocation"`
	SupersededBy string `json:"superseded_by"`
	Successor    *struct {
		Code        string  `json:"code"`
		Number      string  `json:"number"`
		Status      string  `json:"status"`
		Valid       bool    `json:"valid"`
		StatusSince *string `json:"status_since"`
	} `json:"successor"`
}

func verifyFull(t *testing.T, app *webtest.App, code string) verifyFullJSON {
	t.Helper()
	var v verifyFullJSON
	res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/verify/" + code})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("verify %s: %d %s", code, res.StatusCode, res.Body)
	}
	res.JSON(t, &v)
	return v
}

// TestVerifyTellsTheWholeStory: every state of a certificate, on the JSON
// and on the page: valid, expiring soon, expired, revoked with its
// decision, superseded with the successor's status, an expired certificate
// renewed later (through the real renewal path) pointing to the newest of
// its chain, and a superseded certificate whose successor was revoked.
func TestVerifyTellsTheWholeStory(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		stories, lapsed, renewed := verifyStories(t, app)
		for _, tc := range stories {
			t.Run(tc.name, func(t *testing.T) { tc.check(t, app.For(t), app.For(t).As("")) })
		}
		// The renewal is linked as the direct successor of the lapsed certificate.
		if v := verifyFull(t, app, lapsed); v.SupersededBy != renewed {
			t.Errorf("lapsed certificate: direct successor %q, want the renewal %s", v.SupersededBy, renewed)
		}
		webtest.RunScenarios(t, app, []webtest.Scenario{{Name: "unknown code", URL: "/api/v1/verify/ZZZZZZZZZZ", Status: http.StatusNotFound}})
	})
}

// verifyStory is one state of a certificate and what verify must tell of it.
type verifyStory struct {
	name, code, number, status string
	since                      *string
	soon                       bool
	revocation                 string // decision number
	successor, successorStatus string
	page                       []string // what the Vietnamese page says
}

// verifyStories makes a certificate in every state: valid, expiring soon,
// expired, revoked, superseded, expired and renewed later through the real
// path (then upgraded), and superseded by a revoked upgrade. It returns
// them with the lapsed certificate's code and its renewal's.
func verifyStories(t *testing.T, app *webtest.App) (stories []verifyStory, lapsedCode, renewed string) {
	today := day.Today()
	l := lifecycle{regClient: regClient{t, app}, producer: app.TokenOf("producer@example.com"), officer: app.TokenOf("officer@example.com")}
	mine := producerOfUser(t, app, "producer@example.com")

	valid := addCert(t, app, registry.Certificate{Number: "V-VALID", DecisionDate: today.AddDays(-10)})
	soon := addCert(t, app, registry.Certificate{Number: "V-SOON", DecisionDate: today.AddMonths(-registry.ValidityMonths).AddDays(30)})
	expired := addCert(t, app, registry.Certificate{Number: "V-EXPIRED", DecisionDate: today.AddMonths(-40)})
	revoked := addCert(t, app, registry.Certificate{Number: "V-REVOKED", DecisionDate: today.AddDays(-100), RevokedOn: today.AddDays(-5),
		RevocationDecision: "45/QĐ-UBND", RevocationReason: "Không duy trì truy xuất nguồn gốc"})
	newer := addCert(t, app, registry.Certificate{Number: "V-NEWER", Stars: 4, DecisionDate: today.AddDays(-20)})
	superseded := addCert(t, app, registry.Certificate{Number: "V-SUPERSEDED", DecisionDate: today.AddDays(-400), SupersededOn: today.AddDays(-20), SupersededByID: &newer.ID})

	// Expired, then renewed through the real path, then upgraded: the
	// expired certificate points to the newest, the upgrade.
	lapsed := addCert(t, app, registry.Certificate{Number: "V-LAPSED", ProducerID: mine, ProductName: "Miến dong thử gia hạn", GroupCode: "I.3.b",
		DecisionDate: today.AddMonths(-38)})
	renewal := l.apply(map[string]any{"kind": "renewal", "product_name": "Miến dong thử gia hạn", "group_code": "I.3.b", "previous_certificate": lapsed.Code})
	l.toScored(renewal.Code, true, sheet(26, 15, 24, true))
	renewed = l.decide(l.officer, "V-1/QĐ-UBND", today, renewal.Code).Results[0].Certificate.Code
	upgrade := l.apply(map[string]any{"kind": "upgrade", "product_name": "Miến dong thử gia hạn", "group_code": "I.3.b", "previous_certificate": renewed})
	l.toScored(upgrade.Code, true, sheet(32, 20, 28, true))
	upgraded := l.decide(l.officer, "V-2/QĐ-UBND", today, upgrade.Code).Results[0].Certificate.Code

	// Upgraded, and the upgrade revoked: the old one is superseded by a revoked certificate.
	old := addCert(t, app, registry.Certificate{Number: "V-OLD", ProducerID: mine, ProductName: "Na thử nâng hạng", GroupCode: "I.1.a", DecisionDate: today.AddDays(-300)})
	up := l.apply(map[string]any{"kind": "upgrade", "product_name": "Na thử nâng hạng", "group_code": "I.1.a", "previous_certificate": old.Code})
	l.toScored(up.Code, true, sheet(32, 20, 28, true))
	bad := l.decide(l.officer, "V-3/QĐ-UBND", today, up.Code).Results[0].Certificate.Code
	l.do(l.officer, "POST", "/api/v1/registry/certificates/"+bad+"/revoke", map[string]any{"decision_no": "V-4/QĐ-UBND", "date": today, "reason": "Chất lượng khác mẫu"}, http.StatusOK)

	since := func(d day.Date) *string { s := d.String(); return &s }
	return []verifyStory{
		{name: "valid", code: valid.Code, number: "V-VALID", status: "active", page: []string{"Còn hiệu lực", "V-VALID"}},
		{name: "expiring soon", code: soon.Code, number: "V-SOON", status: "active", soon: true,
			page: []string{"Còn hiệu lực", "Sắp hết hạn: còn 29 ngày", soon.ValidUntil.VN()}},
		{name: "expired", code: expired.Code, number: "V-EXPIRED", status: "expired", since: since(expired.ValidUntil.AddDays(1)),
			page: []string{"Đã hết hạn", "từ ngày " + expired.ValidUntil.AddDays(1).VN()}},
		{name: "revoked", code: revoked.Code, number: "V-REVOKED", status: "revoked", since: since(revoked.RevokedOn), revocation: "45/QĐ-UBND",
			page: []string{"Đã bị thu hồi", "Quyết định thu hồi số 45/QĐ-UBND ngày " + revoked.RevokedOn.VN(), "Không duy trì truy xuất nguồn gốc"}},
		{name: "superseded", code: superseded.Code, number: "V-SUPERSEDED", status: "superseded", since: since(superseded.SupersededOn),
			successor: newer.Code, successorStatus: "active", page: []string{"Đã được thay thế", "Giấy chứng nhận mới nhất:", "V-NEWER"}},
		{name: "expired before its renewal", code: lapsed.Code, number: "V-LAPSED", status: "expired", since: since(lapsed.ValidUntil.AddDays(1)),
			successor: upgraded, successorStatus: "active", page: []string{"Đã hết hạn", "Giấy chứng nhận mới nhất:", "/verify/" + upgraded}},
		{name: "superseded by a revoked one", code: old.Code, number: "V-OLD", status: "superseded", since: since(today),
			successor: bad, successorStatus: "revoked", page: []string{"Đã được thay thế", "/verify/" + bad, "Đã bị thu hồi từ ngày " + today.VN()}},
	}, lapsed.Code, renewed
}

// check reads the story's certificate back from the JSON (its code in
// lower case) and from the page b (a visitor) shows.
func (tc verifyStory) check(t *testing.T, app *webtest.App, b *webtest.Browser) {
	v := verifyFull(t, app, strings.ToLower(tc.code))
	if v.Number != tc.number || v.Status != tc.status || v.Valid != (tc.status == "active") || v.ExpiresSoon != tc.soon || v.Authority == "" {
		t.Errorf("%s: %+v", tc.name, v)
	}
	if (v.StatusSince == nil) != (tc.since == nil) || (v.StatusSince != nil && *v.StatusSince != *tc.since) {
		t.Errorf("%s: status_since %v, want %v", tc.name, v.StatusSince, tc.since)
	}
	if tc.revocation == "" && v.Revocation != nil || tc.revocation != "" && (v.Revocation == nil || v.Revocation.DecisionNo != tc.revocation || v.Revocation.Reason == "") {
		t.Errorf("%s: revocation %+v, want decision %q", tc.name, v.Revocation, tc.revocation)
	}
	switch {
	case tc.successor == "" && v.Successor != nil:
		t.Errorf("%s: successor %+v, want none", tc.name, v.Successor)
	case tc.successor != "" && (v.Successor == nil || v.Successor.Code != tc.successor || v.Successor.Status != tc.successorStatus ||
		v.Successor.Valid != (tc.successorStatus == "active") || v.Successor.Number == ""):
		t.Errorf("%s: successor %+v, want %s %s", tc.name, v.Successor, tc.successor, tc.successorStatus)
	}
	page := html.UnescapeString(string(b.Get("/verify/" + tc.code).Body))
	for _, want := range tc.page {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the page does not say %q", tc.name, want)
		}
	}
}

// TestRegistryDatesInTheReadersFormat: Vietnamese pages write 31/12/2025,
// English pages 31 Dec 2025, on the verify page, the officer's list and
// the product page's badge; none shows the ISO form.
func TestRegistryDatesInTheReadersFormat(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var c registry.Certificate
		if err := app.DB.Where("product_id IS NOT NULL AND revoked_on IS NULL AND superseded_on IS NULL AND valid_until > ?", day.Today()).
			Order("id").First(&c).Error; err != nil {
			t.Fatal("seed: no valid certificate of a listed product")
		}
		var slug string
		app.DB.Table("products").Select("slug").Where("id = ?", *c.ProductID).Scan(&slug)
		for _, lang := range []string{"vi", "en"} {
			officer := app.Browser()
			officer.Get("/lang/" + lang)
			officer.Login("officer@example.com")
			visitor := app.Browser()
			visitor.Get("/lang/" + lang)
			pages := map[string]string{
				"verify":       string(visitor.Get("/verify/" + c.Code).Body),
				"print":        string(visitor.Get("/verify/" + c.Code + "/print").Body),
				"product":      string(visitor.Get("/products/" + slug).Body),
				"officer list": string(officer.Get("/registry/certificates?q=" + url.QueryEscape(c.ProductName)).Body),
				"officer page": string(officer.Get("/registry/certificates/" + c.Code).Body),
			}
			want := c.ValidUntil.Local(lang)
			for name, body := range pages {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s page does not write the end date as %q", lang, name, want)
				}
				if strings.Contains(body, ">"+c.ValidUntil.String()) || strings.Contains(body, " "+c.ValidUntil.String()+"<") {
					t.Errorf("%s %s page writes the end date as %s", lang, name, c.ValidUntil)
				}
				if keys := rawKeys(t, []byte(body)); len(keys) > 0 {
					t.Errorf("%s %s page shows raw message keys %v", lang, name, keys)
				}
			}
		}
	})
}

// TestCertificatePrintAndPDFAsOfficialForm: the print page and the PDF carry
// the national header, the issuer, the number and the signatory's title;
// a revoked or expired certificate carries its watermark in the reader's
// language, a valid one none; the print page uses no inline style (the
// CSP forbids it).
func TestCertificatePrintAndPDFAsOfficialForm(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		today := day.Today()
		valid := addCert(t, app, registry.Certificate{Number: "P-001/QĐ", DecisionDate: today.AddDays(-10), Signatory: "Nguyễn Văn Thử"})
		revoked := addCert(t, app, registry.Certificate{Number: "P-002/QĐ", DecisionDate: today.AddDays(-100), RevokedOn: today.AddDays(-1),
			RevocationDecision: "46/QĐ-UBND", RevocationReason: "Vi phạm an toàn thực phẩm"})
		expired := addCert(t, app, registry.Certificate{Number: "P-003/QĐ", DecisionDate: today.AddMonths(-40)})
		central := addCert(t, app, registry.Certificate{Number: "P-004/QĐ", Stars: 5, AuthorityLevel: registry.AuthorityCentral,
			AuthorityName: registry.CentralAuthority, DecisionDate: today.AddDays(-10)})
		cases := []struct {
			name, lang, code, number, watermark string
			issuer, title                       []string
		}{
			{"valid", "vi", valid.Code, "P-001/QĐ", "", []string{"ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"}, []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thử"}},
			{"revoked", "vi", revoked.Code, "P-002/QĐ", "ĐÃ THU HỒI", []string{"ỦY BAN NHÂN DÂN"}, []string{"CHỦ TỊCH"}},
			{"expired", "vi", expired.Code, "P-003/QĐ", "HẾT HIỆU LỰC", []string{"ỦY BAN NHÂN DÂN"}, []string{"CHỦ TỊCH"}},
			{"revoked in English", "en", revoked.Code, "P-002/QĐ", "REVOKED", []string{"ỦY BAN NHÂN DÂN"}, []string{"CHỦ TỊCH"}},
			{"central", "vi", central.Code, "P-004/QĐ", "", []string{"BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"}, []string{"BỘ TRƯỞNG"}},
		}
		for _, tc := range cases {
			b := app.Browser()
			b.Get("/lang/" + tc.lang)
			pdf := b.Get("/verify/" + tc.code + "/certificate.pdf")
			if pdf.StatusCode != 200 {
				t.Fatalf("%s PDF: %d", tc.name, pdf.StatusCode)
			}
			numberLine := map[string]string{"vi": "Số: ", "en": "No.: "}[tc.lang] + tc.number
			for _, want := range append(append([]string{registry.NationalName, registry.NationalMotto, numberLine}, tc.issuer...), tc.title...) {
				if !pdftest.Shows(pdf.Body, want) {
					t.Errorf("%s PDF does not show %q", tc.name, want)
				}
			}
			for _, w := range []string{"ĐÃ THU HỒI", "HẾT HIỆU LỰC", "REVOKED", "EXPIRED"} {
				if got := pdftest.Shows(pdf.Body, w); got != (w == tc.watermark) {
					t.Errorf("%s PDF shows watermark %q: %v", tc.name, w, got)
				}
			}
			res := b.Get("/verify/" + tc.code + "/print")
			page := html.UnescapeString(string(res.Body))
			for _, want := range append(append([]string{registry.NationalName, registry.NationalMotto, numberLine}, tc.issuer...), tc.title...) {
				if !strings.Contains(page, want) {
					t.Errorf("%s print page does not show %q", tc.name, want)
				}
			}
			if hasMark := strings.Contains(page, `id="watermark"`); hasMark != (tc.watermark != "") || (tc.watermark != "" && !strings.Contains(page, `<span data-text="`+tc.watermark+`"></span>`)) {
				t.Errorf("%s print page: watermark present %v, want %q", tc.name, hasMark, tc.watermark)
			}
			if strings.Contains(string(res.Body), "style=") {
				t.Errorf("%s print page has an inline style, which the CSP blocks", tc.name)
			}
			if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
				t.Errorf("the CSP allows inline styles: %s", csp)
			}
		}
	})
}
