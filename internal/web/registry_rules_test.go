package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// The registry's integrity rules (issue 8), each tried on both databases
// through the API and the pages, with every refused path checked twice: the
// status code, and the data read back unchanged.

// regCounts is what a refused request must leave as it was.
type regCounts struct {
	Apps, Sheets, Certs, Decisions, AuditOK int64
}

func countsOf(t *testing.T, app *webtest.App) regCounts {
	t.Helper()
	var c regCounts
	for _, q := range []struct {
		n     *int64
		model any
		where string
	}{
		{&c.Apps, &registry.Application{}, ""}, {&c.Sheets, &registry.ScoreSheet{}, ""}, {&c.Certs, &registry.Certificate{}, ""},
		{&c.Decisions, &registry.Decision{}, ""}, {&c.AuditOK, &registry.AuditEntry{}, "outcome = 'ok'"},
	} {
		g := app.DB.Model(q.model)
		if q.where != "" {
			g = g.Where(q.where)
		}
		if err := g.Count(q.n).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (c regCounts) same(t *testing.T, what string, after regCounts) {
	t.Helper()
	if c != after {
		t.Errorf("%s changed the registry: before %+v, after %+v", what, c, after)
	}
}

// newLifecycle is a producer, a two-member Lạng Sơn council and the API.
func newLifecycle(t *testing.T, app *webtest.App) lifecycle {
	l := lifecycle{regClient: regClient{t, app}, producer: app.Token("producer@example.com"), officer: app.Token("officer@example.com")}
	l.member2 = newOfficer(t, app, "council2@example.com", "20")
	return l
}

// proposed opens an application and brings it to proposed (no sheets yet).
func (l lifecycle) proposed(name string, extra map[string]any) string {
	l.t.Helper()
	body := map[string]any{"product_name": name, "group_code": "I.3.c"}
	for k, v := range extra {
		body[k] = v
	}
	a := l.apply(body)
	if _, ok := extra["previous_certificate"]; !ok {
		l.upload(l.producer, a.Code, "don.pdf", pdfBytes, http.StatusCreated)
	}
	l.toScored(a.Code, false)
	return a.Code
}

// userID is the id of the account with e-mail.
func userID(t *testing.T, app *webtest.App, email string) int64 {
	t.Helper()
	var u account.User
	if err := app.DB.Where("email = ?", email).First(&u).Error; err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// legacySheet writes a sheet as the code before this rule allowed: under
// criteria 1048 today. Only SQL can make one now.
func legacySheet(t *testing.T, app *webtest.App, code string, member int64, total float64) {
	t.Helper()
	var a registry.Application
	if err := app.DB.Where("code = ?", code).First(&a).Error; err != nil {
		t.Fatal(err)
	}
	sh := registry.ScoreSheet{ApplicationID: a.ID, Level: registry.AuthorityProvince, MemberID: member, CriteriaVersion: registry.Criteria1048,
		PartA: 30, PartB: 15, PartC: total - 45, MandatoryPassed: true, Total: total}
	if err := app.DB.Create(&sh).Error; err != nil {
		t.Fatal(err)
	}
	if err := app.DB.Model(&registry.Application{}).Where("id = ?", a.ID).Update("status", registry.StatusScored).Error; err != nil {
		t.Fatal(err)
	}
}

type problemJSON struct {
	Detail string `json:"detail"`
	Errors []struct {
		Name   string `json:"name"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

// TestScoreSheetCriteriaVersion: a sheet carries the criteria in force on
// the day it is recorded (148 since 24/02/2023), and a council never mixes
// versions.
func TestScoreSheetCriteriaVersion(t *testing.T) {
	if v, _ := registry.CriteriaOn(day.Today()); v != registry.Criteria148 {
		t.Fatalf("criteria in force today: %q, want 148", v)
	}
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := newLifecycle(t, app)
		member2 := userID(t, app, "council2@example.com")
		cases := []struct {
			name   string
			legacy bool // a 1048 sheet of another member is already there
			sheet  map[string]any
			want   int
			field  string
		}{
			{"1048 is not in force today", false, map[string]any{"criteria_version": "1048", "part_a": 30, "part_b": 20, "part_c": 35, "mandatory_passed": true}, 400, "criteria_version"},
			{"unknown version", false, map[string]any{"criteria_version": "2019", "part_a": 30, "part_b": 20, "part_c": 20, "mandatory_passed": true}, 400, ""},
			{"148 beside a 1048 sheet mixes the council", true, sheet(30, 20, 20, true), 409, ""},
			{"148 on a council of 148", false, sheet(30, 20, 20, true), 201, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				code := l.proposed("Thạch đen "+tc.name, nil)
				if tc.legacy {
					legacySheet(t, app, code, member2, 66)
				}
				before, refused, status := countsOf(t, app), countAudit(t, app, "refused"), statusOfApp(t, app, code)
				res := l.do(l.officer, "POST", "/api/v1/registry/applications/"+code+"/scores", tc.sheet, tc.want)
				if tc.want == http.StatusCreated {
					var sh struct {
						CriteriaVersion string `json:"criteria_version"`
					}
					res.JSON(t, &sh)
					if sh.CriteriaVersion != "148" {
						t.Errorf("sheet recorded under %q, want 148", sh.CriteriaVersion)
					}
					return
				}
				var p problemJSON
				res.JSON(t, &p)
				if p.Detail == "" {
					t.Error("refusal without a reason")
				}
				if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Name != tc.field) {
					t.Errorf("refusal names %+v, want field %s", p.Errors, tc.field)
				}
				before.same(t, tc.name, countsOf(t, app))
				if st := statusOfApp(t, app, code); st != status {
					t.Errorf("application moved from %s to %s", status, st)
				}
				if got := countAudit(t, app, "refused"); got != refused+1 {
					t.Errorf("%d refusals audited, want 1", got-refused)
				}
			})
		}

		// The page offers only the version in force, and a forged 1048 is refused with the reason.
		code := l.proposed("Thạch đen trang", nil)
		o := app.Browser()
		o.Login("officer@example.com")
		path := "/registry/applications/" + code
		page := string(o.Get(path).Body)
		if !strings.Contains(page, `<option value="148">`) || strings.Contains(page, `<option value="1048">`) {
			t.Error("the score form must offer only criteria 148")
		}
		before := countsOf(t, app)
		res := o.Post(path, path+"/scores", url.Values{"criteria_version": {"1048"}, "part_a": {"30"}, "part_b": {"20"}, "part_c": {"30"}, "mandatory": {"pass"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), "24/02/2023") {
			t.Errorf("1048 by the page form: %d, want 400 with the reason", res.StatusCode)
		}
		before.same(t, "1048 by the page form", countsOf(t, app))
	})
}

// TestMixedCouncilIsRefusedAtDecision: a council whose sheets mix criteria
// versions (left by older code) cannot be decided: 409 with the reason,
// nothing issued; a council of one version issues under that version.
func TestMixedCouncilIsRefusedAtDecision(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := newLifecycle(t, app)
		today := day.Today()
		code := l.proposed("Miến dong hội đồng lẫn", nil)
		l.do(l.officer, "POST", "/api/v1/registry/applications/"+code+"/scores", sheet(30, 20, 25, true), http.StatusCreated)
		legacySheet(t, app, code, userID(t, app, "council2@example.com"), 80)

		before, refused := countsOf(t, app), countAudit(t, app, "refused")
		res := l.do(l.officer, "POST", "/api/v1/registry/decisions", map[string]any{"number": "DEMO-MIX/QĐ-UBND", "date": today, "applications": []string{code}}, http.StatusConflict)
		var p problemJSON
		res.JSON(t, &p)
		if !strings.Contains(p.Detail, "bộ tiêu chí") {
			t.Errorf("409 without the reason: %q", p.Detail)
		}
		before.same(t, "deciding a mixed council", countsOf(t, app))
		if st := statusOfApp(t, app, code); st != "scored" {
			t.Errorf("application %s after the refused decision, want scored", st)
		}
		if got := countAudit(t, app, "refused"); got != refused+1 {
			t.Errorf("%d refusals audited, want 1", got-refused)
		}

		// The page says it too.
		o := app.Browser()
		o.Login("officer@example.com")
		page := o.Post("/registry/decisions/new", "/registry/decisions", url.Values{"number": {"DEMO-MIX2"}, "date": {today.String()}, "applications": {code}})
		if page.StatusCode != http.StatusConflict || !strings.Contains(string(page.Body), "cùng một bộ tiêu chí") {
			t.Errorf("mixed council by the page: %d", page.StatusCode)
		}

		// One version: the certificate carries it.
		code2 := l.proposed("Miến dong hội đồng một bộ", nil)
		l.do(l.officer, "POST", "/api/v1/registry/applications/"+code2+"/scores", sheet(30, 20, 25, true), http.StatusCreated)
		l.do(l.member2, "POST", "/api/v1/registry/applications/"+code2+"/scores", sheet(30, 20, 26, true), http.StatusCreated)
		var cert registry.Certificate
		d := l.decide(l.officer, "DEMO-ONE/QĐ-UBND", today, code2)
		if err := app.DB.Where("code = ?", d.Results[0].Certificate.Code).First(&cert).Error; err != nil || cert.CriteriaVersion != "148" {
			t.Errorf("certificate of a 148 council: %q (%v)", cert.CriteriaVersion, err)
		}
	})
}

// TestLeafGroupsOnly: every door that gives a group takes only a leaf of
// the Decision 148 tree, and hostile codes are a clear 400 that saves nothing.
func TestLeafGroupsOnly(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		webtest.RunScenarios(t, app, leafGroupDoors())
		webtest.RunScenarios(t, app, leafGroupImports())
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "the application form offers leaves only", As: producerEmail, URL: "/portal/registry", Status: 200,
				Contains: []string{`<option value="I.6">`}, NotContains: []string{`<option value="I.3">`, `<option value="I">`}},
			{Name: "the product form offers leaves only", As: producerEmail, URL: "/portal/products/new", Status: 200,
				Contains: []string{`<option value="I.6">`}, NotContains: []string{`<option value="I.3">`, `<option value="I">`}},
			{Name: "the page says why group I.3 was refused", As: producerEmail, Method: "POST", URL: "/portal/registry", FormPage: "/portal/registry",
				Form: url.Values{"product_name": {"Nhóm thử"}, "group_code": {"I.3"}, "kind": {"new"}}, Status: http.StatusBadRequest,
				Contains: []string{"nhóm chi tiết nhất"}},
		})
	})
}

const producerEmail = "producer@example.com"

// leafGroupDoors sends each group code to each door that takes one
// (applications and products, API and pages): a leaf is accepted, anything
// else is a 400 that changes nothing.
func leafGroupDoors() []webtest.Scenario {
	type door struct {
		name string
		send func(sc *webtest.Scenario, group string, i int)
	}
	doors := []door{
		{"application API", func(sc *webtest.Scenario, g string, i int) {
			sc.URL, sc.Body = "/api/v1/portal/applications", map[string]any{"product_name": "Nhóm thử", "group_code": g}
		}},
		{"application page", func(sc *webtest.Scenario, g string, i int) {
			sc.URL, sc.FormPage, sc.Form = "/portal/registry", "/portal/registry", url.Values{"product_name": {"Nhóm thử"}, "group_code": {g}, "kind": {"new"}}
		}},
		{"product API", func(sc *webtest.Scenario, g string, i int) {
			sku := "LEAF-" + string(rune('A'+i%26)) + string(rune('A'+i/26))
			sc.URL, sc.Body = "/api/v1/portal/products", map[string]any{"name": "Nhóm thử", "group_code": g,
				"variants": []map[string]any{{"sku": sku, "name": "Gói", "price": 10000, "stock": 1}}}
		}},
		{"product page", func(sc *webtest.Scenario, g string, i int) {
			sku := "LEAFP-" + string(rune('A'+i%26)) + string(rune('A'+i/26))
			sc.URL, sc.FormPage, sc.Form = "/portal/products", "/portal/products/new", url.Values{"name": {"Nhóm thử"}, "group_code": {g},
				"sku": {sku}, "variant_name": {"Gói"}, "price": {"10000"}, "stock": {"1"}}
		}},
	}
	codes := []struct {
		group string
		ok    bool
	}{
		{"I", false}, {"I.3", false}, {"II.1", false}, {"Z.9", false}, {"", false},
		{"I.3.c\x00", false}, {"I.3\x07c", false}, {" I.3 ", false}, {"I.3.\u202ec", false}, {"\xff\xfe", false}, {strings.Repeat("I.", 3000), false},
		{"I.3.c", true}, {"I.6", true}, {"III.1", true}, {"VI", true},
	}
	var out []webtest.Scenario
	i := 0
	for _, d := range doors {
		for _, c := range codes {
			i++
			sc := webtest.Scenario{Name: fmt.Sprintf("%s, group %q", d.name, c.group), As: producerEmail, Method: "POST", Status: http.StatusBadRequest}
			d.send(&sc, c.group, i)
			switch {
			case c.ok && webtest.IsAPI(sc.URL):
				sc.Status = http.StatusCreated
			case c.ok:
				sc.Status = http.StatusSeeOther
			default:
				sc.Before, sc.Check = registryUnchanged(sc.Name)
			}
			out = append(out, sc)
		}
	}
	return out
}

// leafGroupImports: the historic import, an officer's door, refuses the
// same record for its group alone, and accepts it with a leaf.
func leafGroupImports() []webtest.Scenario {
	body := func(g string) map[string]any {
		return map[string]any{"producer_slug": "hkd-tran-dieu-huong", "product_name": "Lạp sườn",
			"group_code": g, "authority_level": "province", "authority_name": "UBND tỉnh Lạng Sơn", "decision_no": "DEMO-LEAF", "decision_date": "2024-03-01",
			"stars": 3, "score": 61.5, "criteria_version": "148"}
	}
	var out []webtest.Scenario
	for _, g := range []string{"I", "I.3", "I.3.c\x00", "Z"} {
		before, same := registryUnchanged("import with group " + g)
		out = append(out, webtest.Scenario{Name: fmt.Sprintf("import with group %q", g), As: "officer@example.com", Method: "POST",
			URL: "/api/v1/registry/certificates/import", Body: body(g), Status: http.StatusBadRequest, Before: before,
			Check: func(t *testing.T, app *webtest.App, res *webtest.Response) {
				var p problemJSON
				res.JSON(t, &p)
				if len(p.Errors) != 1 || p.Errors[0].Name != "group_code" {
					t.Errorf("import with group %q refused for %+v, want the group alone", g, p.Errors)
				}
				same(t, app, res)
			}})
	}
	return append(out, webtest.Scenario{Name: "import with a leaf", As: "officer@example.com", Method: "POST",
		URL: "/api/v1/registry/certificates/import", Body: body("I.3.d"), Status: http.StatusCreated})
}

// registryUnchanged is a scenario's Before and Check hooks proving that a
// refused request left the registry's counts and the products as they were.
func registryUnchanged(what string) (before func(*testing.T, *webtest.App), check func(*testing.T, *webtest.App, *webtest.Response)) {
	var counts regCounts
	var products int64
	return func(t *testing.T, app *webtest.App) {
			counts, products = countsOf(t, app), countRows(t, app, &catalog.Product{}, "")
		}, func(t *testing.T, app *webtest.App, _ *webtest.Response) {
			counts.same(t, what, countsOf(t, app))
			if n := countRows(t, app, &catalog.Product{}, ""); n != products {
				t.Errorf("%s: %d products, want %d", what, n, products)
			}
		}
}

// TestDecisionDateWindow: a decision is dated on or after the submission of
// every application it lists, and not in the future; otherwise 400 and
// nothing moves (all-or-nothing across the applications).
func TestDecisionDateWindow(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := newLifecycle(t, app)
		today := day.Today()
		submitted := today.AddDays(-10)
		early := l.proposed("Bánh chưng nộp sớm", nil)
		l.do(l.officer, "POST", "/api/v1/registry/applications/"+early+"/scores", sheet(30, 20, 20, true), http.StatusCreated)
		backdateSubmission(t, app, early, submitted)
		late := l.proposed("Bánh chưng nộp hôm nay", nil)
		l.do(l.officer, "POST", "/api/v1/registry/applications/"+late+"/scores", sheet(30, 20, 20, true), http.StatusCreated)

		cases := []struct {
			name  string
			date  any
			codes []string
			want  int
		}{
			{"the day before submission", submitted.AddDays(-1), []string{early}, 400},
			{"a year before submission", submitted.AddMonths(-12), []string{early}, 400},
			{"tomorrow", today.AddDays(1), []string{early}, 400},
			{"no date", nil, []string{early}, 400},
			{"before one of two submissions", submitted, []string{early, late}, 400},
			{"the submission day", submitted, []string{early}, 201},
			{"today", today, []string{late}, 201},
		}
		for i, tc := range cases {
			before := countsOf(t, app)
			body := map[string]any{"number": "DEMO-DATE-" + string(rune('A'+i)), "applications": tc.codes}
			if tc.date != nil {
				body["date"] = tc.date
			}
			res := l.do(l.officer, "POST", "/api/v1/registry/decisions", body, tc.want)
			if tc.want != 400 {
				continue
			}
			var p problemJSON
			res.JSON(t, &p)
			if len(p.Errors) == 0 || p.Errors[0].Name != "date" {
				t.Errorf("%s: refusal names %+v, want the date", tc.name, p.Errors)
			}
			before.same(t, tc.name, countsOf(t, app))
			for _, c := range tc.codes {
				if st := statusOfApp(t, app, c); st != "scored" {
					t.Errorf("%s: %s is %s, want scored", tc.name, c, st)
				}
			}
		}

		// The page form says why.
		code := l.proposed("Bánh chưng trang", nil)
		l.do(l.officer, "POST", "/api/v1/registry/applications/"+code+"/scores", sheet(30, 20, 20, true), http.StatusCreated)
		o := app.Browser()
		o.Login("officer@example.com")
		before := countsOf(t, app)
		res := o.Post("/registry/decisions/new", "/registry/decisions", url.Values{"number": {"DEMO-DATE-P"}, "date": {today.AddDays(-1).String()}, "applications": {code}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), "trước ngày hồ sơ được nộp") {
			t.Errorf("decision before submission by the page: %d", res.StatusCode)
		}
		before.same(t, "decision before submission by the page", countsOf(t, app))
	})
}

// TestUpgradeBelowCurrentStars: an upgrade that scores fewer stars than the
// certificate it builds on issues nothing, and that certificate stays valid;
// officer and producer see why. Other results issue as before.
func TestUpgradeBelowCurrentStars(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := newLifecycle(t, app)
		today := day.Today()
		p := app.Browser()
		p.Login("producer@example.com")
		o := app.Browser()
		o.Login("officer@example.com")
		cases := []struct {
			name        string
			kind        string
			current     map[string]any // the sheet of the current certificate
			currentOn   day.Date       // its decision date
			next        map[string]any
			wantIssued  bool
			wantCurrent string // the current certificate's status afterwards
		}{
			{"upgrade scoring lower", "upgrade", sheet(30, 20, 25, true), today.AddDays(-30), sheet(25, 15, 20, true), false, "active"},
			{"upgrade scoring higher", "upgrade", sheet(25, 15, 20, true), today.AddDays(-30), sheet(30, 20, 25, true), true, "superseded"},
			{"upgrade scoring the same", "upgrade", sheet(30, 20, 25, true), today.AddDays(-30), sheet(30, 20, 26, true), true, "superseded"},
			{"renewal scoring lower", "renewal", sheet(30, 20, 25, true), today.AddDays(-30), sheet(25, 15, 20, true), true, "superseded"},
			{"upgrade lower than an expired certificate", "upgrade", sheet(30, 20, 25, true), day.New(2022, 6, 1), sheet(25, 15, 20, true), true, "expired"},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				name := "Chè thử " + tc.name
				first := l.proposed(name, nil)
				l.do(l.officer, "POST", "/api/v1/registry/applications/"+first+"/scores", tc.current, http.StatusCreated)
				backdateSubmission(t, app, first, tc.currentOn)
				cur := l.decide(l.officer, "DEMO-UP-"+string(rune('A'+i))+"/1", tc.currentOn, first).Results[0].Certificate.Code
				next := l.proposed(name, map[string]any{"kind": tc.kind, "previous_certificate": cur})
				l.do(l.officer, "POST", "/api/v1/registry/applications/"+next+"/scores", tc.next, http.StatusCreated)
				before := countsOf(t, app)
				r := l.decide(l.officer, "DEMO-UP-"+string(rune('A'+i))+"/2", today, next).Results[0]
				if v := l.verify(cur); v.Status != tc.wantCurrent {
					t.Errorf("current certificate is %s, want %s", v.Status, tc.wantCurrent)
				}
				if got := r.Certificate != nil; got != tc.wantIssued {
					t.Fatalf("certificate issued: %v, want %v (%+v)", got, tc.wantIssued, r)
				}
				if tc.wantIssued {
					return
				}
				if r.Status != "decided" || !strings.Contains(r.Reason, "giấy chứng nhận hiện tại vẫn còn hiệu lực") {
					t.Errorf("decision result %+v: want decided with the reason", r)
				}
				if after := countsOf(t, app); after.Certs != before.Certs {
					t.Errorf("%d certificates issued, want none", after.Certs-before.Certs)
				}
				var c registry.Certificate
				app.DB.Where("code = ?", cur).First(&c)
				if c.SupersededByID != nil || !c.SupersededOn.IsZero() || !c.ValidOn(today) {
					t.Errorf("the current certificate was touched: %+v", c)
				}
				var mine appJSON
				l.do(l.producer, "GET", "/api/v1/portal/applications/"+next, nil, http.StatusOK).JSON(t, &mine)
				if mine.NoCertificateReason != "registry.reason.upgrade_below_current" {
					t.Errorf("producer's application says %q", mine.NoCertificateReason)
				}
				for who, b := range map[string]*webtest.Browser{"producer": p, "officer": o} {
					path := "/portal/registry/" + next
					if who == "officer" {
						path = "/registry/applications/" + next
					}
					if page := string(b.Get(path).Body); !strings.Contains(page, "giấy chứng nhận hiện tại vẫn còn hiệu lực") {
						t.Errorf("the %s's page does not say why nothing was issued", who)
					}
				}
			})
		}
	})
}

// TestDraftsInvisibleToOfficers: until the producer submits, an application
// does not exist for any officer: 404 on every API route and page, absent
// from queues and counts, and nothing an officer tries changes it.
func TestDraftsInvisibleToOfficers(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := newLifecycle(t, app)
		a := l.apply(map[string]any{"product_name": "Bản nháp bí mật", "group_code": "I.3.c"})
		var doc struct{ ID int64 }
		l.upload(l.producer, a.Code, "nhap.pdf", pdfBytes, http.StatusCreated).JSON(t, &doc)
		docID := strconv.FormatInt(doc.ID, 10)
		api := "/api/v1/registry/applications/" + a.Code
		routes := []struct {
			method, path string
			body         any
		}{
			{"GET", api, nil},
			{"POST", api + "/remarks", map[string]string{"note": "Xem trộm"}},
			{"POST", api + "/propose", map[string]string{"note": "x"}},
			{"POST", api + "/scores", sheet(30, 20, 20, true)},
			{"GET", api + "/audit", nil},
			{"GET", api + "/documents/" + docID, nil},
			{"POST", "/api/v1/registry/decisions", map[string]any{"number": "DEMO-DRAFT", "date": day.Today(), "applications": []string{a.Code}}},
		}
		for _, email := range []string{"officer@example.com", "officer.hanoi@example.com", "central@example.com"} {
			tok := app.Token(email)
			before := countsOf(t, app)
			for _, rt := range routes {
				l.do(tok, rt.method, rt.path, rt.body, http.StatusNotFound)
			}
			var q struct{ Items []appJSON }
			l.do(tok, "GET", "/api/v1/registry/applications", nil, http.StatusOK).JSON(t, &q)
			for _, it := range q.Items {
				if it.Code == a.Code || it.Status == "draft" {
					t.Errorf("%s: the queue lists a draft", email)
				}
			}
			l.do(tok, "GET", "/api/v1/registry/applications?status=draft", nil, http.StatusBadRequest)
			b := app.Browser()
			b.Login(email)
			page := "/registry/applications/" + a.Code
			for _, path := range []string{page, page + "/documents/" + docID} {
				if res := b.Get(path); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s: page %s answers %d, want 404", email, path, res.StatusCode)
				}
			}
			if res := b.Post("/registry", page+"/remarks", url.Values{"note": {"Xem trộm"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: remark by page on a draft: %d, want 404", email, res.StatusCode)
			}
			if res := b.Get("/registry/applications"); strings.Contains(string(res.Body), a.Code) {
				t.Errorf("%s: the queue page shows the draft", email)
			}
			before.same(t, email+" on a draft", countsOf(t, app))
		}
		if st := statusOfApp(t, app, a.Code); st != "draft" {
			t.Fatalf("draft is %s after officers tried it", st)
		}
		// Once submitted, the province's officer sees it.
		l.do(l.producer, "POST", "/api/v1/portal/applications/"+a.Code+"/submit", nil, http.StatusOK)
		l.do(l.officer, "GET", api, nil, http.StatusOK)
	})
}

// TestExportIsAuditedAndChainHolds: an officer's export is a line in the
// audit log (who, which filter, how many rows), a refused one too, and after
// everything the app did the registry's audit chain is whole, from the
// seed's first row on.
func TestExportIsAuditedAndChainHolds(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		var before int64
		app.DB.Model(&registry.AuditEntry{}).Where("action = ?", "certificate.export").Count(&before)
		r.do(app.Token("officer@example.com"), "GET", "/api/v1/certificates/export?province=20", nil, http.StatusOK)
		r.do(app.Token("officer.hanoi@example.com"), "GET", "/api/v1/certificates/export?province=20", nil, http.StatusForbidden)
		var es []registry.AuditEntry
		app.DB.Where("action = ?", "certificate.export").Order("id").Find(&es)
		if len(es) != int(before)+2 {
			t.Fatalf("%d export entries, want %d", len(es), before+2)
		}
		ok, refused := es[len(es)-2], es[len(es)-1]
		if ok.Outcome != "ok" || ok.ActorEmail != "officer@example.com" || !strings.Contains(ok.AfterJSON, `"province":"20"`) || !strings.Contains(ok.AfterJSON, `"rows":`) {
			t.Errorf("export entry: %+v", ok)
		}
		if refused.Outcome != "refused" || refused.ActorEmail != "officer.hanoi@example.com" {
			t.Errorf("refused export entry: %+v", refused)
		}
		rep, err := registry.VerifyAudit(t.Context(), app.DB)
		if err != nil || rep.Broken != nil || rep.Unchained != 0 || rep.Rows < 3 {
			t.Errorf("registry audit chain: %+v %v (broken: %v)", rep, err, rep.Broken)
		}
	})
}

// TestImportCarriesTheCriteriaInForce: a historic certificate carries the
// criteria version in force on its decision date, the side door holding the
// same rule as the score sheet.
func TestImportCarriesTheCriteriaInForce(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		officer := app.Token("officer@example.com")
		cases := []struct {
			date, version string
			want          int
		}{
			{"2021-03-01", "148", 400},
			{"2023-02-23", "148", 400},
			{"2024-03-01", "1048", 400},
			{"2023-02-24", "1048", 400},
			{"2021-03-01", "1048", 201},
			{"2023-02-24", "148", 201},
		}
		for i, tc := range cases {
			before := countsOf(t, app)
			res := r.do(officer, "POST", "/api/v1/registry/certificates/import", map[string]any{"producer_slug": "hkd-tran-dieu-huong",
				"product_name": "Khâu nhục thử " + strconv.Itoa(i), "group_code": "I.3.d", "authority_level": "province", "authority_name": "UBND tỉnh Lạng Sơn",
				"decision_no": "DEMO-CRIT-" + strconv.Itoa(i), "decision_date": tc.date, "stars": 3, "score": 61.5, "criteria_version": tc.version}, tc.want)
			if tc.want != 400 {
				continue
			}
			var p problemJSON
			res.JSON(t, &p)
			if len(p.Errors) != 1 || p.Errors[0].Name != "criteria_version" {
				t.Errorf("%s under %s refused for %+v, want the criteria version alone", tc.date, tc.version, p.Errors)
			}
			before.same(t, "import "+tc.date+" "+tc.version, countsOf(t, app))
		}
	})
}
