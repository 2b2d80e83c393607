package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// Tests of issue 8's import, authority and issuer rules: every refusal is
// a row with its status, and each proves by reading the data back that
// nothing changed and that the refusal was audited.

const (
	banhSlug  = "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh" // producer@example.com, Lạng Sơn
	huongSlug = "hkd-tran-dieu-huong"                           // producer2@example.com, Lạng Sơn
)

// importBody is a valid province-level 4★ import for Điệu Hương, dated
// decisionDate; each case changes what it tests.
func importBody(decisionDate day.Date, number string) map[string]any {
	return map[string]any{"producer_slug": huongSlug, "product_name": "Lạp sườn nhập thử", "group_code": "I.3.d",
		"authority_level": "province", "decision_no": "DEMO-IMP/QĐ-UBND", "decision_date": decisionDate, "number": number,
		"stars": 4, "score": 75, "criteria_version": "148"}
}

// productOf returns the id of a listing of the producer with slug.
func productOf(t *testing.T, app *webtest.App, slug string) int64 {
	t.Helper()
	var id int64
	app.DB.Table("products").Select("products.id").Joins("JOIN producers ON producers.id = products.producer_id").
		Where("producers.slug = ?", slug).Order("products.id").Limit(1).Scan(&id)
	if id == 0 {
		t.Fatalf("seed has no product of %s", slug)
	}
	return id
}

// newCentralOfficer adds a second central officer and returns their token.
func newCentralOfficer(t *testing.T, app *webtest.App, email string) string {
	t.Helper()
	in := account.NewUser{Email: email, Name: "Central member", Password: seed.DemoPassword, Role: account.RoleOfficer, OfficerLevel: account.LevelCentral}
	if _, err := account.NewService(app.DB, nil).Create(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return app.Token(email)
}

func countRows(t *testing.T, app *webtest.App, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := app.DB.Model(model)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func refusedAudits(t *testing.T, app *webtest.App, action string) int64 {
	t.Helper()
	return countRows(t, app, &registry.AuditEntry{}, "action = ? AND outcome = ?", action, "refused")
}

// confirmScan posts a scan (or no file when name is "") to confirm an import.
func confirmScan(app *webtest.App, token, code, name string, content []byte) *webtest.Response {
	body, header := scanUpload(name, content)
	return app.API(webtest.Req{Method: "POST", Path: "/api/v1/registry/certificates/" + code + "/import/confirm", Body: body, Token: token, Header: header})
}

// scanUpload is the multipart body and header that upload a scan (or no
// file when name is "").
func scanUpload(name string, content []byte) ([]byte, map[string]string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content) // writes into a bytes.Buffer, which cannot fail
	} else {
		_ = mw.WriteField("note", "no file") // writes into a bytes.Buffer, which cannot fail
	}
	_ = mw.Close() // writes into a bytes.Buffer, which cannot fail
	return buf.Bytes(), map[string]string{"Content-Type": mw.FormDataContentType()}
}

// TestImportRefusals: each way an import breaks a rule is refused with its
// status, leaves no certificate behind, and is written to the audit log.
func TestImportRefusals(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		today := day.Today()
		with := importWith(today.AddDays(-40))
		central5 := map[string]any{"authority_level": "central", "stars": 5, "score": 92, "authority_name": registry.CentralAuthority}
		const officer = "officer@example.com"
		webtest.RunScenarios(t, app, []webtest.Scenario{
			refusedImport("anonymous", "", with(nil), 401, false),
			refusedImport("shopper", "shopper@example.com", with(nil), 403, false),
			refusedImport("producer", "producer2@example.com", with(nil), 403, false),
			refusedImport("5★ in the Ministry's name by a province", officer, with(central5), 403, true),
			refusedImport("5★ at province level", officer, with(map[string]any{"stars": 5, "score": 92}), 400, true),
			refusedImport("Ministry's name on a province certificate", officer, with(map[string]any{"authority_name": "bộ nông nghiệp và môi trường"}), 400, true),
			refusedImport("another province's producer", "officer.hanoi@example.com", with(nil), 403, true),
			refusedImport("province certificate by a central officer", "central@example.com", with(nil), 403, true),
			refusedImport("province certificate by an admin", "admin@example.com", with(nil), 403, true),
			refusedImport("another producer's product", officer, with(map[string]any{"product_id": productOf(t, app, banhSlug)}), 400, true),
			refusedImport("a product that does not exist", officer, with(map[string]any{"product_id": 987654321}), 400, true),
			refusedImport("unknown producer", officer, with(map[string]any{"producer_slug": "khong-co-chu-the-nay"}), 400, true),
			refusedImport("decided today", officer, with(map[string]any{"decision_date": today}), 400, true),
			refusedImport("decided in the future", officer, with(map[string]any{"decision_date": today.AddDays(3)}), 400, true),
			refusedImport("district with no district name", officer, with(map[string]any{"authority_level": "district", "stars": 3, "score": 60,
				"decision_date": day.New(2024, 3, 1)}), 400, true),
			refusedImport("a former name after the 2025 reform", officer, with(map[string]any{"authority_name": "UBND huyện Cao Lộc"}), 400, true),
			refusedImport("unknown product group", officer, with(map[string]any{"group_code": "Z.9"}), 400, true),
			// Text no person typed is refused before authentication, for every route
			// (refuseBadText): nothing is written, not even a refused-attempt audit entry.
			refusedImport("NUL in the product name", officer, with(map[string]any{"product_name": "Lạp\x00sườn"}), 400, false),
			refusedImport("control character in the number", officer, with(map[string]any{"number": "12/\x07QĐ"}), 400, false),
			refusedImport("huge score", officer, with(map[string]any{"score": 1e300}), 400, true),
			refusedImport("three decimals", officer, with(map[string]any{"score": 75.123}), 400, true),
			refusedImport("missing decision number", officer, with(map[string]any{"decision_no": nil}), 400, true),
		})

		// Go-live: once the province's day is set, a decision on or after it is refused.
		goLive := today.AddDays(-30)
		regClient{t, app}.do(app.TokenOf("admin@example.com"), "PUT", "/api/v1/admin/authorities/20", map[string]any{"name": "UBND tỉnh Lạng Sơn", "go_live_on": goLive}, http.StatusOK)
		var afterGoLive []webtest.Scenario
		for _, d := range []day.Date{goLive, goLive.AddDays(5)} {
			sc := refusedImport(fmt.Sprintf("decision of %s after go-live %s", d, goLive), officer, with(map[string]any{"decision_date": d}), 400, true)
			check := sc.Check
			sc.Check = func(t *testing.T, app *webtest.App, res *webtest.Response) {
				if !strings.Contains(string(res.Body), "registry.err.after_go_live") && !strings.Contains(string(res.Body), "bắt đầu dùng sổ") {
					t.Errorf("the problem does not say why: %s", res.Body)
				}
				check(t, app, res)
			}
			afterGoLive = append(afterGoLive, sc)
		}
		// The day before go-live is still the past: accepted, as a pending import.
		webtest.RunScenarios(t, app, append(afterGoLive, webtest.Scenario{Name: "the day before go-live", As: officer, Method: "POST",
			URL: "/api/v1/registry/certificates/import", Body: with(map[string]any{"decision_date": goLive.AddDays(-1)}), Status: http.StatusCreated,
			Contains: []string{`"status":"pending"`}}))
	})
}

// importWith returns a function giving importBody (dated decided) with
// changes: a nil value removes the field.
func importWith(decided day.Date) func(changes map[string]any) map[string]any {
	return func(changes map[string]any) map[string]any {
		b := importBody(decided, "")
		for k, v := range changes {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
}

// refusedImport is an import as the account as (a visitor when "") that
// must be refused with want, leave no certificate behind, and (when
// audited) write one refused-import audit entry.
func refusedImport(name, as string, body map[string]any, want int, audited bool) webtest.Scenario {
	var certs, refused int64
	return webtest.Scenario{Name: name, As: as, Method: "POST", URL: "/api/v1/registry/certificates/import", Body: body, Status: want,
		Before: func(t *testing.T, app *webtest.App) {
			certs, refused = countRows(t, app, &registry.Certificate{}, ""), refusedAudits(t, app, "certificate.import")
		},
		Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
			if n := countRows(t, app, &registry.Certificate{}, ""); n != certs {
				t.Errorf("%d certificates after the refusal, want %d", n, certs)
			}
			if got := refusedAudits(t, app, "certificate.import") - refused; audited && got != 1 {
				t.Errorf("%d refused-import audit entries, want 1", got)
			}
		}}
}

// TestImportNumberIsUniquePerAuthority: one authority, one number, whatever
// the spelling of the authority or the spacing and case of the number.
func TestImportNumberIsUniquePerAuthority(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		tok := app.Token("officer@example.com")
		past := day.Today().AddDays(-100)
		first := importBody(past, "15/GCN-UBND")
		first["authority_name"] = "UBND tỉnh Lạng Sơn"
		var c struct {
			Code          string `json:"code"`
			Number        string `json:"number"`
			AuthorityName string `json:"authority_name"`
		}
		r.do(tok, "POST", "/api/v1/registry/certificates/import", first, http.StatusCreated).JSON(t, &c)
		variants := []struct{ authority, number string }{
			{"UBND tỉnh Lạng Sơn", "15/GCN-UBND"},
			{"UBND Tỉnh Lạng Sơn", "15/GCN-UBND"},
			{"UBND tỉnh Lạng Sơn ", "15/GCN-UBND"},
			{"  ubnd   tỉnh lạng sơn", " 15/GCN-UBND  "},
			{"UBND tỉnh Lạng Sơn", "15/gcn-ubnd"},
			{"UBND tỉnh Lạng Sơn", "15/GCN-UBND\t"},
			{"", "15/GCN-UBND"},
		}
		for _, v := range variants {
			b := importBody(past, v.number)
			b["product_name"] = "Sản phẩm khác"
			if v.authority != "" {
				b["authority_name"] = v.authority
			}
			certs := countRows(t, app, &registry.Certificate{}, "")
			refused := refusedAudits(t, app, "certificate.import")
			r.do(tok, "POST", "/api/v1/registry/certificates/import", b, http.StatusConflict)
			if countRows(t, app, &registry.Certificate{}, "") != certs || refusedAudits(t, app, "certificate.import") != refused+1 {
				t.Errorf("%q %q: the duplicate left a row or was not audited", v.authority, v.number)
			}
		}
		// The same number under another authority (the central level) is another certificate.
		b := importBody(past, "15/GCN-UBND")
		b["authority_level"], b["stars"], b["score"] = "central", 5, 91
		r.do(app.Token("central@example.com"), "POST", "/api/v1/registry/certificates/import", b, http.StatusCreated)
		// A lower-case "đ" is the same letter as "Đ".
		r.do(tok, "POST", "/api/v1/registry/certificates/import", importBody(past, "7/QĐ-UBND"), http.StatusCreated)
		r.do(tok, "POST", "/api/v1/registry/certificates/import", importBody(past, "7/qđ-ubnd"), http.StatusConflict)
		// A replayed import with no number on paper is the same record, not a second certificate.
		replay := importBody(past, "")
		replay["product_name"] = "Tương ớt phát lại"
		r.do(tok, "POST", "/api/v1/registry/certificates/import", replay, http.StatusCreated)
		r.do(tok, "POST", "/api/v1/registry/certificates/import", replay, http.StatusConflict)
		var stored registry.Certificate
		app.DB.Where("code = ?", c.Code).First(&stored)
		if stored.AuthorityName != "UBND tỉnh Lạng Sơn" || stored.NumberKey != "15/GCN-UBND" {
			t.Errorf("stored authority %q, key %q", stored.AuthorityName, stored.NumberKey)
		}
	})
}
