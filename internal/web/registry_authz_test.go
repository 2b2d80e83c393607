package web_test

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// roles in the order of the want columns below.
var authzRoles = []string{"", "shopper@example.com", "producer@example.com", "producer2@example.com", "admin@example.com",
	"officer@example.com", "officer.hanoi@example.com", "central@example.com"}

// forEachRole is sc once per role of authzRoles, each wanting its status.
func forEachRole(sc webtest.Scenario, want [8]int) []webtest.Scenario {
	out := make([]webtest.Scenario, len(authzRoles))
	for i, role := range authzRoles {
		out[i] = sc
		out[i].As, out[i].Status = role, want[i]
		if out[i].Name != "" {
			who := role
			if who == "" {
				who = "a visitor"
			}
			out[i].Name += " as " + who
		}
	}
	return out
}

// codes are the seeded records the table refers to.
type regFixture struct{ own, scored, fwd, cert string }

func seededFixture(t *testing.T, app *webtest.App) regFixture {
	t.Helper()
	var f regFixture
	var a registry.Application
	pick := func(where string, args ...any) string {
		t.Helper()
		a = registry.Application{}
		if err := app.DB.Where(where, args...).First(&a).Error; err != nil {
			t.Fatalf("seed has no application %s: %v", where, err)
		}
		return a.Code
	}
	f.own = pick("product_name = ? AND status = ?", "Na Chi Lăng", "submitted")
	f.scored = pick("product_name = ? AND status = ?", "Hồng không hạt Bảo Lâm", "scored")
	f.fwd = pick("status = ?", "forwarded")
	var c registry.Certificate
	today := day.Today()
	if err := app.DB.Where("province_code = ? AND revoked_on IS NULL AND superseded_on IS NULL AND valid_until >= ?", "20", today).First(&c).Error; err != nil {
		t.Fatalf("seed has no valid Lạng Sơn certificate: %v", err)
	}
	f.cert = c.Code
	return f
}

// TestRegistryAuthorization tries every registry API route as every role,
// including an officer of another province: each gets exactly the status
// its scope allows (401 anonymous, 403 wrong role or outside scope, 404 for
// another producer's application, and in scope the route's own answer).
func TestRegistryAuthorization(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		f := seededFixture(t, app)
		future := day.Today().AddDays(3)
		sheetBody := map[string]any{"part_a": 38, "part_b": 24, "part_c": 30, "mandatory_passed": true}
		cases := []struct {
			name   string
			method string
			path   string
			body   any
			want   [8]int // anon, shopper, producer, producer2, admin, officer, hanoi, central
		}{
			{"verify", "GET", "/api/v1/verify/" + f.cert, nil, [8]int{200, 200, 200, 200, 200, 200, 200, 200}},
			{"verify unknown", "GET", "/api/v1/verify/ZZZZZZZZZZ", nil, [8]int{404, 404, 404, 404, 404, 404, 404, 404}},
			{"search", "GET", "/api/v1/certificates?province=20&stars=4&status=active&q=na", nil, [8]int{200, 200, 200, 200, 200, 200, 200, 200}},
			{"qr svg", "GET", "/api/v1/certificates/" + f.cert + "/qr.svg", nil, [8]int{200, 200, 200, 200, 200, 200, 200, 200}},
			{"export", "GET", "/api/v1/certificates/export?province=20", nil, [8]int{401, 403, 403, 403, 403, 200, 403, 200}},
			{"my applications", "GET", "/api/v1/portal/applications", nil, [8]int{401, 403, 200, 200, 403, 403, 403, 403}},
			{"my application", "GET", "/api/v1/portal/applications/" + f.own, nil, [8]int{401, 403, 200, 404, 403, 403, 403, 403}},
			{"create application (bad group)", "POST", "/api/v1/portal/applications", map[string]any{"product_name": "X", "group_code": "Z.9"}, [8]int{401, 403, 400, 400, 403, 403, 403, 403}},
			{"submit (already submitted)", "POST", "/api/v1/portal/applications/" + f.own + "/submit", nil, [8]int{401, 403, 409, 404, 403, 403, 403, 403}},
			{"my document", "GET", "/api/v1/portal/applications/" + f.own + "/documents/999999", nil, [8]int{401, 403, 404, 404, 403, 403, 403, 403}},
			{"queue", "GET", "/api/v1/registry/applications?status=scored", nil, [8]int{401, 403, 403, 403, 403, 200, 200, 200}},
			{"application", "GET", "/api/v1/registry/applications/" + f.scored, nil, [8]int{401, 403, 403, 403, 403, 200, 403, 403}},
			{"forwarded application", "GET", "/api/v1/registry/applications/" + f.fwd, nil, [8]int{401, 403, 403, 403, 403, 200, 403, 200}},
			{"propose (wrong state)", "POST", "/api/v1/registry/applications/" + f.scored + "/propose", map[string]string{"note": "x"}, [8]int{401, 403, 403, 403, 403, 409, 403, 403}},
			{"remark", "POST", "/api/v1/registry/applications/" + f.scored + "/remarks", map[string]string{"note": "Bổ sung kiểm nghiệm"}, [8]int{401, 403, 403, 403, 403, 204, 403, 403}},
			{"score forwarded", "POST", "/api/v1/registry/applications/" + f.fwd + "/scores", sheetBody, [8]int{401, 403, 403, 403, 403, 409, 403, 201}},
			{"application audit", "GET", "/api/v1/registry/applications/" + f.scored + "/audit", nil, [8]int{401, 403, 403, 403, 403, 200, 403, 403}},
			{"officer document", "GET", "/api/v1/registry/applications/" + f.scored + "/documents/999999", nil, [8]int{401, 403, 403, 403, 403, 404, 403, 403}},
			{"decision (future date)", "POST", "/api/v1/registry/decisions", map[string]any{"number": "DEMO-X", "date": future, "applications": []string{f.fwd}}, [8]int{401, 403, 403, 403, 403, 400, 403, 400}},
			{"expiring", "GET", "/api/v1/registry/certificates/expiring?days=90", nil, [8]int{401, 403, 403, 403, 403, 200, 200, 200}},
			{"import (district out of its years)", "POST", "/api/v1/registry/certificates/import", map[string]any{"producer_slug": "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh",
				"product_name": "Na Chi Lăng", "group_code": "I.1.a", "authority_level": "district", "authority_name": "UBND huyện Chi Lăng", "decision_no": "DEMO-H1",
				"decision_date": "2020-05-01", "stars": 3, "score": 60, "criteria_version": "1048"}, [8]int{401, 403, 403, 403, 403, 400, 403, 403}},
			{"revoke (future date)", "POST", "/api/v1/registry/certificates/" + f.cert + "/revoke", map[string]any{"decision_no": "DEMO-R", "date": future, "reason": "x"}, [8]int{401, 403, 403, 403, 403, 400, 403, 403}},
			{"certificate audit", "GET", "/api/v1/registry/certificates/" + f.cert + "/audit", nil, [8]int{401, 403, 403, 403, 403, 200, 403, 403}},
		}
		var table []webtest.Scenario
		for _, tc := range cases {
			table = append(table, forEachRole(webtest.Scenario{Name: tc.name, Method: tc.method, URL: tc.path, Body: tc.body}, tc.want)...)
		}
		// Uploads (multipart, outside the JSON table).
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", "other") // writes into a bytes.Buffer, which cannot fail
		fw, _ := mw.CreateFormFile("file", "a.pdf")
		_, _ = fw.Write(pdfBytes) // writes into a bytes.Buffer, which cannot fail
		_ = mw.Close()            // writes into a bytes.Buffer, which cannot fail
		table = append(table, forEachRole(webtest.Scenario{Name: "upload", Method: "POST", URL: "/api/v1/portal/applications/" + f.own + "/documents",
			Body: buf.Bytes(), Header: map[string]string{"Content-Type": mw.FormDataContentType()}}, [8]int{401, 403, 409, 404, 403, 403, 403, 403})...)
		for _, r := range authzRoles[1:] {
			app.TokenOf(r) // every role signed in before the refusals are counted
		}
		refused := countAudit(t, app, "refused")
		webtest.RunScenarios(t, app, table)
		if after := countAudit(t, app, "refused"); after < refused+20 {
			t.Errorf("officers' refused attempts: %d new audit entries, want at least 20", after-refused)
		}
		if st := statusOfApp(t, app, f.scored); st != "scored" {
			t.Errorf("scored application moved to %s by refused requests", st)
		}
	})
}

// TestRegistryPagesAuthorization opens every registry and portal page as every role.
func TestRegistryPagesAuthorization(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		f := seededFixture(t, app)
		cases := []struct {
			path string
			want [8]int
		}{
			{"/verify", [8]int{200, 200, 200, 200, 200, 200, 200, 200}},
			{"/verify/" + f.cert, [8]int{200, 200, 200, 200, 200, 200, 200, 200}},
			{"/verify/" + f.cert + "/print", [8]int{200, 200, 200, 200, 200, 200, 200, 200}},
			{"/verify/ZZZZZZZZZZ", [8]int{404, 404, 404, 404, 404, 404, 404, 404}},
			{"/portal/registry", [8]int{303, 403, 200, 200, 403, 403, 403, 403}},
			{"/portal/registry/" + f.own, [8]int{303, 403, 200, 404, 403, 403, 403, 403}},
			{"/registry", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
			{"/registry/applications", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
			{"/registry/applications/" + f.scored, [8]int{303, 403, 403, 403, 403, 200, 403, 403}},
			{"/registry/applications/" + f.fwd, [8]int{303, 403, 403, 403, 403, 200, 403, 200}},
			{"/registry/decisions/new", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
			{"/registry/certificates", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
			{"/registry/certificates/" + f.cert, [8]int{303, 403, 403, 403, 403, 200, 403, 403}},
		}
		var table []webtest.Scenario
		for _, tc := range cases {
			table = append(table, forEachRole(webtest.Scenario{URL: tc.path}, tc.want)...)
		}
		// Every form post as every role. In-scope posts are built to fail on
		// state or input (409/400), so the table proves scope without moving records.
		future := day.Today().AddDays(5).String()
		posts := []struct {
			name, path string
			form       url.Values
			want       [8]int
		}{
			{"create application", "/portal/registry", url.Values{"product_name": {"X"}, "group_code": {"Z.9"}}, [8]int{401, 403, 400, 400, 403, 403, 403, 403}},
			{"submit", "/portal/registry/" + f.own + "/submit", url.Values{}, [8]int{401, 403, 409, 404, 403, 403, 403, 403}},
			{"propose", "/registry/applications/" + f.scored + "/propose", url.Values{"note": {"x"}}, [8]int{401, 403, 403, 403, 403, 409, 403, 403}},
			{"score", "/registry/applications/" + f.scored + "/scores", url.Values{"part_a": {"41"}, "part_b": {"1"}, "part_c": {"1"}, "mandatory": {"pass"}}, [8]int{401, 403, 403, 403, 403, 400, 403, 403}},
			{"remark", "/registry/applications/" + f.scored + "/remarks", url.Values{"note": {"Bổ sung"}}, [8]int{401, 403, 403, 403, 403, 303, 403, 403}},
			{"decide", "/registry/decisions", url.Values{"number": {"DEMO-P"}, "date": {future}, "applications": {f.scored}}, [8]int{401, 403, 403, 403, 403, 400, 403, 403}},
			{"revoke", "/registry/certificates/" + f.cert + "/revoke", url.Values{"decision_no": {"DEMO-R"}, "date": {future}, "reason": {"x"}}, [8]int{401, 403, 403, 403, 403, 400, 403, 403}},
		}
		for _, p := range posts {
			table = append(table, forEachRole(webtest.Scenario{Name: "POST " + p.name, Method: "POST", URL: p.path, Form: p.form}, p.want)...)
		}
		webtest.RunScenarios(t, app, append(table, webtest.Scenario{Name: "the unknown code's page says it is not in the registry", URL: "/verify/ZZZZZZZZZZ",
			Status: 404, Contains: []string{"không có trong sổ"}}))
		if st := statusOfApp(t, app, f.scored); st != "scored" {
			t.Errorf("scored application moved to %s by form posts", st)
		}
		var c registry.Certificate
		if app.DB.Where("code = ?", f.cert).First(&c); !c.RevokedOn.IsZero() {
			t.Error("a refused revocation form revoked the certificate")
		}
	})
}
