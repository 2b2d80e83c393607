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
		r := regClient{t, app}
		central := app.Token("central@example.com")
		central2 := newCentralOfficer(t, app, "central2@example.com")
		province := app.Token("officer@example.com")
		product := productOf(t, app, banhSlug)
		var name string
		app.DB.Table("products").Where("id = ?", product).Pluck("name", &name)
		body := map[string]any{"producer_slug": banhSlug, "product_id": product, "product_name": name, "group_code": "I.1.a",
			"authority_level": "central", "decision_no": "DEMO-5SAO/QĐ-BNNMT", "decision_date": day.Today().AddDays(-20),
			"stars": 5, "score": 92.5, "criteria_version": "148"}
		var c struct{ Code, Status string }
		r.do(central, "POST", "/api/v1/registry/certificates/import", body, http.StatusCreated).JSON(t, &c)

		badges := registry.NewBadgeStore(app.DB)
		notABadge := func(when string) {
			t.Helper()
			b, err := badges.ValidOn(t.Context(), []int64{product}, day.Today())
			if err != nil {
				t.Fatal(err)
			}
			if b[product].Stars == 5 || b[product].Code == c.Code {
				t.Errorf("%s: the pending import is the product's badge: %+v", when, b[product])
			}
			if names(search(t, app, "stars=5&limit=7"+when[:1]))[name] {
				t.Errorf("%s: the pending import puts %q in ?stars=5", when, name)
			}
			var list struct{ Items []struct{ Code string } }
			r.do("", "GET", "/api/v1/certificates?province=20&stars=5&limit=200", nil, http.StatusOK).JSON(t, &list)
			for _, it := range list.Items {
				if it.Code == c.Code {
					t.Errorf("%s: the pending import is in the public search", when)
				}
			}
			var v verifyImport
			r.do("", "GET", "/api/v1/verify/"+c.Code, nil, http.StatusOK).JSON(t, &v)
			if v.Valid || v.Status != "pending" || v.Import == nil || v.Import.Confirmed || v.Import.ScanURL != "" {
				t.Errorf("%s: verify of the pending import = %+v, import %+v", when, v, v.Import)
			}
			if page := string(app.Browser().Get("/verify/" + c.Code).Body); !strings.Contains(page, "đang chờ cán bộ thứ hai") {
				t.Errorf("%s: the verify page does not say the import awaits a second officer", when)
			}
			var number string
			app.DB.Model(&registry.Certificate{}).Where("code = ?", c.Code).Pluck("number", &number)
			if exp := r.do(central, "GET", "/api/v1/certificates/export?province=20", nil, http.StatusOK); strings.Contains(string(exp.Body), number) {
				t.Errorf("%s: the pending import is in the national export", when)
			}
			if res := app.Browser().Get("/verify/" + c.Code + "/scan"); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: scan of a pending import: status %d, want 404", when, res.StatusCode)
			}
		}
		notABadge("1 after import")

		// Refused confirmations: status, still pending, audited.
		refusals := []struct {
			name, token, file string
			content           []byte
			want              int
		}{
			{"by the officer who imported it", central, "quyet-dinh.pdf", pdfBytes, http.StatusForbidden},
			{"without a scan", central2, "", nil, http.StatusBadRequest},
			{"with a text file called .pdf", central2, "quyet-dinh.pdf", []byte("not a pdf at all"), http.StatusBadRequest},
			{"with an executable", central2, "quyet-dinh.exe", pdfBytes, http.StatusBadRequest},
			{"by a province (a central certificate)", province, "quyet-dinh.pdf", pdfBytes, http.StatusForbidden},
			{"by another province", app.Token("officer.hanoi@example.com"), "quyet-dinh.pdf", pdfBytes, http.StatusForbidden},
			{"by a producer", app.Token("producer@example.com"), "quyet-dinh.pdf", pdfBytes, http.StatusForbidden},
			{"anonymous", "", "quyet-dinh.pdf", pdfBytes, http.StatusUnauthorized},
		}
		for _, rf := range refusals {
			before := refusedAudits(t, app, "certificate.import_confirm")
			if res := confirmScan(app, rf.token, c.Code, rf.file, rf.content); res.StatusCode != rf.want {
				t.Errorf("confirm %s: status %d, want %d: %s", rf.name, res.StatusCode, rf.want, res.Body)
			}
			var stored registry.Certificate
			app.DB.Where("code = ?", c.Code).First(&stored)
			if !stored.ImportPending || countRows(t, app, &registry.ImportRecord{}, "certificate_id = ? AND confirmed_by IS NOT NULL", stored.ID) != 0 {
				t.Errorf("confirm %s: the import is no longer pending", rf.name)
			}
			if rf.want != http.StatusUnauthorized && !strings.Contains(rf.name, "producer") {
				if got := refusedAudits(t, app, "certificate.import_confirm") - before; got != 1 {
					t.Errorf("confirm %s: %d refused audit entries, want 1", rf.name, got)
				}
			}
		}
		notABadge("2 after refusals")

		// The officers' page: the importer sees it waits for someone else; the second officer gets the form.
		own := app.Browser()
		own.Login("central@example.com")
		if page := string(own.Get("/registry/imports").Body); !strings.Contains(page, `id="import-`+c.Code+`"`) || strings.Contains(page, `action="/registry/imports/`+c.Code+`/confirm"`) {
			t.Error("the importer's page should list the import without a confirm form")
		}
		second := app.Browser()
		second.Login("central2@example.com")
		if page := string(second.Get("/registry/imports").Body); !strings.Contains(page, `action="/registry/imports/`+c.Code+`/confirm"`) {
			t.Error("the second officer's page has no confirm form for the import")
		}
		var pending struct {
			Items []struct {
				Certificate struct{ Code string } `json:"certificate"`
				MayConfirm  bool                  `json:"may_confirm"`
			} `json:"items"`
		}
		r.do(central2, "GET", "/api/v1/registry/imports", nil, http.StatusOK).JSON(t, &pending)
		if len(pending.Items) != 1 || pending.Items[0].Certificate.Code != c.Code || !pending.Items[0].MayConfirm {
			t.Errorf("pending imports for the second officer: %+v", pending.Items)
		}
		r.do(province, "GET", "/api/v1/registry/imports", nil, http.StatusOK).JSON(t, &pending)
		if len(pending.Items) != 0 {
			t.Errorf("a province sees the central import among the ones it may confirm: %+v", pending.Items)
		}

		// The second central officer confirms with the scan.
		if res := confirmScan(app, central2, c.Code, "quyet-dinh-goc.pdf", pdfBytes); res.StatusCode != http.StatusOK {
			t.Fatalf("confirm by a second officer: %d %s", res.StatusCode, res.Body)
		}
		b, _ := badges.ValidOn(t.Context(), []int64{product}, day.Today())
		if b[product].Stars != 5 || b[product].Code != c.Code {
			t.Errorf("badge after confirmation = %+v, want the 5★ import", b[product])
		}
		if !names(search(t, app, "stars=5&limit=8"))[name] {
			t.Errorf("after confirmation %q is not in ?stars=5", name)
		}
		var number string
		app.DB.Model(&registry.Certificate{}).Where("code = ?", c.Code).Pluck("number", &number)
		if exp := r.do(central, "GET", "/api/v1/certificates/export?province=20", nil, http.StatusOK); !strings.Contains(string(exp.Body), number) {
			t.Error("the confirmed import is missing from the national export")
		}
		var v verifyImport
		r.do("", "GET", "/api/v1/verify/"+c.Code, nil, http.StatusOK).JSON(t, &v)
		if !v.Valid || v.Import == nil || !v.Import.Confirmed || v.Import.ConfirmedBy != registry.CentralAuthority || !strings.HasSuffix(v.Import.ScanURL, "/verify/"+c.Code+"/scan") {
			t.Errorf("verify after confirmation = %+v, import %+v", v, v.Import)
		}
		page := string(app.Browser().Get("/verify/" + c.Code).Body)
		if !strings.Contains(page, "Nhập từ hồ sơ giấy, đã được "+registry.CentralAuthority+" xác nhận") || !strings.Contains(page, `id="cert-scan"`) {
			t.Errorf("the verify page does not say who confirmed the paper record or link its scan")
		}
		scan := app.Browser().Get("/verify/" + c.Code + "/scan")
		if scan.StatusCode != http.StatusOK || string(scan.Body) != string(pdfBytes) || scan.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("scan: status %d, type %q, %d bytes", scan.StatusCode, scan.Header.Get("Content-Type"), len(scan.Body))
		}
		// Confirming twice is a conflict.
		third := newCentralOfficer(t, app, "central3@example.com")
		if res := confirmScan(app, third, c.Code, "quyet-dinh.pdf", pdfBytes); res.StatusCode != http.StatusConflict {
			t.Errorf("a second confirmation: %d, want 409", res.StatusCode)
		}
	})
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
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		roles := authzRoles // anon, shopper, producer, producer2, admin, officer, hanoi, central
		apis := []struct {
			method, path string
			want         [8]int
		}{
			{"GET", "/api/v1/registry/imports", [8]int{401, 403, 403, 403, 403, 200, 200, 200}},
			{"GET", "/api/v1/registry/revocation-proposals", [8]int{401, 403, 403, 403, 403, 200, 200, 200}},
			{"GET", "/api/v1/admin/authorities", [8]int{401, 403, 403, 403, 200, 403, 403, 403}},
		}
		for _, a := range apis {
			for i, role := range roles {
				tok := ""
				if role != "" {
					tok = app.Token(role)
				}
				if res := app.API(webtest.Req{Method: a.method, Path: a.path, Token: tok}); res.StatusCode != a.want[i] {
					t.Errorf("%s %s as %q: status %d, want %d", a.method, a.path, role, res.StatusCode, a.want[i])
				}
			}
		}
		pages := []struct {
			path string
			want [8]int
		}{
			{"/registry/imports", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
			{"/registry/proposals", [8]int{303, 403, 403, 403, 403, 200, 200, 200}},
			{"/admin/authorities", [8]int{303, 403, 403, 403, 200, 403, 403, 403}},
		}
		for i, role := range roles {
			b := app.Browser()
			if role != "" {
				b.Login(role)
			}
			for _, p := range pages {
				if res := b.Get(p.path); res.StatusCode != p.want[i] {
					t.Errorf("GET %s as %q: status %d, want %d", p.path, role, res.StatusCode, p.want[i])
				}
			}
		}
	})
}
