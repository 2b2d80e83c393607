package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// regClient wraps an app with helpers for registry API calls.
type regClient struct {
	t   *testing.T
	app *webtest.App
}

// do sends a request and fails the test unless the status is want.
func (r regClient) do(token, method, path string, body any, want int) *webtest.Response {
	r.t.Helper()
	res := r.app.API(webtest.Req{Method: method, Path: path, Body: body, Token: token})
	if res.StatusCode != want {
		r.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, res.Body)
	}
	return res
}

// upload posts one dossier file as multipart/form-data.
func (r regClient) upload(token, code, name string, content []byte, want int) *webtest.Response {
	r.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", "registration_form") // writes into a bytes.Buffer, which cannot fail
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content) // writes into a bytes.Buffer, which cannot fail
	_ = mw.Close()           // writes into a bytes.Buffer, which cannot fail
	res := r.app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/applications/" + code + "/documents", Body: buf.Bytes(), Token: token,
		Header: map[string]string{"Content-Type": mw.FormDataContentType()}})
	if res.StatusCode != want {
		r.t.Fatalf("upload %s: status %d, want %d: %s", name, res.StatusCode, want, res.Body)
	}
	return res
}

// newOfficer adds a second Lạng Sơn council member and returns their token.
func newOfficer(t *testing.T, app *webtest.App, email, province string) string {
	t.Helper()
	in := account.NewUser{Email: email, Name: "Council member", Password: seed.DemoPassword, Role: account.RoleOfficer, OfficerLevel: account.LevelProvince, OfficerProvinceCode: province}
	if _, err := account.NewService(app.DB, nil).Create(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return app.Token(email)
}

// pdfBytes is the smallest thing the dossier check accepts as a PDF.
var pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// pngHeaderBytes is a PNG signature and header, enough for content sniffing.
var pngHeaderBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)

func countAudit(t *testing.T, app *webtest.App, outcome string) int64 {
	t.Helper()
	var n int64
	app.DB.Model(&registry.AuditEntry{}).Where("outcome = ?", outcome).Count(&n)
	return n
}

func statusOfApp(t *testing.T, app *webtest.App, code string) string {
	t.Helper()
	var a registry.Application
	if err := app.DB.Where("code = ?", code).First(&a).Error; err != nil {
		t.Fatal(err)
	}
	return string(a.Status)
}

// backdateSubmission moves an application's submission to d, as if it had
// been filed then, so that a test may record a decision dated in the past.
func backdateSubmission(t *testing.T, app *webtest.App, code string, d day.Date) {
	t.Helper()
	at := d.Time().Add(3 * time.Hour) // 10:00 in Vietnam
	if err := app.DB.Model(&registry.Application{}).Where("code = ?", code).Update("submitted_at", at).Error; err != nil {
		t.Fatal(err)
	}
}
