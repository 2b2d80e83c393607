package web_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

type verifyImport struct {
	Valid  bool   `json:"valid"`
	Status string `json:"status"`
	Import *struct {
		Confirmed   bool   `json:"confirmed"`
		ConfirmedBy string `json:"confirmed_by"`
		ScanURL     string `json:"scan_url"`
	} `json:"import"`
}

// TestImportIsPendingUntilASecondOfficerConfirms walks a central 5★ import
// of a listed Lạng Sơn product: pending, it is no badge, not in ?stars=5,
// not in the public search, and verify says so; the importer cannot
// confirm it, nor can anyone without a scan, nor a province; a second
// central officer with the scan makes it count, and verify then names the
// confirming authority and links the scan.
func TestImportIsPendingUntilASecondOfficerConfirms(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		p := &pendingImport{app: app}
		newCentralOfficer(t, app, "central2@example.com")
		p.product = productOf(t, app, banhSlug)
		app.DB.Table("products").Where("id = ?", p.product).Pluck("name", &p.name)
		body := map[string]any{"producer_slug": banhSlug, "product_id": p.product, "product_name": p.name, "group_code": "I.1.a",
			"authority_level": "central", "decision_no": "DEMO-5SAO/QĐ-BNNMT", "decision_date": day.Today().AddDays(-20),
			"stars": 5, "score": 92.5, "criteria_version": "148"}
		regClient{t, app}.do(app.TokenOf("central@example.com"), "POST", "/api/v1/registry/certificates/import", body, http.StatusCreated).JSON(t, &p.c)
		webtest.RunSteps(t, []webtest.Step{
			{Name: "pending, it counts nowhere", Run: p.countsNowhere("1 after import")},
			{Name: "refused confirmations leave it pending, audited", Run: p.refusedConfirmations},
			{Name: "still pending after the refusals", Run: p.countsNowhere("2 after refusals")},
			{Name: "the importer waits for someone else, the second officer gets the form", Run: p.officersPages},
			{Name: "a second central officer confirms with the scan", Run: p.confirm},
			{Name: "confirming twice is a conflict", Run: p.confirmTwice},
		})
	})
}

// pendingImport is what TestImportIsPendingUntilASecondOfficerConfirms's
// steps share: a central 5★ import of a listed product.
type pendingImport struct {
	app     *webtest.App
	product int64
	name    string
	c       struct{ Code, Status string }
}

// countsNowhere: the pending import is no badge, not in ?stars=5, the
// public search or the national export, verify says it is pending, and
// its scan is not served.
func (p *pendingImport) countsNowhere(when string) func(t *testing.T) {
	return func(t *testing.T) {
		app, code := p.app.For(t), p.c.Code
		b, err := registry.NewBadgeStore(app.DB).ValidOn(t.Context(), []int64{p.product}, day.Today())
		if err != nil {
			t.Fatal(err)
		}
		if b[p.product].Stars == 5 || b[p.product].Code == code {
			t.Errorf("%s: the pending import is the product's badge: %+v", when, b[p.product])
		}
		if names(search(t, app, "stars=5&limit=7"+when[:1]))[p.name] {
			t.Errorf("%s: the pending import puts %q in ?stars=5", when, p.name)
		}
		var list struct{ Items []struct{ Code string } }
		r := regClient{t, app}
		r.do("", "GET", "/api/v1/certificates?province=20&stars=5&limit=200", nil, http.StatusOK).JSON(t, &list)
		for _, it := range list.Items {
			if it.Code == code {
				t.Errorf("%s: the pending import is in the public search", when)
			}
		}
		var v verifyImport
		r.do("", "GET", "/api/v1/verify/"+code, nil, http.StatusOK).JSON(t, &v)
		if v.Valid || v.Status != "pending" || v.Import == nil || v.Import.Confirmed || v.Import.ScanURL != "" {
			t.Errorf("%s: verify of the pending import = %+v, import %+v", when, v, v.Import)
		}
		if page := string(app.Browser().Get("/verify/" + code).Body); !strings.Contains(page, "đang chờ cán bộ thứ hai") {
			t.Errorf("%s: the verify page does not say the import awaits a second officer", when)
		}
		exp := r.do(app.TokenOf("central@example.com"), "GET", "/api/v1/certificates/export?province=20", nil, http.StatusOK)
		if strings.Contains(string(exp.Body), p.number(t)) {
			t.Errorf("%s: the pending import is in the national export", when)
		}
		if res := app.Browser().Get("/verify/" + code + "/scan"); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: scan of a pending import: status %d, want 404", when, res.StatusCode)
		}
	}
}

// number is the import's certificate number, as the export lists it.
func (p *pendingImport) number(t *testing.T) string {
	var number string
	if err := p.app.DB.Model(&registry.Certificate{}).Where("code = ?", p.c.Code).Pluck("number", &number).Error; err != nil {
		t.Fatal(err)
	}
	return number
}

// refusedConfirmations: each is refused with its status, leaves the import
// pending, and (but for an anonymous or producer's attempt) is audited.
func (p *pendingImport) refusedConfirmations(t *testing.T) {
	refused := func(name, as, file string, content []byte, want int) webtest.Scenario {
		body, header := scanUpload(file, content)
		var audits int64
		return webtest.Scenario{Name: name, As: as, Method: "POST", URL: "/api/v1/registry/certificates/" + p.c.Code + "/import/confirm",
			Body: body, Header: header, Status: want,
			Before: func(t *testing.T, app *webtest.App) { audits = refusedAudits(t, app, "certificate.import_confirm") },
			Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
				var stored registry.Certificate
				app.DB.Where("code = ?", p.c.Code).First(&stored)
				if !stored.ImportPending || countRows(t, app, &registry.ImportRecord{}, "certificate_id = ? AND confirmed_by IS NOT NULL", stored.ID) != 0 {
					t.Errorf("the import is no longer pending")
				}
				if want != http.StatusUnauthorized && as != "producer@example.com" {
					if got := refusedAudits(t, app, "certificate.import_confirm") - audits; got != 1 {
						t.Errorf("%d refused audit entries, want 1", got)
					}
				}
			}}
	}
	webtest.RunScenarios(t, p.app, []webtest.Scenario{
		refused("by the officer who imported it", "central@example.com", "quyet-dinh.pdf", pdfBytes, http.StatusForbidden),
		refused("without a scan", "central2@example.com", "", nil, http.StatusBadRequest),
		refused("with a text file called .pdf", "central2@example.com", "quyet-dinh.pdf", []byte("not a pdf at all"), http.StatusBadRequest),
		refused("with an executable", "central2@example.com", "quyet-dinh.exe", pdfBytes, http.StatusBadRequest),
		refused("by a province (a central certificate)", "officer@example.com", "quyet-dinh.pdf", pdfBytes, http.StatusForbidden),
		refused("by another province", "officer.hanoi@example.com", "quyet-dinh.pdf", pdfBytes, http.StatusForbidden),
		refused("by a producer", "producer@example.com", "quyet-dinh.pdf", pdfBytes, http.StatusForbidden),
		refused("anonymous", "", "quyet-dinh.pdf", pdfBytes, http.StatusUnauthorized),
	})
}

// officersPages: the importer sees the import waits for someone else; the
// second officer gets the form, and the API says who may confirm.
func (p *pendingImport) officersPages(t *testing.T) {
	app, code := p.app.For(t), p.c.Code
	if page := string(app.As("central@example.com").Get("/registry/imports").Body); !strings.Contains(page, `id="import-`+code+`"`) || strings.Contains(page, `action="/registry/imports/`+code+`/confirm"`) {
		t.Error("the importer's page should list the import without a confirm form")
	}
	if page := string(app.As("central2@example.com").Get("/registry/imports").Body); !strings.Contains(page, `action="/registry/imports/`+code+`/confirm"`) {
		t.Error("the second officer's page has no confirm form for the import")
	}
	var pending struct {
		Items []struct {
			Certificate struct{ Code string } `json:"certificate"`
			MayConfirm  bool                  `json:"may_confirm"`
		} `json:"items"`
	}
	regClient{t, app}.do(app.TokenOf("central2@example.com"), "GET", "/api/v1/registry/imports", nil, http.StatusOK).JSON(t, &pending)
	if len(pending.Items) != 1 || pending.Items[0].Certificate.Code != code || !pending.Items[0].MayConfirm {
		t.Errorf("pending imports for the second officer: %+v", pending.Items)
	}
	regClient{t, app}.do(app.TokenOf("officer@example.com"), "GET", "/api/v1/registry/imports", nil, http.StatusOK).JSON(t, &pending)
	if len(pending.Items) != 0 {
		t.Errorf("a province sees the central import among the ones it may confirm: %+v", pending.Items)
	}
}

// confirm: the second central officer's scan makes the import count, and
// verify names the confirming authority and serves the scan.
func (p *pendingImport) confirm(t *testing.T) {
	app, code := p.app.For(t), p.c.Code
	if res := confirmScan(app, app.TokenOf("central2@example.com"), code, "quyet-dinh-goc.pdf", pdfBytes); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm by a second officer: %d %s", res.StatusCode, res.Body)
	}
	b, _ := registry.NewBadgeStore(app.DB).ValidOn(t.Context(), []int64{p.product}, day.Today())
	if b[p.product].Stars != 5 || b[p.product].Code != code {
		t.Errorf("badge after confirmation = %+v, want the 5★ import", b[p.product])
	}
	if !names(search(t, app, "stars=5&limit=8"))[p.name] {
		t.Errorf("after confirmation %q is not in ?stars=5", p.name)
	}
	r := regClient{t, app}
	if exp := r.do(app.TokenOf("central@example.com"), "GET", "/api/v1/certificates/export?province=20", nil, http.StatusOK); !strings.Contains(string(exp.Body), p.number(t)) {
		t.Error("the confirmed import is missing from the national export")
	}
	var v verifyImport
	r.do("", "GET", "/api/v1/verify/"+code, nil, http.StatusOK).JSON(t, &v)
	if !v.Valid || v.Import == nil || !v.Import.Confirmed || v.Import.ConfirmedBy != registry.CentralAuthority || !strings.HasSuffix(v.Import.ScanURL, "/verify/"+code+"/scan") {
		t.Errorf("verify after confirmation = %+v, import %+v", v, v.Import)
	}
	page := string(app.Browser().Get("/verify/" + code).Body)
	if !strings.Contains(page, "Nhập từ hồ sơ giấy, đã được "+registry.CentralAuthority+" xác nhận") || !strings.Contains(page, `id="cert-scan"`) {
		t.Errorf("the verify page does not say who confirmed the paper record or link its scan")
	}
	scan := app.Browser().Get("/verify/" + code + "/scan")
	if scan.StatusCode != http.StatusOK || string(scan.Body) != string(pdfBytes) || scan.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("scan: status %d, type %q, %d bytes", scan.StatusCode, scan.Header.Get("Content-Type"), len(scan.Body))
	}
}

func (p *pendingImport) confirmTwice(t *testing.T) {
	app := p.app.For(t)
	third := newCentralOfficer(t, app, "central3@example.com")
	if res := confirmScan(app, third, p.c.Code, "quyet-dinh.pdf", pdfBytes); res.StatusCode != http.StatusConflict {
		t.Errorf("a second confirmation: %d, want 409", res.StatusCode)
	}
}

// TestConfirmImportPageAndSupersede: a province import that replaces an
// older certificate leaves it valid while pending; confirmed through the
// officers' page with a scanned image, it supersedes it and counts.
func TestConfirmImportPageAndSupersede(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		officer := app.Token("officer@example.com")
		officer2 := newOfficer(t, app, "officer2@example.com", "20")
		// An older certificate, imported by one officer and confirmed by the other.
		older := map[string]any{"producer_slug": banhSlug, "product_name": "Na Chi Lăng", "group_code": "I.1.a", "authority_level": "province",
			"decision_no": "DEMO-OLD/QĐ-UBND", "decision_date": day.Today().AddDays(-400), "stars": 3, "score": 60, "criteria_version": "148"}
		var o struct{ Code string }
		r.do(officer2, "POST", "/api/v1/registry/certificates/import", older, http.StatusCreated).JSON(t, &o)
		if res := confirmScan(app, officer, o.Code, "cu.pdf", pdfBytes); res.StatusCode != http.StatusOK {
			t.Fatalf("confirm the older import: %d %s", res.StatusCode, res.Body)
		}
		var old registry.Certificate
		app.DB.Where("code = ?", o.Code).First(&old)
		body := map[string]any{"producer_slug": banhSlug, "product_name": "Na Chi Lăng", "group_code": "I.1.a", "authority_level": "province",
			"decision_no": "DEMO-RENEW/QĐ-UBND", "decision_date": day.Today().AddDays(-3), "stars": 4, "score": 80, "criteria_version": "148",
			"supersedes": old.Code}
		var c struct{ Code string }
		r.do(officer, "POST", "/api/v1/registry/certificates/import", body, http.StatusCreated).JSON(t, &c)
		app.DB.First(&old, old.ID)
		if !old.ValidOn(day.Today()) {
			t.Fatal("a pending import superseded the valid certificate")
		}
		b := app.Browser()
		b.Login("officer2@example.com")
		res := postMultipart(t, app, b, "/registry/imports", "/registry/imports/"+c.Code+"/confirm", "scan.png", pngHeaderBytes)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm through the page: status %d: %.300s", res.StatusCode, res.Body)
		}
		app.DB.First(&old, old.ID)
		if old.SupersededOn.IsZero() || old.SupersededByID == nil {
			t.Error("the confirmed import did not supersede the certificate it replaces")
		}
		var v verifyImport
		r.do("", "GET", "/api/v1/verify/"+c.Code, nil, http.StatusOK).JSON(t, &v)
		if !v.Valid || v.Import == nil || v.Import.ConfirmedBy != "UBND tỉnh Lạng Sơn" {
			t.Errorf("verify after the page confirmation = %+v, import %+v", v, v.Import)
		}
		// Without a file the page refuses (400) and nothing changes.
		var c2 struct{ Code string }
		body["decision_no"], body["supersedes"], body["product_name"] = "DEMO-RENEW-2/QĐ-UBND", "", "Na Chi Lăng sấy"
		r.do(officer, "POST", "/api/v1/registry/certificates/import", body, http.StatusCreated).JSON(t, &c2)
		if res := postMultipart(t, app, b, "/registry/imports", "/registry/imports/"+c2.Code+"/confirm", "", nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("page confirmation without a scan: status %d, want 400", res.StatusCode)
		}
		var stored registry.Certificate
		app.DB.Where("code = ?", c2.Code).First(&stored)
		if !stored.ImportPending {
			t.Error("a page confirmation without a scan confirmed the import")
		}
	})
}

// postMultipart submits a multipart form with the CSRF token of formPage
// and one file (none when name is ""), as a browser's upload form does.
func postMultipart(t *testing.T, app *webtest.App, b *webtest.Browser, formPage, path, name string, content []byte) *webtest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", b.CSRF(formPage)) // writes into a bytes.Buffer, which cannot fail
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content) // writes into a bytes.Buffer, which cannot fail
	}
	_ = mw.Close() // writes into a bytes.Buffer, which cannot fail
	res, err := b.Client.Post(app.HTTP.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &webtest.Response{Response: res, Body: body}
}

// TestRacingConfirmationsConfirmOnce: three officers confirm one import at
// once; exactly one wins, the others get a conflict, and the database
// itself refuses a self-confirmation written around the service.
func TestRacingConfirmationsConfirmOnce(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		body := importBody(day.Today().AddDays(-9), "RACE-1")
		var c struct{ Code string }
		r.do(app.Token("officer@example.com"), "POST", "/api/v1/registry/certificates/import", body, http.StatusCreated).JSON(t, &c)
		blobs, err := blob.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		svc := registry.NewService(app.DB, blobs, nil)
		accounts := account.NewService(app.DB, nil)
		var users []account.User
		for i := range 3 {
			email := "racer" + string(rune('a'+i)) + "@example.com"
			newOfficer(t, app, email, "20")
			u, err := accounts.UserByEmail(t.Context(), email)
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		var wg sync.WaitGroup
		results := make([]error, len(users))
		for i := range users {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, results[i] = svc.ConfirmImport(context.Background(), &users[i], c.Code, registry.Scan{FileName: "scan.pdf", Size: int64(len(pdfBytes)), Body: bytes.NewReader(pdfBytes)})
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, errs.ErrConflict):
				t.Errorf("a losing confirmation failed with %v, want a conflict", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d racing confirmations succeeded: %v", ok, len(users), results)
		}
		if n := countRows(t, app, &registry.AuditEntry{}, "action = ? AND outcome = ?", "certificate.import_confirm", "ok"); n != 1 {
			t.Errorf("%d confirmations audited, want 1", n)
		}
		// Around the service, the table's check still refuses the importer as confirmer.
		var stored registry.Certificate
		app.DB.Where("code = ?", c.Code).First(&stored)
		err = app.DB.Exec("UPDATE registry_imports SET confirmed_by = imported_by WHERE certificate_id = ?", stored.ID).Error
		if err == nil {
			t.Error("the database accepted a confirmation by the importer")
		}
	})
}

// TestConfirmHostileUploads: an oversized scan, a file whose content does
// not match its name, and an empty file are 4xx and leave the import pending.
func TestConfirmHostileUploads(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		var c struct{ Code string }
		r.do(app.Token("officer@example.com"), "POST", "/api/v1/registry/certificates/import", importBody(day.Today().AddDays(-9), "HOSTILE-1"), http.StatusCreated).JSON(t, &c)
		second := newOfficer(t, app, "officer2@example.com", "20")
		big := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), registry.MaxDocumentSize)...)
		cases := []struct {
			name    string
			file    string
			content []byte
			want    int
		}{
			{"larger than 5 MB", "scan.pdf", big, http.StatusBadRequest},
			{"larger than the request limit", "scan.pdf", append(big, bytes.Repeat([]byte("y"), 1<<20)...), http.StatusRequestEntityTooLarge},
			{"PNG named .pdf", "scan.pdf", pngHeaderBytes, http.StatusBadRequest},
			{"empty", "scan.pdf", nil, http.StatusBadRequest},
			{"NUL in the name", "sc\x00an.pdf", []byte("MZ\x00\x00"), http.StatusBadRequest},
			{"HTML named .png", "scan.png", []byte("<html><script>alert(1)</script></html>"), http.StatusBadRequest},
		}
		for _, tc := range cases {
			if res := confirmScan(app, second, c.Code, tc.file, tc.content); res.StatusCode != tc.want {
				t.Errorf("%s: status %d, want %d: %.200s", tc.name, res.StatusCode, tc.want, res.Body)
			}
			var stored registry.Certificate
			app.DB.Where("code = ?", c.Code).First(&stored)
			if !stored.ImportPending {
				t.Fatalf("%s: the import was confirmed", tc.name)
			}
		}
	})
}

// TestImportRoutesAuthorization opens the new routes and pages as every role.
func TestImportRoutesAuthorization(t *testing.T) {
	// Roles: anon, shopper, producer, producer2, admin, officer, hanoi, central.
	var table []webtest.Scenario
	for _, a := range []struct {
		path string
		want [8]int
	}{
		{"/api/v1/registry/imports", [8]int{401, 403, 403, 403, 403, 200, 200, 200}},
		{"/api/v1/registry/revocation-proposals", [8]int{401, 403, 403, 403, 403, 200, 200, 200}},
		{"/api/v1/admin/authorities", [8]int{401, 403, 403, 403, 200, 403, 403, 403}},
		{"/registry/imports", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
		{"/registry/proposals", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
		{"/admin/authorities", [8]int{303, 403, 403, 403, 200, 403, 403, 403}},
	} {
		table = append(table, forEachRole(webtest.Scenario{URL: a.path}, a.want)...)
	}
	webtest.Scenarios(t, table)
}
