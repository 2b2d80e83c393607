package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	ptext "github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// Tests of commune officers and of a province going live without code
// (issue 12): a commune officer sees their commune's applications at the
// proposal stage and records the proposal, and is refused at every other
// door; Cao Bằng is onboarded by an admin and runs an application to a
// certificate, with Lạng Sơn and Cao Bằng invisible to each other.

// appCode is the code of the seeded application for product.
func appCode(t *testing.T, app *webtest.App, product string) string {
	t.Helper()
	var code string
	app.DB.Model(&registry.Application{}).Where("product_name = ? AND status <> ?", product, registry.StatusDraft).Limit(1).Pluck("code", &code)
	if code == "" {
		t.Fatalf("no application for %s", product)
	}
	return code
}

// TestCommuneOfficerScope: the demo commune officer of Chi Lăng proposes
// Chi Lăng's application, the province sees who proposed, and every other
// door of the registry is closed to them.
func TestCommuneOfficerScope(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		const commune = "commune@example.com"
		na := appCode(t, app, "Na Chi Lăng")         // submitted, in Xã Chi Lăng
		quyt := appCode(t, app, "Quýt vàng Bắc Sơn") // proposed, another commune
		hong := appCode(t, app, "Hồng không hạt Bảo Lâm")
		var cert string
		app.DB.Model(&registry.Certificate{}).Where("province_code = ?", "20").Limit(1).Pluck("code", &cert)
		forbidden := func(method, url string) webtest.Scenario {
			return webtest.Scenario{Method: method, URL: url, As: commune, Status: http.StatusForbidden, Unchanged: method != "GET"}
		}
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "their queue holds their commune's application only", URL: "/api/v1/registry/applications", As: commune, Status: 200,
				Contains: []string{na}, NotContains: []string{quyt, hong}},
			{Name: "they read it", URL: "/api/v1/registry/applications/" + na, As: commune, Status: 200},
			{Name: "another commune's application", URL: "/api/v1/registry/applications/" + quyt, As: commune, Status: 403},
			{Name: "a scored application", URL: "/api/v1/registry/applications/" + hong, As: commune, Status: 403},
			{Name: "the registry home sends them to their queue", URL: "/registry", As: commune, Status: 303, Location: "/registry/applications"},
			{Name: "their queue page", URL: "/registry/applications", As: commune, Status: 200, Contains: []string{"Na Chi Lăng"}, NotContains: []string{"Quýt vàng"}},
			forbidden("GET", "/registry/certificates"),
			forbidden("GET", "/registry/certificates/export.csv"),
			forbidden("GET", "/registry/certificates/"+cert),
			forbidden("GET", "/registry/imports"),
			forbidden("GET", "/registry/imports/bulk"),
			forbidden("GET", "/registry/decisions"),
			forbidden("GET", "/registry/decisions/new"),
			forbidden("GET", "/registry/proposals"),
			forbidden("GET", "/api/v1/certificates/export"),
			forbidden("GET", "/api/v1/registry/imports"),
			forbidden("GET", "/api/v1/registry/decisions"),
			forbidden("GET", "/api/v1/registry/certificates/expiring"),
			forbidden("GET", "/api/v1/registry/certificates/"+cert+"/audit"),
			forbidden("GET", "/api/v1/registry/revocation-proposals"),
			{Name: "import a certificate", Method: "POST", URL: "/api/v1/registry/certificates/import", As: commune, Body: importBody(day.Today().AddDays(-50), "COMMUNE/1"),
				Status: http.StatusForbidden, Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					if n := countRows(t, app, &registry.Certificate{}, "number = ?", "COMMUNE/1"); n != 0 {
						t.Error("a commune officer imported a certificate")
					}
				}},
			{Name: "record a decision", Method: "POST", URL: "/api/v1/registry/decisions", As: commune, Body: map[string]any{"number": "1/QĐ", "date": day.Today(),
				"signatory": "x", "applications": []string{na}}, Status: http.StatusForbidden, Unchanged: true},
			{Name: "propose another commune's application", Method: "POST", URL: "/api/v1/registry/applications/" + quyt + "/propose", As: commune,
				Body: map[string]string{"note": "x"}, Status: http.StatusForbidden},
			{Name: "propose their commune's", Method: "POST", URL: "/api/v1/registry/applications/" + na + "/propose", As: commune,
				Body: map[string]string{"note": "UBND xã Chi Lăng đề xuất"}, Status: 200, Contains: []string{`"status":"proposed"`}},
			{Name: "score what they proposed", Method: "POST", URL: "/api/v1/registry/applications/" + na + "/scores", As: commune,
				Body: sheet(30, 20, 25, true), Status: http.StatusForbidden, Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					if st := statusOfApp(t, app, na); st != "proposed" {
						t.Errorf("the application is %s", st)
					}
				}},
			{Name: "the province sees who proposed", URL: "/api/v1/registry/applications/" + na, As: "officer@example.com", Status: 200,
				Contains: []string{`"proposed_by":"commune@example.com"`}},
			{Name: "the producer does not", URL: "/api/v1/portal/applications/" + na, As: "producer@example.com", Status: 200,
				NotContains: []string{"commune@example.com"}},
			{Name: "Hà Nội still sees nothing", URL: "/api/v1/registry/applications/" + na, As: "officer.hanoi@example.com", Status: 403},
		})
	})
}

// TestAnotherProvinceGoesLive: an admin records Cao Bằng's authority and
// go-live day and creates its officers (province and commune); a Cao Bằng
// producer's application goes from the commune's proposal to a certificate
// of UBND tỉnh Cao Bằng; the two provinces see nothing of each other.
func TestAnotherProvinceGoesLive(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		const caoBang = "04"
		r := regClient{t, app}
		admin := app.TokenOf("admin@example.com")
		var communeCode string
		app.DB.Table("communes").Where("province_code = ?", caoBang).Order("code").Limit(1).Pluck("code", &communeCode)
		if communeCode == "" {
			t.Fatal("the seed has no commune of Cao Bằng")
		}
		r.do(admin, "PUT", "/api/v1/admin/authorities/"+caoBang, map[string]any{"name": "UBND tỉnh Cao Bằng", "go_live_on": day.Today().AddDays(-1)}, http.StatusOK)
		officer := func(email, level, commune string) map[string]any {
			return map[string]any{"email": email, "name": "Cán bộ " + email, "password": seed.DemoPassword, "level": level, "province_code": caoBang, "commune_code": commune}
		}
		r.do(admin, "POST", "/api/v1/admin/officers", officer("so.caobang@example.com", "province", ""), http.StatusCreated)
		r.do(admin, "POST", "/api/v1/admin/officers", officer("so2.caobang@example.com", "province", ""), http.StatusCreated)
		r.do(admin, "POST", "/api/v1/admin/officers", officer("xa.caobang@example.com", "commune", communeCode), http.StatusCreated)
		r.do(admin, "POST", "/api/v1/admin/officers", officer("xa.sai@example.com", "commune", "99999"), http.StatusBadRequest)
		r.do(admin, "POST", "/api/v1/admin/officers", officer("so.caobang@example.com", "province", ""), http.StatusConflict)
		r.do(app.TokenOf("officer@example.com"), "POST", "/api/v1/admin/officers", officer("x@example.com", "province", ""), http.StatusForbidden)
		var lsCommune string
		app.DB.Table("communes").Where("province_code = ?", "20").Limit(1).Pluck("code", &lsCommune)
		r.do(admin, "POST", "/api/v1/admin/officers", officer("xa.lechtinh@example.com", "commune", lsCommune), http.StatusBadRequest) // a Lạng Sơn commune
		// Each officer created is in the audit log, written with the account
		// in one transaction; each refusal is there too, and made no account.
		var created, refused []string
		app.DB.Table("registry_audit").Where("action = ? AND outcome = ?", "officer.create", "ok").Order("id").Pluck("note", &created)
		app.DB.Table("registry_audit").Where("action = ? AND outcome <> ?", "officer.create", "ok").Pluck("note", &refused)
		if len(created) != 3 || len(refused) != 3 {
			t.Errorf("officer.create audit: %d ok %v, %d refused %v; want 3 and 3", len(created), created, len(refused), refused)
		}
		var officers int64
		app.DB.Table("users").Where("email IN ?", []string{"so.caobang@example.com", "so2.caobang@example.com", "xa.caobang@example.com", "xa.sai@example.com", "xa.lechtinh@example.com", "x@example.com"}).Count(&officers)
		if officers != 3 {
			t.Errorf("%d officer accounts, want the 3 created", officers)
		}

		producerTok := caoBangProducer(t, app, communeCode)
		l := lifecycle{regClient: r, producer: producerTok, officer: app.Token("so.caobang@example.com"), member2: app.Token("so2.caobang@example.com")}
		a := l.apply(map[string]any{"product_name": "Miến dong Cao Bằng (thử)", "group_code": "I.3.b", "self_assessment": map[string]any{"part_a": 30, "part_b": 18, "part_c": 25}})
		l.upload(producerTok, a.Code, "don-dang-ky.pdf", pdfBytes, http.StatusCreated)
		r.do(producerTok, "POST", "/api/v1/portal/applications/"+a.Code+"/submit", nil, http.StatusOK)
		commune := app.Token("xa.caobang@example.com")
		r.do(l.officer, "POST", "/api/v1/registry/applications/"+a.Code+"/scores", sheet(30, 20, 25, true), http.StatusConflict) // not proposed yet
		r.do(commune, "POST", "/api/v1/registry/applications/"+a.Code+"/propose", map[string]string{"note": "UBND xã đề xuất"}, http.StatusOK)
		r.do(l.officer, "POST", "/api/v1/registry/applications/"+a.Code+"/scores", sheet(30, 20, 25, true), http.StatusCreated)
		r.do(l.member2, "POST", "/api/v1/registry/applications/"+a.Code+"/scores", sheet(29, 20, 25, true), http.StatusCreated)
		d := l.decide(l.officer, "15/QĐ-UBND", day.Today(), a.Code)
		c := d.Results[0].Certificate
		if c == nil || c.Stars != 4 || c.AuthorityLevel != "province" {
			t.Fatalf("Cao Bằng's decision: %+v", d.Results[0])
		}
		var issued registry.Certificate
		app.DB.Where("code = ?", c.Code).Take(&issued)
		if issued.AuthorityName != "UBND tỉnh Cao Bằng" || issued.ProvinceCode != caoBang {
			t.Errorf("the certificate names %q of %s", issued.AuthorityName, issued.ProvinceCode)
		}
		if v := l.verify(c.Code); !v.Valid {
			t.Errorf("the certificate does not verify: %+v", v)
		}
		var lsCert string
		app.DB.Model(&registry.Certificate{}).Where("province_code = ?", "20").Limit(1).Pluck("code", &lsCert)
		na := appCode(t, app, "Na Chi Lăng")
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "Cao Bằng sees its certificate", As: "so.caobang@example.com", URL: "/api/v1/registry/certificates/" + c.Code + "/audit", Status: 200},
			{Name: "Cao Bằng sees no Lạng Sơn application", As: "so.caobang@example.com", URL: "/api/v1/registry/applications", Status: 200, NotContains: []string{na}},
			{Name: "nor a Lạng Sơn application by code", As: "so.caobang@example.com", URL: "/api/v1/registry/applications/" + na, Status: 403},
			{Name: "nor a Lạng Sơn certificate", As: "so.caobang@example.com", URL: "/api/v1/registry/certificates/" + lsCert + "/audit", Status: 403},
			{Name: "nor Lạng Sơn's decisions", As: "so.caobang@example.com", URL: "/api/v1/registry/decisions?province=20", Status: 403},
			{Name: "Cao Bằng's register holds its decision", As: "so.caobang@example.com", URL: "/api/v1/registry/decisions", Status: 200, Contains: []string{"15/QĐ-UBND"}, NotContains: []string{"DEMO-"}},
			{Name: "Lạng Sơn sees no Cao Bằng application", As: "officer@example.com", URL: "/api/v1/registry/applications/" + a.Code, Status: 403},
			{Name: "nor its certificate", As: "officer@example.com", URL: "/api/v1/registry/certificates/" + c.Code + "/audit", Status: 403},
			{Name: "nor its decisions", As: "officer@example.com", URL: "/api/v1/registry/decisions", Status: 200, NotContains: []string{"15/QĐ-UBND"}},
			{Name: "nor does Lạng Sơn's commune officer", As: "commune@example.com", URL: "/api/v1/registry/applications/" + a.Code, Status: 403},
			{Name: "the commune officer of Cao Bằng no longer sees it once decided", As: "xa.caobang@example.com", URL: "/api/v1/registry/applications/" + a.Code, Status: 403},
		})
	})
}

// caoBangProducer is an approved Cao Bằng producer with a member account
// (signing up and approval are the marketplace's, tested there); it
// returns the member's token.
func caoBangProducer(t *testing.T, app *webtest.App, commune string) string {
	t.Helper()
	ctx := context.Background()
	u, err := account.NewService(app.DB, nil).Create(ctx, account.NewUser{Email: "htx.caobang@example.com", Name: "HTX Cao Bằng",
		Password: seed.DemoPassword, Role: account.RoleProducer})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	p := producer.Producer{Slug: "htx-mien-dong-cao-bang", Kind: producer.KindCooperative, LegalName: "HTX Miến dong Cao Bằng (thử)",
		NameFolded: ptext.Fold("HTX Miến dong Cao Bằng"), ProvinceCode: "04", CommuneCode: commune, Email: "htx.caobang@example.com",
		Status: producer.StatusApproved, ApprovedAt: &now}
	store := producer.NewStore(app.DB)
	if err := store.Create(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := store.AddMember(ctx, p.ID, u.ID, "owner"); err != nil {
		t.Fatal(err)
	}
	return app.Token(u.Email)
}
