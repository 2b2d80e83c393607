package web_test

import (
	"net/http"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/qr/qrtest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

type appJSON struct {
	Code            string   `json:"code"`
	Status          string   `json:"status"`
	CertificateCode string   `json:"certificate_code"`
	CouncilScore    *float64 `json:"council_score"`
	Documents       []struct {
		ID int64 `json:"id"`
	} `json:"documents"`
	NoCertificateReason string `json:"no_certificate_reason"`
}

type decisionJSON struct {
	Results []struct {
		Application string  `json:"application"`
		Status      string  `json:"status"`
		Score       float64 `json:"score"`
		Stars       int     `json:"stars"`
		Forwarded   bool    `json:"forwarded"`
		Reason      string  `json:"reason"`
		Certificate *struct {
			Code           string `json:"code"`
			Stars          int    `json:"stars"`
			AuthorityLevel string `json:"authority_level"`
			ValidUntil     string `json:"valid_until"`
		} `json:"certificate"`
	} `json:"results"`
}

type verifyJSON struct {
	Valid        bool    `json:"valid"`
	Status       string  `json:"status"`
	StatusSince  *string `json:"status_since"`
	Stars        int     `json:"stars"`
	ProductName  string  `json:"product_name"`
	SupersededBy string  `json:"superseded_by"`
	VerifyURL    string  `json:"verify_url"`
}

// lifecycle drives one application from draft to decision and returns the decision result.
type lifecycle struct {
	regClient
	producer, officer, member2 string
}

func (l lifecycle) apply(body map[string]any) appJSON {
	l.t.Helper()
	var a appJSON
	l.do(l.producer, "POST", "/api/v1/portal/applications", body, http.StatusCreated).JSON(l.t, &a)
	return a
}

func (l lifecycle) toScored(code string, withDoc bool, sheets ...map[string]any) {
	l.t.Helper()
	if withDoc {
		l.upload(l.producer, code, "don-dang-ky.pdf", pdfBytes, http.StatusCreated)
	}
	l.do(l.producer, "POST", "/api/v1/portal/applications/"+code+"/submit", nil, http.StatusOK)
	l.do(l.officer, "POST", "/api/v1/registry/applications/"+code+"/propose", map[string]string{"note": "UBND xã đề xuất"}, http.StatusOK)
	for i, sh := range sheets {
		tok := l.officer
		if i == 1 {
			tok = l.member2
		}
		l.do(tok, "POST", "/api/v1/registry/applications/"+code+"/scores", sh, http.StatusCreated)
	}
}

func (l lifecycle) decide(tok, number string, date day.Date, codes ...string) decisionJSON {
	l.t.Helper()
	var d decisionJSON
	l.do(tok, "POST", "/api/v1/registry/decisions", map[string]any{"number": number, "date": date, "signatory": "Phó Chủ tịch", "applications": codes}, http.StatusCreated).JSON(l.t, &d)
	return d
}

func (l lifecycle) verify(code string) verifyJSON {
	l.t.Helper()
	var v verifyJSON
	l.do("", "GET", "/api/v1/verify/"+code, nil, http.StatusOK).JSON(l.t, &v)
	return v
}

func sheet(a, b, c float64, pass bool) map[string]any {
	return map[string]any{"criteria_version": "148", "part_a": a, "part_b": b, "part_c": c, "bonus": 0, "mandatory_passed": pass}
}

// at is l reporting to t (a step's subtest).
func (l lifecycle) at(t *testing.T) lifecycle {
	l.regClient = regClient{t, l.app.For(t)}
	return l
}

// TestRegistryLifecycle: apply → propose → score → decide → verify → expire →
// renew → upgrade → revoke, and the 5★ path through the central level.
func TestRegistryLifecycle(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		j := &registryJourney{lifecycle: newLifecycle(t, app), today: day.Today()}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "a 3★ application: bad files and an empty dossier are refused", Run: j.apply},
			{Name: "scored: submitting, proposing or scoring again is a conflict", Run: j.scored},
			{Name: "bad decisions change nothing and are audited", Run: j.badDecisions},
			{Name: "decided at 65: a 3★ certificate that verifies, with its QR", Run: j.decide},
			{Name: "a 4★ decided in early 2023 has expired; the sweep is idempotent", Run: j.expired},
			{Name: "a renewal of the expired certificate reuses its dossier", Run: j.renew},
			{Name: "an upgrade 3★ → 4★ supersedes the old one on the new decision's date", Run: j.upgrade},
			{Name: "revoke: wrong province, future date, then for real, then again; audited", Run: j.revoke},
			{Name: "90 or more goes to the central level, which recognises 5★", Run: j.central},
			{Name: "a failed mandatory criterion: no certificate, with a reason", Run: j.failedMandatory},
		})
	})
}

// registryJourney is what TestRegistryLifecycle's steps share.
type registryJourney struct {
	lifecycle
	today      day.Date
	a1         string // the 3★ application
	c1, c2, c4 string // certificates: 3★, expired 4★, upgrade
}

func (j *registryJourney) apply(t *testing.T) {
	l := j.at(t)
	a1 := l.apply(map[string]any{"product_name": "Thạch đen thử nghiệm", "group_code": "I.3.c", "self_assessment": map[string]any{"part_a": 30, "part_b": 15.5, "part_c": 20}})
	if a1.Status != "draft" {
		t.Fatalf("new application status %q", a1.Status)
	}
	j.a1 = a1.Code
	l.upload(l.producer, a1.Code, "anh.pdf", pngHeaderBytes, http.StatusBadRequest) // a PNG named .pdf
	l.upload(l.producer, a1.Code, "virus.exe", pdfBytes, http.StatusBadRequest)
	l.do(l.producer, "POST", "/api/v1/portal/applications/"+a1.Code+"/submit", nil, http.StatusBadRequest) // no documents yet
}

func (j *registryJourney) scored(t *testing.T) {
	l := j.at(t)
	l.toScored(j.a1, true, sheet(26, 15, 24, true), sheet(25, 15, 25, true)) // 65 and 65
	l.do(l.producer, "POST", "/api/v1/portal/applications/"+j.a1+"/submit", nil, http.StatusConflict)
	l.do(l.officer, "POST", "/api/v1/registry/applications/"+j.a1+"/propose", map[string]string{}, http.StatusConflict)
	l.do(l.officer, "POST", "/api/v1/registry/applications/"+j.a1+"/scores", sheet(26, 15, 24, true), http.StatusConflict) // one sheet per member
}

func (j *registryJourney) badDecisions(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	l.do(l.officer, "POST", "/api/v1/registry/decisions", map[string]any{"number": "DEMO-1/QĐ-UBND", "date": j.today.AddDays(1), "applications": []string{j.a1}}, http.StatusBadRequest)
	refusedBefore := countAudit(t, app, "refused")
	l.do(app.TokenOf("officer.hanoi@example.com"), "POST", "/api/v1/registry/decisions", map[string]any{"number": "DEMO-1/QĐ-UBND", "date": j.today, "applications": []string{j.a1}}, http.StatusForbidden)
	if got := countAudit(t, app, "refused"); got <= refusedBefore {
		t.Errorf("officer of another province: refused attempt not audited (%d → %d)", refusedBefore, got)
	}
	if st := statusOfApp(t, app, j.a1); st != "scored" {
		t.Fatalf("after refused decisions the application is %s, want scored", st)
	}
}

func (j *registryJourney) decide(t *testing.T) {
	l := j.at(t)
	d1 := l.decide(l.officer, "DEMO-1/QĐ-UBND", j.today, j.a1)
	if r := d1.Results[0]; r.Stars != 3 || r.Certificate == nil || r.Status != "decided" {
		t.Fatalf("decision at 65: %+v", r)
	}
	j.c1 = d1.Results[0].Certificate.Code
	if want := registry.ValidUntilFor(j.today).String(); d1.Results[0].Certificate.ValidUntil != want {
		t.Errorf("valid until %s, want %s", d1.Results[0].Certificate.ValidUntil, want)
	}
	l.do(l.officer, "POST", "/api/v1/registry/decisions", map[string]any{"number": "DEMO-1b/QĐ-UBND", "date": j.today, "applications": []string{j.a1}}, http.StatusConflict)
	v := l.verify(j.c1)
	if !v.Valid || v.Status != "active" || v.Stars != 3 || v.ProductName != "Thạch đen thử nghiệm" {
		t.Fatalf("verify new certificate: %+v", v)
	}
	png := l.do("", "GET", "/api/v1/certificates/"+j.c1+"/qr.png", nil, http.StatusOK)
	if got, err := qrtest.DecodePNG(png.Body); err != nil || got != j.app.Config.BaseURL+"/verify/"+j.c1 {
		t.Fatalf("QR decodes to %q (%v), want the verify URL", got, err)
	}
}

// expired: a 4★ decided in early 2023 (two members, average 72.25) has
// expired by now, and the expiry sweep records it once.
func (j *registryJourney) expired(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	a2 := l.apply(map[string]any{"product_name": "Miến dong thử nghiệm", "group_code": "I.3.b"})
	l.toScored(a2.Code, true, sheet(30, 20, 25, true), sheet(29.5, 20, 20, true))
	old := day.New(2023, 1, 10)
	backdateSubmission(t, app, a2.Code, old.AddDays(-30)) // a decision never predates the submission
	d2 := l.decide(l.officer, "DEMO-2/QĐ-UBND", old, a2.Code)
	if r := d2.Results[0]; r.Score != 72.25 || r.Stars != 4 {
		t.Fatalf("council average: %+v, want 72.25 and 4★", r)
	}
	j.c2 = d2.Results[0].Certificate.Code
	if v := l.verify(j.c2); v.Valid || v.Status != "expired" || v.StatusSince == nil || *v.StatusSince != "2026-01-10" {
		t.Fatalf("expired certificate: %+v", v)
	}
	svc := registry.NewService(app.DB, nil, nil)
	n1, err := svc.SweepExpiries(t.Context())
	if err != nil || n1 < 1 {
		t.Fatalf("first sweep recorded %d (%v), want at least 1", n1, err)
	}
	if n2, err := svc.SweepExpiries(t.Context()); err != nil || n2 != 0 {
		t.Fatalf("second sweep recorded %d (%v), want 0: the sweep must be idempotent", n2, err)
	}
}

func (j *registryJourney) renew(t *testing.T) {
	l := j.at(t)
	a3 := l.apply(map[string]any{"kind": "renewal", "product_name": "Miến dong thử nghiệm", "group_code": "I.3.b", "previous_certificate": j.c2})
	var a3d appJSON
	l.do(l.producer, "GET", "/api/v1/portal/applications/"+a3.Code, nil, http.StatusOK).JSON(t, &a3d)
	if len(a3d.Documents) != 1 {
		t.Fatalf("renewal reused %d documents, want 1", len(a3d.Documents))
	}
	l.toScored(a3.Code, false, sheet(31, 20, 25, true))
	c3 := l.decide(l.officer, "DEMO-3/QĐ-UBND", j.today, a3.Code).Results[0].Certificate.Code
	if v := l.verify(j.c2); v.Status != "expired" {
		t.Errorf("an expired certificate renewed later stays expired, got %s", v.Status)
	}
	if v := l.verify(c3); !v.Valid || v.Stars != 4 {
		t.Errorf("renewed certificate: %+v", v)
	}
}

func (j *registryJourney) upgrade(t *testing.T) {
	l := j.at(t)
	a4 := l.apply(map[string]any{"kind": "upgrade", "product_name": "Thạch đen thử nghiệm", "group_code": "I.3.c", "previous_certificate": j.c1})
	l.toScored(a4.Code, false, sheet(32, 20, 28, true))
	j.c4 = l.decide(l.officer, "DEMO-4/QĐ-UBND", j.today, a4.Code).Results[0].Certificate.Code
	if v := l.verify(j.c1); v.Valid || v.Status != "superseded" || v.SupersededBy != j.c4 || v.StatusSince == nil || *v.StatusSince != j.today.String() {
		t.Fatalf("upgraded certificate: %+v, want superseded by %s on %s", v, j.c4, j.today)
	}
}

func (j *registryJourney) revoke(t *testing.T) {
	l, revoke := j.at(t), "/api/v1/registry/certificates/"+j.c4+"/revoke"
	l.do(j.app.For(t).TokenOf("officer.hanoi@example.com"), "POST", revoke, map[string]any{"decision_no": "DEMO-9", "date": j.today, "reason": "x"}, http.StatusForbidden)
	l.do(l.officer, "POST", revoke, map[string]any{"decision_no": "DEMO-9", "date": j.today.AddDays(2), "reason": "x"}, http.StatusBadRequest)
	l.do(l.officer, "POST", revoke, map[string]any{"decision_no": "DEMO-9/QĐ-UBND", "date": j.today, "reason": "Bao bì khác mẫu đã công nhận"}, http.StatusOK)
	l.do(l.officer, "POST", revoke, map[string]any{"decision_no": "DEMO-10", "date": j.today, "reason": "again"}, http.StatusConflict)
	if v := l.verify(j.c4); v.Valid || v.Status != "revoked" {
		t.Fatalf("revoked certificate verifies as %+v", v)
	}
	var audit struct {
		Items []struct{ Action, Outcome, Actor string } `json:"items"`
	}
	l.do(l.officer, "GET", "/api/v1/registry/certificates/"+j.c4+"/audit", nil, http.StatusOK).JSON(t, &audit)
	var refused, revoked int
	for _, e := range audit.Items {
		if e.Action == "certificate.revoke" && e.Outcome == "refused" {
			refused++
		}
		if e.Action == "certificate.revoke" && e.Outcome == "ok" {
			revoked++
		}
	}
	if refused < 3 || revoked != 1 {
		t.Errorf("certificate audit: %d refused and %d ok revocations, want ≥3 and 1: %+v", refused, revoked, audit.Items)
	}
}

func (j *registryJourney) central(t *testing.T) {
	l := j.at(t)
	a5 := l.apply(map[string]any{"product_name": "Chè thử nghiệm", "group_code": "I.5.a"})
	l.toScored(a5.Code, true, sheet(38, 24, 30, true)) // 92
	if r := l.decide(l.officer, "DEMO-5/QĐ-UBND", j.today, a5.Code).Results[0]; !r.Forwarded || r.Certificate != nil || r.Status != "forwarded" {
		t.Fatalf("92 at the province: %+v, want forwarded without certificate", r)
	}
	central := j.app.For(t).TokenOf("central@example.com")
	l.do(central, "POST", "/api/v1/registry/applications/"+a5.Code+"/scores", sheet(39, 24, 30, true), http.StatusCreated)
	r := l.decide(central, "DEMO-6/QĐ-BNNMT", j.today, a5.Code).Results[0]
	if r.Stars != 5 || r.Certificate == nil || r.Certificate.AuthorityLevel != "central" {
		t.Fatalf("central decision at 93: %+v", r)
	}
}

func (j *registryJourney) failedMandatory(t *testing.T) {
	l := j.at(t)
	a6 := l.apply(map[string]any{"product_name": "Rượu thử nghiệm", "group_code": "II.1.a"})
	l.toScored(a6.Code, true, sheet(35, 22, 30, false))
	if r := l.decide(l.officer, "DEMO-7/QĐ-UBND", j.today, a6.Code).Results[0]; r.Certificate != nil || r.Reason == "" || r.Status != "decided" {
		t.Fatalf("failed mandatory criterion: %+v", r)
	}
}
