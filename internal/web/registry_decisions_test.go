package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// Tests of the decisions register (issue 12): the counts equal the rows,
// scope holds at every door, and "print all" is one PDF with a page per
// certificate.

type decisionsPage struct {
	Items []struct {
		Authority string `json:"authority"`
		Level     string `json:"level"`
		Number    string `json:"number"`
		Date      string `json:"date"`
		Products  int    `json:"products"`
		Stars     [3]int `json:"stars"`
	} `json:"items"`
	Total int `json:"total"`
}

// TestDecisionsRegister: Lạng Sơn's register lists each decision once with
// as many products and stars as its certificates hold; filters narrow it;
// the annex lists those certificates; other provinces see none of it.
func TestDecisionsRegister(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		officer := app.TokenOf("officer@example.com")
		var all decisionsPage
		r.do(officer, "GET", "/api/v1/registry/decisions", nil, http.StatusOK).JSON(t, &all)
		var certs []registry.Certificate
		app.DB.Where("province_code = ?", "20").Find(&certs)
		type key struct{ no, date, level string }
		want := map[key][3]int{}
		for _, c := range certs {
			k := key{c.DecisionNo, c.DecisionDate.String(), string(c.AuthorityLevel)}
			s := want[k]
			s[c.Stars-3]++
			want[k] = s
		}
		if all.Total != len(want) || len(all.Items) != min(len(want), registry.DecisionPageSize) {
			t.Fatalf("%d decisions (%d listed), want %d", all.Total, len(all.Items), len(want))
		}
		for i, d := range all.Items {
			if got := want[key{d.Number, d.Date, d.Level}]; got != d.Stars || d.Products != got[0]+got[1]+got[2] {
				t.Errorf("%s of %s: %d products %v, want %v", d.Number, d.Date, d.Products, d.Stars, got)
			}
			if i > 0 && d.Date > all.Items[i-1].Date {
				t.Errorf("not newest first at %s", d.Number)
			}
		}
		var y2021 decisionsPage
		r.do(officer, "GET", "/api/v1/registry/decisions?year=2021&level=province&q=demo", nil, http.StatusOK).JSON(t, &y2021)
		for _, d := range y2021.Items {
			if !strings.HasPrefix(d.Date, "2021-") || d.Level != "province" {
				t.Errorf("filtered list holds %s of %s (%s)", d.Number, d.Date, d.Level)
			}
		}
		if len(y2021.Items) == 0 {
			t.Error("no 2021 decision in the demo data")
		}

		d := all.Items[0]
		annexQ := url.Values{"authority": {d.Authority}, "date": {d.Date}, "number": {d.Number}}.Encode()
		var annex struct {
			Certificates []struct{ Code, Number string } `json:"certificates"`
		}
		r.do(officer, "GET", "/api/v1/registry/decisions/annex?"+annexQ, nil, http.StatusOK).JSON(t, &annex)
		if len(annex.Certificates) != d.Products {
			t.Errorf("the annex lists %d certificates, the register %d", len(annex.Certificates), d.Products)
		}

		pdf := app.As("officer@example.com").Get("/registry/decisions/annex.pdf?" + annexQ)
		pages := bytes.Count(pdf.Body, []byte("/Type /Page")) - bytes.Count(pdf.Body, []byte("/Type /Pages"))
		if pdf.StatusCode != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || pages != d.Products {
			t.Errorf("print all: %d %s, %d pages for %d certificates", pdf.StatusCode, pdf.Header.Get("Content-Type"), pages, d.Products)
		}
		if page := app.As("officer@example.com").Get("/registry/decisions"); page.StatusCode != 200 || !strings.Contains(string(page.Body), d.Number) {
			t.Errorf("register page: %d", page.StatusCode)
		}

		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "Hà Nội sees no Lạng Sơn decision", As: "officer.hanoi@example.com", URL: "/api/v1/registry/decisions", Status: 200, NotContains: []string{d.Number}},
			{Name: "Hà Nội opens a Lạng Sơn annex", As: "officer.hanoi@example.com", URL: "/api/v1/registry/decisions/annex?" + annexQ, Status: 404},
			{Name: "Hà Nội prints it", As: "officer.hanoi@example.com", URL: "/registry/decisions/annex.pdf?" + annexQ, Status: 404},
			{Name: "Hà Nội asks for Lạng Sơn", As: "officer.hanoi@example.com", URL: "/api/v1/registry/decisions?province=20", Status: 403},
			{Name: "a producer", As: "producer@example.com", URL: "/api/v1/registry/decisions", Status: 403},
			{Name: "a visitor", URL: "/api/v1/registry/decisions", Status: 401},
			{Name: "a bad year", As: "officer@example.com", URL: "/api/v1/registry/decisions?year=20x1", Status: 400},
			{Name: "a bad level", As: "officer@example.com", URL: "/api/v1/registry/decisions?level=commune", Status: 400},
			{Name: "a bad date", As: "officer@example.com", URL: "/api/v1/registry/decisions/annex?authority=20&number=1&date=31-12-2025", Status: 400},
			{Name: "an unknown decision", As: "officer@example.com", URL: "/api/v1/registry/decisions/annex?authority=20&number=nope&date=2025-12-31", Status: 404},
			{Name: "a wildcard matches itself", As: "officer@example.com", URL: "/api/v1/registry/decisions?q=%25", Status: 200, Contains: []string{`"total":0`}},
		})
	})
}
