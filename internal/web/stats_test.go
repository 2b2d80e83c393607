package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/stats"
	"github.com/chocop/ocop/internal/stats/statstest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// readCSV checks a statistics CSV (UTF-8 with a byte-order mark) and returns its records.
func readCSV(t *testing.T, res *webtest.Response) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	body, ok := bytes.CutPrefix(res.Body, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("the CSV does not start with a UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV: %v %q", err, body)
	}
	return recs
}

// TestStatsEqualTheRows: the page, the JSON and the CSV of /thong-ke show
// the figures the test counts from the rows itself, for the country and
// for Lạng Sơn, on demo data plus a generated catalogue with expired,
// revoked and superseded certificates and orders in every state.
func TestStatsEqualTheRows(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		statstest.Fill(t, app.DB, day.Today())
		for _, q := range []string{"", "?province=20"} {
			want := statstest.Count(t, app.DB, strings.TrimPrefix(q, "?province="), "", day.Today())
			var got stats.Figures
			app.API(webtest.Req{Method: "GET", Path: "/api/v1/stats" + q}).JSON(t, &got)
			if got.Products != want.Products || got.ListedProducts != want.ListedProducts || got.Sellers != want.Sellers {
				t.Errorf("%q: API products %d, listed %d, sellers %d; counted %d, %d, %d", q, got.Products, got.ListedProducts, got.Sellers,
					want.Products, want.ListedProducts, want.Sellers)
			}
			page := app.Browser().Get("/thong-ke" + q)
			if page.StatusCode != http.StatusOK || !strings.Contains(string(page.Body), `<span class="stat-n">`+strconv.FormatInt(want.Products, 10)+`</span>`) {
				t.Errorf("%q: the page does not show %d valid products", q, want.Products)
			}
			for _, id := range []string{"stars", "groups", "places", "years", "trend", "owners", "expiring", "listed", "sales-months", "sales-places"} {
				if !strings.Contains(string(page.Body), `id="`+id+`"`) || !strings.Contains(string(page.Body), `/thong-ke/`+id+`.csv`) {
					t.Errorf("%q: the page lacks the figure %s or its CSV link", q, id)
				}
			}
			recs := readCSV(t, app.Browser().Get("/thong-ke/stars.csv"+q))
			if strings.Join(recs[0], "|") != "Hạng sao|Sản phẩm" {
				t.Errorf("CSV header %q", recs[0])
			}
			for _, r := range recs[1:] {
				if n := strconv.Itoa(want.Stars(r[0])); r[1] != n {
					t.Errorf("%q: CSV %s stars: %s, counted %s", q, r[0], r[1], n)
				}
			}
			en := readCSV(t, app.API(webtest.Req{Method: "GET", Path: "/api/v1/stats/owners.csv" + q}))
			if strings.Join(en[0], "|") != "kind|producers" {
				t.Errorf("API CSV header %q", en[0])
			}
			var sum int64
			for _, r := range en[1:] {
				n, _ := strconv.ParseInt(r[1], 10, 64)
				if n != want.Owners[kindOf(r[0])] {
					t.Errorf("%q: owners %s = %d, counted %d", q, r[0], n, want.Owners[kindOf(r[0])])
				}
				sum += n
			}
			if sum == 0 {
				t.Errorf("%q: no owners at all", q)
			}
		}
	})
}

// kindOf maps the English CSV's kind label back to the kind.
func kindOf(label string) string {
	return map[string]string{"Cooperative": "cooperative", "Enterprise": "enterprise", "Household business": "household",
		"Cooperative group": "cooperative_group"}[label]
}

// TestStatsCacheWithETag: a repeated request naming the ETag gets 304 and
// no body, the JSON and the CSV alike; the answer says how long to keep it.
func TestStatsCacheWithETag(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		for _, path := range []string{"/api/v1/stats?province=20", "/api/v1/stats/stars", "/api/v1/stats/expiring.csv"} {
			first := app.API(webtest.Req{Method: "GET", Path: path})
			tag := first.Header.Get("ETag")
			if first.StatusCode != http.StatusOK || tag == "" || !strings.Contains(first.Header.Get("Cache-Control"), "max-age") {
				t.Fatalf("%s: %d, ETag %q, Cache-Control %q", path, first.StatusCode, tag, first.Header.Get("Cache-Control"))
			}
			again := app.API(webtest.Req{Method: "GET", Path: path, Header: map[string]string{"If-None-Match": tag}})
			if again.StatusCode != http.StatusNotModified || len(again.Body) != 0 {
				t.Errorf("%s with its ETag: %d, %d bytes", path, again.StatusCode, len(again.Body))
			}
			stale := app.API(webtest.Req{Method: "GET", Path: path, Header: map[string]string{"If-None-Match": `"stale"`}})
			if stale.StatusCode != http.StatusOK {
				t.Errorf("%s with another ETag: %d", path, stale.StatusCode)
			}
		}
	})
}

// TestStatsRefuseUnknownFilters: only a known province and a commune inside
// it pass; anything else is 400 with the reason in the page's language (or
// problem+json), and nothing changes.
func TestStatsRefuseUnknownFilters(t *testing.T) {
	huge := strings.Repeat("9", 10_000)
	var table []webtest.Scenario
	for _, bad := range []struct{ query, vi, en string }{
		{"year=2025", "Bộ lọc này không có", "There is no such filter"},
		{"province=99", "Không có tỉnh", "There is no such province"},
		{"province=abc", "Không có tỉnh", "There is no such province"},
		{"province=" + huge, "Không có tỉnh", "There is no such province"},
		{"province=20&province=01", "chỉ được chọn một lần", "Choose each filter once"},
		{"commune=99999", "Không có xã", "There is no such commune"},
		{"province=01&commune=06706", "không thuộc tỉnh", "not in the chosen province"},
		{huge + "=1", "Bộ lọc này không có", "There is no such filter"},
	} {
		table = append(table,
			webtest.Scenario{URL: "/thong-ke?" + bad.query, Status: 400, Contains: []string{bad.vi, `id="stats-filters"`}, Unchanged: true},
			webtest.Scenario{URL: "/stats?" + bad.query, Status: 400, Contains: []string{bad.en}, Unchanged: true},
			webtest.Scenario{URL: "/api/v1/stats?" + bad.query, Status: 400, Contains: []string{`"validation"`}, Unchanged: true},
			webtest.Scenario{URL: "/thong-ke/stars.csv?" + bad.query, Status: 400, Unchanged: true},
			webtest.Scenario{URL: "/api/v1/stats/stars.csv?" + bad.query, Status: 400, Unchanged: true})
	}
	for _, ctl := range []string{"province=%00", "province=2%010", "commune=%1b", "province=%ff"} {
		table = append(table,
			webtest.Scenario{URL: "/thong-ke?" + ctl, Status: 400, Unchanged: true},
			webtest.Scenario{URL: "/api/v1/stats?" + ctl, Status: 400, Unchanged: true})
	}
	table = append(table,
		webtest.Scenario{URL: "/api/v1/stats/nothing", Status: 404},
		webtest.Scenario{URL: "/thong-ke/nothing.csv", Status: 404},
		webtest.Scenario{URL: "/thong-ke?province=20", Status: 200, Contains: []string{"Lạng Sơn", `id="f-commune"`}},
		webtest.Scenario{URL: "/stats", Status: 200, Contains: []string{"OCOP statistics", `lang="en"`}})
	webtest.Scenarios(t, table)
}

// TestDashboardScope: a provincial officer's dashboard is their province's
// (and names only its certificates), a central officer's every province
// side by side; nobody else has one.
func TestDashboardScope(t *testing.T) {
	var table []webtest.Scenario
	table = append(table, forEachRole(webtest.Scenario{Name: "dashboard", URL: "/registry/dashboard"}, [8]int{303, 403, 403, 403, 403, 200, 200, 200})...)
	table = append(table,
		webtest.Scenario{URL: "/registry/dashboard", As: "officer@example.com", Status: 200,
			Contains:    []string{"Tỉnh Lạng Sơn", `id="dash-pipeline"`, `id="dash-decisions"`, `id="dash-expiring"`, `id="dash-years"`, `href="/registry/dashboard"`},
			NotContains: []string{`id="dash-provinces"`}},
		webtest.Scenario{URL: "/registry/dashboard", As: "officer.hanoi@example.com", Status: 200, Contains: []string{"Thành phố Hà Nội"},
			NotContains: []string{"Tỉnh Lạng Sơn", `id="dash-provinces"`}},
		webtest.Scenario{URL: "/registry/dashboard", As: "central@example.com", Status: 200, Contains: []string{`id="dash-provinces"`, "Tỉnh Lạng Sơn", "Thành phố Hà Nội", "Tỉnh Cao Bằng"}})
	webtest.Scenarios(t, table)
}

// TestStatsAlternates: each language's page names both versions by absolute
// address (search engines and Lighthouse ignore a relative hreflang) and
// itself as canonical, filter included.
func TestStatsAlternates(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		base := app.Config.BaseURL
		for _, p := range []struct{ path, canonical string }{
			{"/thong-ke?province=20", "/thong-ke?province=20"}, {"/stats?province=20", "/stats?province=20"}, {"/stats", "/stats"},
		} {
			_, q, _ := strings.Cut(p.path, "?")
			if q != "" {
				q = "?" + q
			}
			body := string(app.Browser().Get(p.path).Body)
			for _, want := range []string{
				`<link rel="canonical" href="` + base + p.canonical + `">`,
				`<link rel="alternate" hreflang="vi" href="` + base + "/thong-ke" + q + `">`,
				`<link rel="alternate" hreflang="en" href="` + base + "/stats" + q + `">`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %s", p.path, want)
				}
			}
		}
	})
}

// TestStatsPagesShowNoRawKeys: the statistics pages, refusals and the
// dashboards of both levels, in both languages, show messages, never keys.
func TestStatsPagesShowNoRawKeys(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		for _, p := range []struct{ as, path, lang string }{
			{"", "/thong-ke", "vi"}, {"", "/stats", "en"}, {"", "/thong-ke?province=20", "vi"}, {"", "/stats?province=20", "en"},
			{"", "/thong-ke?year=1", "vi"}, {"", "/stats?province=99", "en"},
			{"officer@example.com", "/registry/dashboard", "vi"}, {"central@example.com", "/registry/dashboard", "vi"},
		} {
			b := app.Browser()
			if p.as != "" {
				b.Login(p.as)
			}
			res := b.Get(p.path)
			if !bytes.Contains(res.Body, []byte(`<html lang="`+p.lang+`"`)) {
				t.Errorf("%s: not in %s", p.path, p.lang)
			}
			if keys := rawKeys(t, res.Body); len(keys) > 0 {
				t.Errorf("%s as %q shows raw message keys: %v", p.path, p.as, keys)
			}
		}
		b := app.Browser()
		b.Login("officer@example.com")
		b.Get("/lang/en")
		if res := b.Get("/registry/dashboard"); !bytes.Contains(res.Body, []byte("OCOP dashboard")) || len(rawKeys(t, res.Body)) > 0 {
			t.Errorf("the English dashboard: %v", rawKeys(t, res.Body))
		}
	})
}
