package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// text is a page body with HTML entities decoded, for plain-text checks.
func text(r *webtest.Response) string { return html.UnescapeString(string(r.Body)) }

// TestPageAccess visits every page route of the skeleton as each kind of
// visitor: the status, the redirect target and what the page shows (an
// error page in HTML).
func TestPageAccess(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		own, other := legalName(t, app, producer1Slug), legalName(t, app, producer2Slug)
		denied := []string{"Không có quyền"}
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "home, anonymous", URL: "/", Status: 200, Contains: []string{"Chợ OCOP", "Đặc sản OCOP Lạng Sơn", own, "Đăng nhập"}},
			{Name: "login page", URL: "/login", Status: 200, Contains: []string{"Mật khẩu", `name="_csrf"`}},
			{Name: "register page", URL: "/register", Status: 200, Contains: []string{"Tạo tài khoản", `name="_csrf"`}},
			{Name: "account, anonymous", URL: "/account", Status: 303, Location: "/login?next=/account"},
			{Name: "portal, anonymous", URL: "/portal", Status: 303, Location: "/login?next=/portal"},
			{Name: "registry, anonymous", URL: "/registry", Status: 303, Location: "/login?next=/registry"},
			{Name: "admin, anonymous", URL: "/admin", Status: 303, Location: "/login?next=/admin"},
			{Name: "account, shopper", As: "shopper@example.com", URL: "/account", Status: 200, Contains: []string{"Lê Thị Mua", "shopper@example.com", "Người mua"}},
			{Name: "portal, shopper", As: "shopper@example.com", URL: "/portal", Status: 403, Contains: denied, NotContains: []string{own}},
			{Name: "registry, shopper", As: "shopper@example.com", URL: "/registry", Status: 403, Contains: denied},
			{Name: "admin, shopper", As: "shopper@example.com", URL: "/admin", Status: 403, Contains: denied},
			{Name: "portal, producer sees only their own", As: "producer@example.com", URL: "/portal", Status: 200, Contains: []string{own}, NotContains: []string{other}},
			{Name: "portal, second producer", As: "producer2@example.com", URL: "/portal", Status: 200, Contains: []string{other}, NotContains: []string{own}},
			{Name: "registry, producer", As: "producer@example.com", URL: "/registry", Status: 403, Contains: denied},
			{Name: "admin, producer", As: "producer@example.com", URL: "/admin", Status: 403, Contains: denied},
			{Name: "registry, Lạng Sơn officer", As: "officer@example.com", URL: "/registry", Status: 200, Contains: []string{"Phạm vi: Tỉnh Lạng Sơn."}},
			{Name: "registry, central officer", As: "central@example.com", URL: "/registry", Status: 200, Contains: []string{"cấp trung ương"}},
			{Name: "registry, Hà Nội officer", As: "officer.hanoi@example.com", URL: "/registry", Status: 200, Contains: []string{"Hà Nội"}, NotContains: []string{own}},
			{Name: "portal, officer", As: "officer@example.com", URL: "/portal", Status: 403, Contains: denied},
			{Name: "admin, officer", As: "officer@example.com", URL: "/admin", Status: 403, Contains: denied},
			{Name: "admin, admin", As: "admin@example.com", URL: "/admin", Status: 200, Contains: []string{"Quản trị", own, "/admin/producers/", "<td>Tỉnh Lạng Sơn</td>"}, NotContains: []string{"<td>20</td>"}},
			{Name: "portal, admin", As: "admin@example.com", URL: "/portal", Status: 403, Contains: denied},
			{Name: "registry, admin", As: "admin@example.com", URL: "/registry", Status: 403, Contains: denied},
			{Name: "unknown page", URL: "/no-such-page", Status: 404, Contains: []string{"Không tìm thấy trang", "Về trang chủ"}},
			{Name: "unknown page, signed in", As: "shopper@example.com", URL: "/no/such/page", Status: 404, Contains: []string{"Không tìm thấy trang", "Lê Thị Mua"}},
			{Name: "unsupported language", URL: "/lang/fr", Status: 404, Contains: []string{"Không tìm thấy trang"}},
			{Name: "trailing slash", URL: "/login/", Status: 301, Location: "/login"},
		})
	})
}

// legalName is the legal name of the demo producer slug.
func legalName(t *testing.T, app *webtest.App, slug string) string {
	t.Helper()
	var p producer.Producer
	if err := app.DB.Where("slug = ?", slug).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p.LegalName
}

// TestDemoAccountsLand signs in with every demo account and checks that each
// lands on a page made for its role.
func TestDemoAccountsLand(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		want := map[account.Role]struct{ path, text string }{
			account.RoleShopper:  {"/", "Đặc sản OCOP Lạng Sơn"},
			account.RoleProducer: {"/portal", "Cổng nhà sản xuất"},
			account.RoleOfficer:  {"/registry", "Sổ chứng nhận OCOP"},
			account.RoleAdmin:    {"/admin", "Nhà sản xuất"},
		}
		for _, a := range seed.DemoAccounts {
			t.Run(a.Email, func(t *testing.T) {
				b := app.Browser()
				res := b.Post("/login", "/login", url.Values{"email": {a.Email}, "password": {seed.DemoPassword}})
				w := want[a.Role]
				if a.Level == account.LevelCommune {
					w.path, w.text = "/registry/applications", "Hồ sơ đánh giá"
				}
				if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != w.path {
					t.Fatalf("sign in: %d to %q, want 303 to %q", res.StatusCode, res.Header.Get("Location"), w.path)
				}
				page := b.Get(w.path)
				if page.StatusCode != 200 {
					t.Fatalf("landing page %s: %d", w.path, page.StatusCode)
				}
				body := text(page)
				for _, s := range []string{w.text, a.Name, "Bạn đã đăng nhập."} {
					if !strings.Contains(body, s) {
						t.Errorf("landing page %s does not show %q", w.path, s)
					}
				}
			})
		}
	})
}

var alertRe = regexp.MustCompile(`(?s)<p class="error" role="alert">(.*?)</p>`)

// alert returns the form's error message, or "".
func alert(r *webtest.Response) string {
	m := alertRe.FindSubmatch(r.Body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// TestPageBadInput sends each bad form the issue names and checks the answer
// and that nothing changed. (The forms without a valid CSRF token are in
// TestUnsafePagesNeedTheCSRFToken.)
func TestPageBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		webtest.RunScenarios(t, app, badRegistrations)
		sessions := countTable(t, app, "sessions")
		webtest.RunScenarios(t, app, badSignIns())
		if n := countTable(t, app, "sessions"); n != sessions {
			t.Errorf("failed sign-ins started sessions: %d before, %d after", sessions, n)
		}
	})
}

// badRegistrations are refused registration forms: each is a 4xx that
// writes no row.
var badRegistrations = []webtest.Scenario{
	{Name: "duplicate e-mail on register", Method: "POST", URL: "/register", Fresh: true, FormPage: "/register",
		Form: url.Values{"name": {"Dup"}, "email": {"Shopper@Example.com"}, "password": {"longenough"}}, Status: 409, Unchanged: true,
		Check: func(t *testing.T, app *webtest.App, res *webtest.Response) {
			if a := alert(res); !strings.Contains(a, "Email này đã có tài khoản") {
				t.Errorf("message %q does not say the e-mail is taken", a)
			}
			var n int64
			app.DB.Model(&account.User{}).Where("email = ?", "shopper@example.com").Count(&n)
			if n != 1 {
				t.Errorf("%d users with the e-mail, want 1", n)
			}
		}},
	{Name: "register with invalid fields", Method: "POST", URL: "/register", Fresh: true, FormPage: "/register",
		Form: url.Values{"name": {""}, "email": {"not-an-email"}, "password": {"short"}}, Status: 400, Unchanged: true,
		// An error next to each field, and the e-mail typed kept in the form.
		Contains: []string{`id="e-name"`, `id="e-email"`, `id="e-password"`, `value="not-an-email"`}},
	{Name: "form body over the limit", Method: "POST", URL: "/register", Fresh: true, FormPage: "/register",
		Form: url.Values{"name": {strings.Repeat("x", 2<<20)}, "email": {"big@example.com"}, "password": {"longenough"}}, Status: 413, Unchanged: true},
}

// badSignIns are refused sign-ins: a wrong password and an unknown e-mail
// get the same answer, and repeated failures are rate limited.
func badSignIns() []webtest.Scenario {
	var wrong string
	signIn := func(email, password string) url.Values { return url.Values{"email": {email}, "password": {password}} }
	table := []webtest.Scenario{
		{Name: "wrong password", Method: "POST", URL: "/login", Fresh: true, Form: signIn("shopper@example.com", "wrong-password"), Status: 401,
			Check: func(t *testing.T, _ *webtest.App, res *webtest.Response) {
				if wrong = alert(res); wrong == "" {
					t.Error("no message for a wrong password")
				}
			}},
		{Name: "unknown e-mail gets the wrong password's answer", Method: "POST", URL: "/login", Fresh: true, Form: signIn("ghost@example.com", "wrong-password"), Status: 401,
			Check: func(t *testing.T, _ *webtest.App, res *webtest.Response) {
				if alert(res) != wrong {
					t.Errorf("messages differ (account enumeration): %q vs %q", wrong, alert(res))
				}
			}},
	}
	// One browser (the app's visitor) fails six times.
	for i := 1; i <= 5; i++ {
		table = append(table, webtest.Scenario{Name: fmt.Sprintf("failure %d", i), Method: "POST", URL: "/login", Form: signIn("producer2@example.com", "guess-guess"), Status: 401})
	}
	return append(table,
		webtest.Scenario{Name: "6th failure is rate limited", Method: "POST", URL: "/login", Form: signIn("producer2@example.com", "guess-guess"), Status: 429,
			Check: func(t *testing.T, _ *webtest.App, res *webtest.Response) {
				if a := alert(res); !strings.Contains(a, "Bạn đã thử quá nhiều lần") && !strings.Contains(a, "quá nhiều") {
					t.Errorf("429 message %q does not say to wait", a)
				}
			}},
		webtest.Scenario{Name: "right password during lockout", Method: "POST", URL: "/login", Form: signIn("producer2@example.com", seed.DemoPassword), Status: 429},
	)
}

func countTable(t *testing.T, app *webtest.App, table string) int64 {
	t.Helper()
	var n int64
	if err := app.DB.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func clip(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}
