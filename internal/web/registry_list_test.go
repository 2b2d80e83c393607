package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// listFixture adds 45 Lạng Sơn certificates over fifteen decision dates
// (three on each, so pages break inside a day and the id decides), across
// stars, groups, two communes, three levels, revoked, superseded and
// expired ones, and three Hà Nội certificates outside the province.
type listFixture struct {
	communes [2]string
	year     int
}

func newListFixture(t *testing.T, app *webtest.App) listFixture {
	t.Helper()
	today := day.Today()
	var communes []string
	app.DB.Table("communes").Where("province_code = ? AND retired_on IS NULL", "20").Order("code").Limit(2).Pluck("code", &communes)
	if len(communes) != 2 {
		t.Fatal("seed: fewer than two communes in Lạng Sơn")
	}
	fx := listFixture{communes: [2]string{communes[0], communes[1]}, year: today.AddDays(-400).Time().Year()}
	groups := []string{"I.3.c", "I.3.d", "I.5.a", "II.1.a", "IV.1"}
	for i := 0; i < 45; i++ {
		decided := today.AddDays(-97 * (i % 15))
		c := registry.Certificate{DecisionDate: decided, GroupCode: groups[i%len(groups)], Stars: 3 + i%2,
			CommuneCode: &fx.communes[i%2], Number: fmt.Sprintf("LIST-%02d", i), Signatory: "Người ký thử"}
		c.ProductName = fmt.Sprintf("Hồng ngâm thử %02d", i)
		if i%4 == 0 {
			c.ProductName = fmt.Sprintf("Miến dong thử %02d", i)
		}
		switch i % 9 {
		case 0:
			c.AuthorityLevel, c.AuthorityName, c.Stars = registry.AuthorityCentral, registry.CentralAuthority, 5
		case 4:
			c.AuthorityLevel, c.AuthorityName, c.Stars = registry.AuthorityDistrict, "UBND huyện Chi Lăng", 3
		}
		if i%7 == 3 {
			c.RevokedOn = decided.AddDays(10)
			if c.RevokedOn.After(today) {
				c.RevokedOn = today
			}
			c.RevocationDecision, c.RevocationReason = fmt.Sprintf("THU-HOI-%02d/QĐ-UBND", i), "Bao bì khác mẫu đã công nhận"
		}
		if i%11 == 5 {
			c.SupersededOn = decided.AddDays(20)
		}
		addCert(t, app, c)
	}
	hn := hanoiProducer(t, app)
	for i := 0; i < 3; i++ {
		addCert(t, app, registry.Certificate{ProducerID: hn, ProvinceCode: "01", AuthorityName: "UBND Thành phố Hà Nội",
			Number: fmt.Sprintf("HN-%d", i), DecisionDate: today.AddDays(-50 * i), ProductName: fmt.Sprintf("Miến dong Hà Nội %d", i)})
	}
	return fx
}

// TestOfficerCertificateListPages: paging the officer's list through many
// pages shows every certificate of the officer's scope exactly once, newest
// decision first; a provincial officer sees only their province, the
// central officer every province.
func TestOfficerCertificateListPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		newListFixture(t, app)
		var all []registry.Certificate
		app.DB.Find(&all)
		byCode := map[string]registry.Certificate{}
		for _, c := range all {
			byCode[c.Code] = c
		}
		cases := []struct {
			who, province string
			limit         int
		}{
			{"officer@example.com", "20", 7},
			{"central@example.com", "", 11},
			{"officer.hanoi@example.com", "01", 2},
		}
		for _, tc := range cases {
			b := app.Browser()
			b.Login(tc.who)
			got, pages := walkPages(t, b, "/registry/certificates?limit="+strconv.Itoa(tc.limit))
			want := certsWhere(t, app, func(c registry.Certificate) bool { return tc.province == "" || c.ProvinceCode == tc.province })
			if d := sameSet(got, want); d != "" {
				t.Errorf("%s: pages differ from the scope: %s", tc.who, d)
			}
			if wantPages := (len(want) + tc.limit - 1) / tc.limit; pages != wantPages {
				t.Errorf("%s: %d pages for %d rows of %d, want %d", tc.who, pages, len(want), tc.limit, wantPages)
			}
			for i := 1; i < len(got); i++ {
				a, b := byCode[got[i-1]], byCode[got[i]]
				if a.DecisionDate.Before(b.DecisionDate) || (a.DecisionDate.Equal(b.DecisionDate) && a.ID < b.ID) {
					t.Errorf("%s: row %d (%s, %d) comes before %s (%s, %d): not newest first", tc.who, i, a.DecisionDate, a.ID, b.Code, b.DecisionDate, b.ID)
					break
				}
			}
			first := string(b.Get("/registry/certificates?limit=" + strconv.Itoa(tc.limit)).Body)
			if !strings.Contains(first, fmt.Sprintf("trong %d giấy chứng nhận", len(want))) {
				t.Errorf("%s: the page does not give the total %d", tc.who, len(want))
			}
		}
	})
}

// TestOfficerCertificateListFilters: each filter, alone and together,
// narrows the pages and the export to exactly the certificates it names.
func TestOfficerCertificateListFilters(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		fx := newListFixture(t, app)
		today := day.Today()
		past := today.AddDays(-800)
		inGroup := func(c registry.Certificate, g string) bool {
			return c.GroupCode == g || strings.HasPrefix(c.GroupCode, g+".")
		}
		cases := []struct {
			name  string
			query url.Values
			keep  func(registry.Certificate) bool
		}{
			{"none", url.Values{}, func(registry.Certificate) bool { return true }},
			{"stars", url.Values{"stars": {"4"}}, func(c registry.Certificate) bool { return c.Stars == 4 }},
			{"revoked", url.Values{"status": {"revoked"}}, func(c registry.Certificate) bool { return c.StatusOn(today) == registry.CertRevoked }},
			{"expired", url.Values{"status": {"expired"}}, func(c registry.Certificate) bool { return c.StatusOn(today) == registry.CertExpired }},
			{"superseded", url.Values{"status": {"superseded"}}, func(c registry.Certificate) bool { return c.StatusOn(today) == registry.CertSuperseded }},
			{"active", url.Values{"status": {"active"}}, func(c registry.Certificate) bool { return c.ValidOn(today) }},
			{"active on a past day", url.Values{"status": {"active"}, "on": {past.String()}}, func(c registry.Certificate) bool { return c.ValidOn(past) }},
			{"pending on a past day", url.Values{"status": {"pending"}, "on": {past.String()}}, func(c registry.Certificate) bool { return c.StatusOn(past) == registry.CertPending }},
			{"commune", url.Values{"commune": {fx.communes[1]}}, func(c registry.Certificate) bool { return c.CommuneCode != nil && *c.CommuneCode == fx.communes[1] }},
			{"group with sub-groups", url.Values{"group": {"I.3"}}, func(c registry.Certificate) bool { return inGroup(c, "I.3") }},
			{"leaf group", url.Values{"group": {"I.3.c"}}, func(c registry.Certificate) bool { return c.GroupCode == "I.3.c" }},
			{"group without sub-groups", url.Values{"group": {"IV.1"}}, func(c registry.Certificate) bool { return c.GroupCode == "IV.1" }},
			{"year", url.Values{"year": {strconv.Itoa(fx.year)}}, func(c registry.Certificate) bool { return c.DecisionDate.Time().Year() == fx.year }},
			{"level", url.Values{"level": {"district"}}, func(c registry.Certificate) bool { return c.AuthorityLevel == registry.AuthorityDistrict }},
			{"authority", url.Values{"authority": {registry.CentralAuthority}}, func(c registry.Certificate) bool { return c.AuthorityName == registry.CentralAuthority }},
			{"words without diacritics", url.Values{"q": {"mien dong"}}, func(c registry.Certificate) bool { return strings.Contains(c.SearchFolded, "mien dong") }},
			{"together", url.Values{"stars": {"3"}, "status": {"active"}, "group": {"I"}, "commune": {fx.communes[0]}},
				func(c registry.Certificate) bool {
					return c.Stars == 3 && c.ValidOn(today) && inGroup(c, "I") && c.CommuneCode != nil && *c.CommuneCode == fx.communes[0]
				}},
		}
		b := app.Browser()
		b.Login("officer@example.com")
		tok := app.Token("officer@example.com")
		for _, tc := range cases {
			want := certsWhere(t, app, func(c registry.Certificate) bool { return c.ProvinceCode == "20" && tc.keep(c) })
			if tc.name != "none" && tc.name != "together" && len(want) == 0 {
				t.Fatalf("%s: the fixture has no certificate for this filter, so the case proves nothing", tc.name)
			}
			q := url.Values{}
			for k, v := range tc.query {
				q[k] = v
			}
			q.Set("limit", "4")
			got, _ := walkPages(t, b, "/registry/certificates?"+q.Encode())
			if d := sameSet(got, want); d != "" {
				t.Errorf("%s: pages: %s", tc.name, d)
			}
			q.Del("limit")
			res := b.Get("/registry/certificates/export.csv?" + q.Encode())
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: export: %d %s", tc.name, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if d := sameSet(parseExport(t, res.Body).codes(), want); d != "" {
				t.Errorf("%s: page export: %s", tc.name, d)
			}
			q.Set("format", "csv")
			api := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?" + q.Encode(), Token: tok})
			if api.StatusCode != http.StatusOK {
				t.Fatalf("%s: API export: %d %s", tc.name, api.StatusCode, api.Body)
			}
			if d := sameSet(parseExport(t, api.Body).codes(), want); d != "" {
				t.Errorf("%s: API export: %s", tc.name, d)
			}
		}
	})
}

// TestCertificateExportColumns: the export is the national record plus the
// status today, the verify URL, the authority, the decision and the
// revocation; a revoked row says revoked and why.
func TestCertificateExportColumns(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		today := day.Today()
		e := &exportColumns{app: app, revoked: addCert(t, app, registry.Certificate{Number: "EXPORT-1", ProductName: "Khâu nhục thử xuất", DecisionNo: "77/QĐ-UBND",
			DecisionDate: today.AddDays(-200), RevokedOn: today.AddDays(-3), RevocationDecision: "78/QĐ-UBND", RevocationReason: "Vi phạm an toàn thực phẩm"})}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "the page's CSV has every column, and the revoked row says revoked and why", Run: e.pageCSV},
			{Name: "the API's export of revoked certificates carries the same columns", Run: e.apiExport},
			{Name: "a pending import is in the officer's list and CSV, never in the national export", Run: e.pendingImport},
		})
	})
}

// exportColumns is what TestCertificateExportColumns's steps share: a
// revoked certificate.
type exportColumns struct {
	app     *webtest.App
	revoked registry.Certificate
}

// wantRow is the revoked certificate's row in an export.
func (e *exportColumns) wantRow() map[string]string {
	r := e.revoked
	return map[string]string{"name": "Khâu nhục thử xuất", "status": "revoked", "verify_url": e.app.Config.BaseURL + "/verify/" + r.Code,
		"certificate_number": "EXPORT-1", "authority_name": "UBND Tỉnh Lạng Sơn", "authority_level": "province", "decision_no": "77/QĐ-UBND",
		"decision_date": r.DecisionDate.String(), "valid_from": r.ValidFrom.String(), "valid_until": r.ValidUntil.String(),
		"revoked_on": r.RevokedOn.String(), "revocation_decision": "78/QĐ-UBND", "revocation_reason": "Vi phạm an toàn thực phẩm"}
}

func (e *exportColumns) pageCSV(t *testing.T) {
	res := e.app.For(t).As("officer@example.com").Get("/registry/certificates/export.csv")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d, disposition %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	tab := parseExport(t, res.Body)
	if strings.Join(tab.Header, ",") != strings.Join(registry.CSVHeader, ",") {
		t.Fatalf("header %v, want %v", tab.Header, registry.CSVHeader)
	}
	for _, col := range []string{"status", "verify_url", "authority_name", "decision_no", "decision_date", "valid_from", "valid_until",
		"revoked_on", "revocation_decision", "revocation_reason", "certificate_number"} {
		if !slices.Contains(tab.Header, col) {
			t.Errorf("the export has no %s column", col)
		}
	}
	var row map[string]string
	for _, r := range tab.Rows {
		if r["code"] == e.revoked.Code {
			row = r
		}
	}
	for k, v := range e.wantRow() {
		if row[k] != v {
			t.Errorf("revoked row %s = %q, want %q", k, row[k], v)
		}
	}
	for _, r := range tab.Rows {
		if r["status"] == "active" && (r["revoked_on"] != "" || r["revocation_decision"] != "") {
			t.Errorf("an active row carries a revocation: %v", r)
		}
	}
}

func (e *exportColumns) apiExport(t *testing.T) {
	app := e.app.For(t)
	var api struct {
		Items []registry.NationalRecord `json:"items"`
	}
	app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?status=revoked", Token: app.TokenOf("officer@example.com")}).JSON(t, &api)
	ok := false
	for _, r := range api.Items {
		if r.Code == e.revoked.Code {
			ok = r.Status == "revoked" && r.RevocationDecision == "78/QĐ-UBND" && r.VerifyURL == e.wantRow()["verify_url"] && r.AuthorityName == "UBND Tỉnh Lạng Sơn"
		}
		if r.Status != "revoked" {
			t.Errorf("status=revoked exported a %s certificate", r.Status)
		}
	}
	if !ok {
		t.Errorf("the API export lacks the revoked certificate's columns: %+v", api.Items)
	}
}

// pendingImport: an import awaiting a second officer is in the officer's
// list and its CSV as pending (someone must confirm it), never in the
// national export.
func (e *exportColumns) pendingImport(t *testing.T) {
	app := e.app.For(t)
	b := app.As("officer@example.com")
	pending := addCert(t, app, registry.Certificate{Number: "EXPORT-PENDING", ProductName: "Nhập cũ chờ xác nhận", ImportPending: true, DecisionDate: day.Today().AddDays(-400)})
	inPage := map[string]string{}
	for _, r := range parseExport(t, b.Get("/registry/certificates/export.csv?status=pending").Body).Rows {
		inPage[r["code"]] = r["status"]
	}
	if inPage[pending.Code] != "pending" {
		t.Errorf("the page export of pending certificates: %v, want %s pending", inPage, pending.Code)
	}
	if page := string(b.Get("/registry/certificates?q=" + url.QueryEscape("Nhập cũ chờ")).Body); !strings.Contains(page, pending.Code) {
		t.Error("the officer's list does not show the pending import")
	}
	national := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?format=csv", Token: app.TokenOf("officer@example.com")})
	if slices.Contains(parseExport(t, national.Body).codes(), pending.Code) {
		t.Error("the national export carries an import no second officer has confirmed")
	}
}

// TestCertificateExportDoors: the page export works with the officer's
// session and is audited; another province, other roles and anonymous
// visitors get nothing, and a refused officer's attempt is audited.
func TestCertificateExportDoors(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		exports := func(outcome string) int64 {
			var n int64
			app.DB.Model(&registry.AuditEntry{}).Where("action = ? AND outcome = ?", "certificate.export", outcome).Count(&n)
			return n
		}
		officer := app.Browser()
		officer.Login("officer@example.com")
		okBefore, refusedBefore := exports("ok"), exports("refused")
		if res := officer.Get("/registry/certificates/export.csv?province=20"); res.StatusCode != 200 {
			t.Fatalf("own province: %d", res.StatusCode)
		}
		if exports("ok") != okBefore+1 {
			t.Errorf("the export was not audited")
		}
		cases := []struct {
			name, who, path string
			want            int
		}{
			{"another province", "officer@example.com", "/registry/certificates/export.csv?province=01", http.StatusForbidden},
			{"another province's page", "officer@example.com", "/registry/certificates?province=01", http.StatusForbidden},
			{"Hà Nội officer into Lạng Sơn", "officer.hanoi@example.com", "/registry/certificates/export.csv?province=20", http.StatusForbidden},
			{"producer", "producer@example.com", "/registry/certificates/export.csv", http.StatusForbidden},
			{"shopper", "shopper@example.com", "/registry/certificates/export.csv", http.StatusForbidden},
		}
		for _, tc := range cases {
			b := app.Browser()
			b.Login(tc.who)
			res := b.Get(tc.path)
			if res.StatusCode != tc.want || strings.Contains(string(res.Body), "certificate_number") {
				t.Errorf("%s: %d, want %d", tc.name, res.StatusCode, tc.want)
			}
		}
		if res := app.Browser().Get("/registry/certificates/export.csv"); res.StatusCode == 200 || strings.Contains(string(res.Body), "certificate_number") {
			t.Errorf("anonymous export: %d", res.StatusCode)
		}
		if got := exports("refused"); got < refusedBefore+2 {
			t.Errorf("refused officer exports audited %d times, want 2", got-refusedBefore)
		}
		if exports("ok") != okBefore+1 {
			t.Errorf("a refused export was audited as done")
		}
		// The central officer exports any province, and all of them.
		central := app.Browser()
		central.Login("central@example.com")
		one := parseExport(t, central.Get("/registry/certificates/export.csv?province=20").Body)
		own := parseExport(t, officer.Get("/registry/certificates/export.csv").Body)
		if d := sameSet(one.codes(), own.codes()); d != "" {
			t.Errorf("central's export of Lạng Sơn differs from the province's own: %s", d)
		}
		all := parseExport(t, central.Get("/registry/certificates/export.csv").Body)
		if d := sameSet(all.codes(), certsWhere(t, app, func(registry.Certificate) bool { return true })); d != "" {
			t.Errorf("central's full export: %s", d)
		}
		// The API door has the same scope.
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?province=01", Token: app.Token("officer@example.com")}); res.StatusCode != 403 {
			t.Errorf("API export of another province: %d", res.StatusCode)
		}
	})
}

// TestCertificateListHostileInput: malformed filters and forged cursors are
// a 400 in the reader's language, on the page, its export and the API
// export, and export nothing.
func TestCertificateListHostileInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := app.Browser()
		b.Login("officer@example.com")
		first := b.Get("/registry/certificates?limit=2")
		m := nextRe.FindSubmatch(first.Body)
		if m == nil {
			t.Fatal("no next page on a list of two")
		}
		next, _ := url.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
		cur := next.Query().Get("cursor")
		forged := cur[:len(cur)-2] + "xx"
		// A cursor of another list, signed with the same key, is no cursor of this one.
		var products struct {
			NextCursor string `json:"next_cursor"`
		}
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/products?limit=1"}).JSON(t, &products)
		other := products.NextCursor
		if other == "" {
			t.Fatal("no product cursor to replay")
		}
		cases := []string{
			"q=%01abc", "q=a%00b", "q=%FF%FE", "q=" + strings.Repeat("a", 101), "authority=" + strings.Repeat("b", 201),
			"stars=abc", "stars=9", "stars=99999999999", "year=1999", "year=abc", "on=2025-13-45", "on=31/12/2025", "status=bogus",
			"level=galaxy", "commune=" + strings.Repeat("1", 11), "group=" + strings.Repeat("I.", 7), "cursor=" + forged, "cursor=" + other,
			"cursor=" + strings.Repeat("A", 600), "cursor=%00", "limit=500", "limit=-1", "province=" + strings.Repeat("9", 5),
		}
		for _, q := range cases {
			for _, path := range []string{"/registry/certificates?", "/registry/certificates/export.csv?"} {
				res := b.Get(path + q)
				if res.StatusCode != http.StatusBadRequest {
					t.Errorf("%s%s: %d, want 400", path, q, res.StatusCode)
					continue
				}
				if keys := rawKeys(t, res.Body); len(keys) > 0 {
					t.Errorf("%s%s shows raw message keys %v", path, q, keys)
				}
			}
			if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/certificates/export?" + q, Token: app.Token("officer@example.com")}); res.StatusCode != http.StatusBadRequest {
				t.Errorf("API export ?%s: %d, want 400", q, res.StatusCode)
			}
		}
		var exportsAfter int64
		app.DB.Model(&registry.AuditEntry{}).Where("action = ? AND outcome = ?", "certificate.export", "ok").Count(&exportsAfter)
		if exportsAfter != 0 {
			t.Errorf("malformed requests exported %d times", exportsAfter)
		}
		if res := b.Get("/registry/certificates?q=%01abc"); !strings.Contains(html.UnescapeString(string(res.Body)), "ký tự không hợp lệ") {
			t.Errorf("a control character is not explained in Vietnamese")
		}
	})
}
