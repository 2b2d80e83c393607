package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestAuthorityFollowsTheIssuer: a central certificate is revoked, renewed
// and replaced by the central level only. A province that tries gets 403
// (audited, nothing changes) and may instead propose the revocation, which
// central officers see; a province's renewal scoring below 90 issues the
// province's own certificate and leaves the central one alone; a central
// upgrade may replace a province's certificate.
func TestAuthorityFollowsTheIssuer(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		j := &issuerJourney{lifecycle: lifecycle{regClient: regClient{t, app}, producer: app.TokenOf("producer@example.com"), officer: app.TokenOf("officer@example.com")},
			today: day.Today()}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "a 5★ through the central level", Run: j.central5},
			{Name: "the province may not revoke it (403, audited) nor replace it by an import", Run: j.provinceMayNot},
			{Name: "the province's page offers a proposal, not a revocation", Run: j.provincePage},
			{Name: "refused proposals record nothing", Run: j.refusedProposals},
			{Name: "a proposal revokes nothing; central officers see it, another province does not", Run: j.propose},
			{Name: "a province's renewal below 90 issues its own 4★ and leaves the central 5★", Run: j.provinceRenewal},
			{Name: "a central upgrade replaces the province's certificate", Run: j.centralUpgrade},
			{Name: "the central level revokes its own, not a province's", Run: j.centralRevokes},
		})
	})
}

// issuerJourney is what TestAuthorityFollowsTheIssuer's steps share.
type issuerJourney struct {
	lifecycle
	today  day.Date
	c5     string               // the central 5★
	stored registry.Certificate // its row
	c4     string               // the province's renewal
}

func (j *issuerJourney) central5(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	central := app.TokenOf("central@example.com")
	a := l.apply(map[string]any{"product_name": "Chè issuer thử", "group_code": "I.5.a"})
	l.toScored(a.Code, true, sheet(38, 24, 30, true))
	l.decide(l.officer, "DEMO-I1/QĐ-UBND", j.today, a.Code)
	l.do(central, "POST", "/api/v1/registry/applications/"+a.Code+"/scores", sheet(39, 24, 30, true), http.StatusCreated)
	j.c5 = l.decide(central, "DEMO-I2/QĐ-BNNMT", j.today, a.Code).Results[0].Certificate.Code
	app.DB.Where("code = ?", j.c5).First(&j.stored)
	if j.stored.AuthorityName != registry.CentralAuthority || j.stored.AuthorityLevel != registry.AuthorityCentral {
		t.Fatalf("central certificate issued by %q (%s)", j.stored.AuthorityName, j.stored.AuthorityLevel)
	}
}

func (j *issuerJourney) provinceMayNot(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	refused := refusedAudits(t, app, "certificate.revoke")
	l.do(l.officer, "POST", "/api/v1/registry/certificates/"+j.c5+"/revoke", map[string]any{"decision_no": "DEMO-R/QĐ-UBND", "date": j.today, "reason": "Vi phạm"}, http.StatusForbidden)
	if v := l.verify(j.c5); !v.Valid {
		t.Fatalf("a province's refused revocation changed the central certificate: %+v", v)
	}
	if refusedAudits(t, app, "certificate.revoke") != refused+1 {
		t.Error("the province's revocation of a central certificate was not audited")
	}
	imp := map[string]any{"producer_slug": banhSlug, "product_name": "Chè issuer thử", "group_code": "I.5.a", "authority_level": "province",
		"decision_no": "DEMO-I3/QĐ-UBND", "decision_date": j.today.AddDays(-1), "stars": 4, "score": 80, "criteria_version": "148", "supersedes": j.c5}
	l.do(l.officer, "POST", "/api/v1/registry/certificates/import", imp, http.StatusForbidden)
}

func (j *issuerJourney) provincePage(t *testing.T) {
	page := string(j.app.For(t).As("officer@example.com").Get("/registry/certificates/" + j.c5).Body)
	if strings.Contains(page, `id="revoke-form"`) || !strings.Contains(page, `id="propose-form"`) {
		t.Error("the province's page of a central certificate should offer a proposal, not a revocation")
	}
}

func (j *issuerJourney) refusedProposals(t *testing.T) {
	proposeURL := "/api/v1/registry/certificates/" + j.c5 + "/revocation-proposals"
	refused := func(name, as string, body any, want int) webtest.Scenario {
		var n int64
		return webtest.Scenario{Name: name, As: as, Method: "POST", URL: proposeURL, Body: body, Status: want,
			Before: func(t *testing.T, app *webtest.App) { n = countRows(t, app, &registry.RevocationProposal{}, "") },
			Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
				if countRows(t, app, &registry.RevocationProposal{}, "") != n {
					t.Errorf("a refused proposal was recorded")
				}
			}}
	}
	webtest.RunScenarios(t, j.app, []webtest.Scenario{
		refused("no reason", "officer@example.com", map[string]any{"reason": ""}, http.StatusBadRequest),
		refused("control characters only", "officer@example.com", map[string]any{"reason": "\x00\x01"}, http.StatusBadRequest),
		refused("another province", "officer.hanoi@example.com", map[string]any{"reason": "x"}, http.StatusForbidden),
		refused("the central level itself", "central@example.com", map[string]any{"reason": "x"}, http.StatusForbidden),
		refused("a producer", "producer@example.com", map[string]any{"reason": "x"}, http.StatusForbidden),
	})
}

// proposals is the list of revocation proposals an officer sees.
type proposals struct {
	Items []struct {
		ID      int64 `json:"id"`
		Revoked bool  `json:"certificate_revoked"`
	} `json:"items"`
}

func (j *issuerJourney) propose(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	var prop struct {
		ID          int64  `json:"id"`
		Certificate string `json:"certificate"`
	}
	l.do(l.officer, "POST", "/api/v1/registry/certificates/"+j.c5+"/revocation-proposals", map[string]any{"reason": "Cơ sở ngừng sản xuất"}, http.StatusCreated).JSON(t, &prop)
	if v := l.verify(j.c5); !v.Valid || prop.Certificate != j.c5 {
		t.Fatalf("a proposal revoked the certificate (or named another): %+v, %+v", v, prop)
	}
	var list proposals
	l.do(app.TokenOf("central@example.com"), "GET", "/api/v1/registry/revocation-proposals", nil, http.StatusOK).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != prop.ID {
		t.Errorf("central officers see proposals %+v, want the one made", list.Items)
	}
	l.do(app.TokenOf("officer.hanoi@example.com"), "GET", "/api/v1/registry/revocation-proposals", nil, http.StatusOK).JSON(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("another province sees Lạng Sơn's proposals: %+v", list.Items)
	}
	if page := string(app.As("central@example.com").Get("/registry/proposals").Body); !strings.Contains(page, "Cơ sở ngừng sản xuất") || !strings.Contains(page, "/registry/certificates/"+j.c5) {
		t.Error("the central officers' proposals page does not show the proposal")
	}
}

func (j *issuerJourney) provinceRenewal(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	ren := l.apply(map[string]any{"kind": "renewal", "product_name": "Chè issuer thử", "group_code": "I.5.a", "previous_certificate": j.c5})
	l.toScored(ren.Code, false, sheet(32, 20, 28, true))
	j.c4 = l.decide(l.officer, "DEMO-I4/QĐ-UBND", j.today, ren.Code).Results[0].Certificate.Code
	if v := l.verify(j.c5); !v.Valid || v.Status != "active" {
		t.Errorf("a province's renewal replaced the central certificate: %+v", v)
	}
	if countRows(t, app, &registry.AuditEntry{}, "action = ? AND outcome = ? AND certificate_id = ?", "certificate.supersede", "refused", j.stored.ID) != 1 {
		t.Error("the refused replacement of the central certificate is not in its audit log")
	}
	var c4row registry.Certificate
	app.DB.Where("code = ?", j.c4).First(&c4row)
	if c4row.AuthorityName != "UBND tỉnh Lạng Sơn" {
		t.Errorf("a province decision names its authority %q, want the record's official name", c4row.AuthorityName)
	}
}

func (j *issuerJourney) centralUpgrade(t *testing.T) {
	l := j.at(t)
	central := j.app.For(t).TokenOf("central@example.com")
	up := l.apply(map[string]any{"kind": "upgrade", "product_name": "Chè issuer thử", "group_code": "I.5.a", "previous_certificate": j.c4})
	l.toScored(up.Code, false, sheet(38, 24, 30, true))
	l.decide(l.officer, "DEMO-I5/QĐ-UBND", j.today, up.Code)
	l.do(central, "POST", "/api/v1/registry/applications/"+up.Code+"/scores", sheet(39, 24, 30, true), http.StatusCreated)
	c5b := l.decide(central, "DEMO-I6/QĐ-BNNMT", j.today, up.Code).Results[0].Certificate.Code
	if v := l.verify(j.c4); v.Status != "superseded" || v.SupersededBy != c5b {
		t.Errorf("the central upgrade did not replace the province's certificate: %+v", v)
	}
}

func (j *issuerJourney) centralRevokes(t *testing.T) {
	l, app := j.at(t), j.app.For(t)
	central := app.TokenOf("central@example.com")
	l.do(central, "POST", "/api/v1/registry/certificates/"+j.c5+"/revoke", map[string]any{"decision_no": "DEMO-R/QĐ-BNNMT", "date": j.today, "reason": "Theo đề nghị của tỉnh"}, http.StatusOK)
	var list proposals
	l.do(central, "GET", "/api/v1/registry/revocation-proposals", nil, http.StatusOK).JSON(t, &list)
	if len(list.Items) != 1 || !list.Items[0].Revoked {
		t.Errorf("after the revocation the proposal shows %+v", list.Items)
	}
	var lsCert registry.Certificate
	app.DB.Where("province_code = ? AND authority_level = ? AND revoked_on IS NULL", "20", "province").First(&lsCert)
	l.do(central, "POST", "/api/v1/registry/certificates/"+lsCert.Code+"/revoke", map[string]any{"decision_no": "DEMO-R2", "date": j.today, "reason": "x"}, http.StatusForbidden)
	// A province's proposal about its own certificate is refused: it revokes it itself.
	l.do(l.officer, "POST", "/api/v1/registry/certificates/"+lsCert.Code+"/revocation-proposals", map[string]any{"reason": "x"}, http.StatusConflict)
}

// TestAuthoritiesAreRecords: one authority per province (official names
// from the units) and one central; only an admin records a name or a
// go-live day, every bad input is a 4xx that changes nothing.
func TestAuthoritiesAreRecords(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		admin := app.Token("admin@example.com")
		var list struct {
			Items []struct {
				Key, Level, Name string
				GoLiveOn         *string `json:"go_live_on"`
			} `json:"items"`
		}
		r.do(admin, "GET", "/api/v1/admin/authorities", nil, http.StatusOK).JSON(t, &list)
		names := map[string]string{}
		for _, a := range list.Items {
			names[a.Key] = a.Name
		}
		if len(list.Items) != 35 || list.Items[0].Key != "central" || names["central"] != registry.CentralAuthority ||
			names["20"] != "UBND tỉnh Lạng Sơn" || names["01"] != "UBND thành phố Hà Nội" || names["79"] != "UBND thành phố Hồ Chí Minh" {
			t.Fatalf("authorities: %d, central %q, 20 %q, 01 %q, 79 %q", len(list.Items), names["central"], names["20"], names["01"], names["79"])
		}

		read := func() registry.Authority {
			var a registry.Authority
			app.DB.Where("province_code = ?", "20").First(&a)
			return a
		}
		before := read()
		bad := func(name, as, key string, body any, want int) webtest.Scenario {
			return webtest.Scenario{Name: name, As: as, Method: "PUT", URL: "/api/v1/admin/authorities/" + key, Body: body, Status: want,
				Check: func(t *testing.T, _ *webtest.App, _ *webtest.Response) {
					if after := read(); after.Name != before.Name || !after.GoLiveOn.Equal(before.GoLiveOn) {
						t.Errorf("the authority changed to %+v", after)
					}
				}}
		}
		const adminEmail = "admin@example.com"
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "an officer may not list them", As: "officer@example.com", URL: "/api/v1/admin/authorities", Status: http.StatusForbidden},
			{Name: "a visitor may not list them", URL: "/api/v1/admin/authorities", Status: http.StatusUnauthorized},
			bad("officer", "officer@example.com", "20", map[string]any{"name": "X"}, http.StatusForbidden),
			bad("empty name", adminEmail, "20", map[string]any{"name": ""}, http.StatusBadRequest),
			bad("blank name", adminEmail, "20", map[string]any{"name": "   "}, http.StatusBadRequest),
			bad("NUL in the name", adminEmail, "20", map[string]any{"name": "UBND\x00tỉnh"}, http.StatusBadRequest),
			bad("long name", adminEmail, "20", map[string]any{"name": strings.Repeat("x", 201)}, http.StatusBadRequest),
			bad("another authority's name", adminEmail, "20", map[string]any{"name": "UBND tỉnh Cao Bằng"}, http.StatusConflict),
			bad("go-live far ahead", adminEmail, "20", map[string]any{"name": "UBND tỉnh Lạng Sơn", "go_live_on": "2199-01-01"}, http.StatusBadRequest),
			bad("go-live not a date", adminEmail, "20", map[string]any{"name": "UBND tỉnh Lạng Sơn", "go_live_on": "31/12/2025"}, http.StatusBadRequest),
			bad("unknown authority", adminEmail, "99", map[string]any{"name": "UBND tỉnh X"}, http.StatusNotFound),
		})
		goLive := day.New(2026, 1, 1)
		r.do(admin, "PUT", "/api/v1/admin/authorities/20", map[string]any{"name": " UBND  tỉnh Lạng Sơn ", "go_live_on": goLive}, http.StatusOK)
		if a := read(); a.Name != "UBND tỉnh Lạng Sơn" || !a.GoLiveOn.Equal(goLive) {
			t.Errorf("after the update: %+v", a)
		}
		if countRows(t, app, &registry.AuditEntry{}, "action = ? AND outcome = ?", "authority.update", "ok") != 1 {
			t.Error("the update is not audited")
		}
		// The admin page: one form per authority; an empty go-live day clears it.
		b := app.Browser()
		b.Login("admin@example.com")
		if page := string(b.Get("/admin/authorities").Body); !strings.Contains(page, `id="authority-20"`) || !strings.Contains(page, `value="2026-01-01"`) {
			t.Error("the admin page does not show Lạng Sơn's authority with its go-live day")
		}
		if res := b.Post("/admin/authorities", "/admin/authorities/20", url.Values{"name": {"UBND tỉnh Lạng Sơn"}, "go_live_on": {""}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("page form: status %d", res.StatusCode)
		}
		if a := read(); !a.GoLiveOn.IsZero() {
			t.Errorf("an empty go-live day did not clear it: %s", a.GoLiveOn)
		}
		if res := b.Post("/admin/authorities", "/admin/authorities/20", url.Values{"name": {"UBND tỉnh Lạng Sơn"}, "go_live_on": {"hôm qua"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("page form with a bad date: status %d, want 400", res.StatusCode)
		}
		o := app.Browser()
		o.Login("officer@example.com")
		if res := o.Get("/admin/authorities"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an officer opens the authorities page: %d", res.StatusCode)
		}
	})
}
