package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// untranslated finds a message key shown instead of its text.
var untranslated = regexp.MustCompile(`[>\s(](registry|verify|cert|audit)\.[a-z_]+(\.[a-z_]+)*[<\s)]`)

// postFile submits the portal's upload form with the CSRF token of formPage.
func postFile(t *testing.T, app *webtest.App, b *webtest.Browser, formPage, path, name string, content []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", b.CSRF(formPage)) // writes into a bytes.Buffer, which cannot fail
	_ = mw.WriteField("kind", "business_plan")   // writes into a bytes.Buffer, which cannot fail
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content) // writes into a bytes.Buffer, which cannot fail
	_ = mw.Close()           // writes into a bytes.Buffer, which cannot fail
	res, err := b.Client.Post(app.HTTP.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body) // drains the body so the connection is reused; its content is not checked
	res.Body.Close()
	return res
}

// TestRegistryPageForms walks the producer's and the officer's forms without
// a browser: apply, upload, submit; propose, score, remark, decide, revoke.
func TestRegistryPageForms(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		f := &registryForms{app: app}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "the producer applies, uploads and submits through the forms", Run: f.apply},
			{Name: "the officer proposes and scores; bad scores are 400, a negative one audited", Run: f.score},
			{Name: "the officer's remark reaches the producer", Run: f.remark},
			{Name: "a decision at 49.99 issues nothing, and the producer sees why", Run: f.decide},
			{Name: "a revocation through the page; again is a conflict", Run: f.revoke},
			{Name: "the officer's pages in English render every key", Run: f.english},
		})
	})
}

// registryForms is what TestRegistryPageForms's steps share.
type registryForms struct {
	app                        *webtest.App
	code, appPath, officerPath string // the application
	certPath                   string // the revoked certificate
}

func (f *registryForms) apply(t *testing.T) {
	app := f.app.For(t)
	p := app.As("producer@example.com")
	res := p.Post("/portal/registry", "/portal/registry", url.Values{"product_name": {"Bánh khảo thử"}, "group_code": {"I.3.b"}, "kind": {"new"},
		"self_a": {"30,5"}, "self_b": {"18"}, "self_c": {"25"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create application form: %d %.300s", res.StatusCode, res.Body)
	}
	f.appPath = res.Header.Get("Location")
	f.code = strings.TrimPrefix(f.appPath, "/portal/registry/")
	f.officerPath = "/registry/applications/" + f.code
	if res := p.Post("/portal/registry", "/portal/registry", url.Values{"product_name": {"X"}, "group_code": {"I.3.b"}, "self_a": {"41"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("self-assessment above the part maximum: %d, want 400", res.StatusCode)
	}
	docs := "/portal/registry/" + f.code + "/documents"
	if res := postFile(t, app, p, f.appPath, docs, "ke-hoach.png", pdfBytes); res.StatusCode != http.StatusBadRequest {
		t.Errorf("PDF named .png: %d, want 400", res.StatusCode)
	}
	big := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), registry.MaxDocumentSize)...)
	if res := postFile(t, app, p, f.appPath, docs, "big.pdf", big); res.StatusCode/100 != 4 {
		t.Errorf("file over the limit: %d, want 4xx", res.StatusCode)
	}
	if res := postFile(t, app, p, f.appPath, docs, "ke-hoach.pdf", pdfBytes); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if !strings.Contains(string(p.Get(f.appPath).Body), "ke-hoach.pdf") {
		t.Fatal("uploaded document not listed")
	}
	if res := p.Post(f.appPath, f.appPath+"/submit", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
}

func (f *registryForms) score(t *testing.T) {
	app := f.app.For(t)
	o, op := app.As("officer@example.com"), f.officerPath
	if res := o.Post(op, op+"/propose", url.Values{"note": {"Đủ hồ sơ"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose: %d", res.StatusCode)
	}
	if res := o.Post(op, op+"/scores", url.Values{"part_a": {"40.01"}, "part_b": {"20"}, "part_c": {"20"}, "mandatory": {"pass"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("part A above 40: %d, want 400", res.StatusCode)
	}
	refused := countAudit(t, app, "refused")
	if res := o.Post(op, op+"/scores", url.Values{"part_a": {"-1"}, "part_b": {"20"}, "part_c": {"20"}, "mandatory": {"pass"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("negative part: %d, want 400", res.StatusCode)
	}
	if got := countAudit(t, app, "refused"); got != refused+1 {
		t.Errorf("a negative score typed in the form: %d refusals audited, want 1", got-refused)
	}
	if res := o.Post(op, op+"/scores", url.Values{"part_a": {"20"}, "part_b": {"15"}, "part_c": {"14,99"}, "mandatory": {"pass"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("score: %d", res.StatusCode)
	}
}

func (f *registryForms) remark(t *testing.T) {
	app := f.app.For(t)
	if res := app.As("officer@example.com").Post(f.officerPath, f.officerPath+"/remarks", url.Values{"note": {"Cần bổ sung phiếu kiểm nghiệm"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remark: %d", res.StatusCode)
	}
	if !strings.Contains(string(app.As("producer@example.com").Get(f.appPath).Body), "Cần bổ sung phiếu kiểm nghiệm") {
		t.Error("the producer does not see the officer's remark")
	}
}

func (f *registryForms) decide(t *testing.T) {
	app := f.app.For(t)
	o := app.As("officer@example.com")
	if res := o.Post("/registry/decisions/new", "/registry/decisions", url.Values{"number": {"DEMO-50/QĐ-UBND"}, "date": {day.Today().String()}, "applications": {f.code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d", res.StatusCode)
	}
	if !strings.Contains(string(app.As("producer@example.com").Get(f.appPath).Body), "Dưới 50 điểm") {
		t.Error("the producer does not see why no certificate was issued")
	}
	var a registry.Application
	app.DB.Where("code = ?", f.code).First(&a)
	if a.CertificateID != nil || a.Status != registry.StatusDecided || a.CouncilScore == nil || *a.CouncilScore != 49.99 {
		t.Fatalf("after decision at 49.99: %+v", a)
	}
	if home := o.Get("/registry"); home.StatusCode != 200 || !strings.Contains(string(home.Body), `id="glance"`) {
		t.Errorf("registry home: %d", home.StatusCode)
	}
}

func (f *registryForms) revoke(t *testing.T) {
	app := f.app.For(t)
	var c registry.Certificate
	app.DB.Where("province_code = ? AND revoked_on IS NULL", "20").First(&c)
	f.certPath = "/registry/certificates/" + c.Code
	webtest.RunScenarios(t, app, []webtest.Scenario{
		{Name: "revoke", As: "officer@example.com", Method: "POST", URL: f.certPath + "/revoke", FormPage: f.certPath,
			Form: url.Values{"decision_no": {"DEMO-51"}, "date": {day.Today().String()}, "reason": {"Cơ sở ngừng sản xuất"}}, Status: http.StatusSeeOther},
		{Name: "revoking a revoked certificate", As: "officer@example.com", Method: "POST", URL: f.certPath + "/revoke", FormPage: f.certPath,
			Form: url.Values{"decision_no": {"DEMO-52"}, "date": {day.Today().String()}, "reason": {"again"}}, Status: http.StatusConflict},
	})
}

func (f *registryForms) english(t *testing.T) {
	o := f.app.For(t).As("officer@example.com")
	o.Get("/lang/en")
	for _, path := range []string{"/registry", "/registry/applications", f.officerPath, "/registry/certificates", f.certPath, "/registry/decisions/new"} {
		res := o.Get(path)
		if m := untranslated.Find(res.Body); res.StatusCode != 200 || m != nil {
			t.Errorf("%s in English: %d, untranslated %q", path, res.StatusCode, m)
		}
	}
}
