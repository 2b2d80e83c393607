package web_test

import (
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
// visitor: the status, the redirect target and what the page shows.
func TestPageAccess(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var own, other producer.Producer
		if err := app.DB.Where("slug = ?", "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh").Take(&own).Error; err != nil {
			t.Fatal(err)
		}
		if err := app.DB.Where("slug = ?", "hkd-tran-dieu-huong").Take(&other).Error; err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, as, path string
			status         int
			location       string   // for redirects
			want, notWant  []string // texts on the page
		}{
			{"home, anonymous", "", "/", 200, "", []string{"Chợ OCOP", "Đặc sản OCOP Lạng Sơn", own.LegalName, "Đăng nhập"}, nil},
			{"login page", "", "/login", 200, "", []string{"Mật khẩu", `name="_csrf"`}, nil},
			{"register page", "", "/register", 200, "", []string{"Tạo tài khoản", `name="_csrf"`}, nil},
			{"account, anonymous", "", "/account", 303, "/login?next=/account", nil, nil},
			{"portal, anonymous", "", "/portal", 303, "/login?next=/portal", nil, nil},
			{"registry, anonymous", "", "/registry", 303, "/login?next=/registry", nil, nil},
			{"admin, anonymous", "", "/admin", 303, "/login?next=/admin", nil, nil},
			{"account, shopper", "shopper@example.com", "/account", 200, "", []string{"Lê Thị Mua", "shopper@example.com", "Người mua"}, nil},
			{"portal, shopper", "shopper@example.com", "/portal", 403, "", []string{"Không có quyền"}, []string{own.LegalName}},
			{"registry, shopper", "shopper@example.com", "/registry", 403, "", []string{"Không có quyền"}, nil},
			{"admin, shopper", "shopper@example.com", "/admin", 403, "", []string{"Không có quyền"}, nil},
			{"portal, producer sees only their own", "producer@example.com", "/portal", 200, "", []string{own.LegalName}, []string{other.LegalName}},
			{"portal, second producer", "producer2@example.com", "/portal", 200, "", []string{other.LegalName}, []string{own.LegalName}},
			{"registry, producer", "producer@example.com", "/registry", 403, "", []string{"Không có quyền"}, nil},
			{"admin, producer", "producer@example.com", "/admin", 403, "", []string{"Không có quyền"}, nil},
			{"registry, Lạng Sơn officer", "officer@example.com", "/registry", 200, "", []string{"Phạm vi: Tỉnh Lạng Sơn."}, nil},
			{"registry, central officer", "central@example.com", "/registry", 200, "", []string{"cấp trung ương"}, nil},
			{"registry, Hà Nội officer", "officer.hanoi@example.com", "/registry", 200, "", []string{"Hà Nội"}, []string{own.LegalName}},
			{"portal, officer", "officer@example.com", "/portal", 403, "", []string{"Không có quyền"}, nil},
			{"admin, officer", "officer@example.com", "/admin", 403, "", []string{"Không có quyền"}, nil},
			{"admin, admin", "admin@example.com", "/admin", 200, "", []string{"Quản trị", own.LegalName, "/admin/producers/"}, nil},
			{"portal, admin", "admin@example.com", "/portal", 403, "", []string{"Không có quyền"}, nil},
			{"registry, admin", "admin@example.com", "/registry", 403, "", []string{"Không có quyền"}, nil},
			{"unknown page", "", "/no-such-page", 404, "", []string{"Không tìm thấy trang", "Về trang chủ"}, nil},
			{"unknown page, signed in", "shopper@example.com", "/no/such/page", 404, "", []string{"Không tìm thấy trang", "Lê Thị Mua"}, nil},
			{"unsupported language", "", "/lang/fr", 404, "", []string{"Không tìm thấy trang"}, nil},
			{"trailing slash", "", "/login/", 301, "/login", nil, nil},
		}
		browsers := map[string]*webtest.Browser{}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				b, ok := browsers[tc.as]
				if !ok {
					b = app.Browser()
					if tc.as != "" {
						b.Login(tc.as)
					}
					browsers[tc.as] = b
				}
				res := b.Get(tc.path)
				if res.StatusCode != tc.status {
					t.Fatalf("GET %s as %q: status %d, want %d\n%s", tc.path, tc.as, res.StatusCode, tc.status, clip(text(res)))
				}
				if tc.location != "" && res.Header.Get("Location") != tc.location {
					t.Errorf("redirect to %q, want %q", res.Header.Get("Location"), tc.location)
				}
				body := text(res)
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("page does not show %q\n%s", w, clip(body))
					}
				}
				for _, w := range tc.notWant {
					if strings.Contains(body, w) {
						t.Errorf("page shows %q, which this visitor must not see", w)
					}
				}
				if tc.status >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					t.Errorf("error page content type %q, want text/html", res.Header.Get("Content-Type"))
				}
			})
		}
	})
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
// and that nothing changed.
func TestPageBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		count := func(table string) int64 {
			var n int64
			if err := app.DB.Table(table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		users, sessions := count("users"), count("sessions")

		t.Run("register without CSRF token", func(t *testing.T) {
			b := app.Browser()
			b.Get("/register") // has the cookie, sends no token
			res := b.Post("", "/register", url.Values{"name": {"X"}, "email": {"x1@example.com"}, "password": {"longenough"}})
			if res.StatusCode != 403 || !strings.Contains(text(res), "Không có quyền") {
				t.Fatalf("status %d, want the 403 page", res.StatusCode)
			}
		})
		t.Run("register with forged CSRF token", func(t *testing.T) {
			b := app.Browser()
			b.Get("/register")
			res := b.Post("", "/register", url.Values{"_csrf": {"forged-token"}, "name": {"X"}, "email": {"x2@example.com"}, "password": {"longenough"}})
			if res.StatusCode != 403 {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
		})
		t.Run("CSRF token of another visitor", func(t *testing.T) {
			other := app.Browser().CSRF("/register")
			b := app.Browser()
			b.Get("/register")
			res := b.Post("", "/register", url.Values{"_csrf": {other}, "name": {"X"}, "email": {"x3@example.com"}, "password": {"longenough"}})
			if res.StatusCode != 403 {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
		})
		t.Run("login without CSRF token", func(t *testing.T) {
			res := app.Browser().Post("", "/login", url.Values{"email": {"shopper@example.com"}, "password": {seed.DemoPassword}})
			if res.StatusCode != 403 {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
		})
		if n := count("users"); n != users {
			t.Errorf("forms without a valid CSRF token created users: %d before, %d after", users, n)
		}
		if n := count("sessions"); n != sessions {
			t.Errorf("a sign-in without a valid CSRF token started a session: %d before, %d after", sessions, n)
		}

		t.Run("logout without CSRF token keeps the session", func(t *testing.T) {
			b := app.Browser()
			b.Login("shopper@example.com")
			if res := b.Post("", "/logout", url.Values{}); res.StatusCode != 403 {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
			if res := b.Get("/account"); res.StatusCode != 200 {
				t.Fatalf("session ended by a forged logout: /account answers %d", res.StatusCode)
			}
		})
		t.Run("admin action without CSRF token", func(t *testing.T) {
			var p producer.Producer
			app.DB.Where("status = ?", producer.StatusApproved).Take(&p)
			b := app.Browser()
			b.Login("admin@example.com")
			res := b.Post("", "/admin/producers/"+p.Slug+"/suspend", url.Values{"from": {"approved"}})
			if res.StatusCode != 403 {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
			var after producer.Producer
			app.DB.Take(&after, p.ID)
			if after.Status != producer.StatusApproved {
				t.Errorf("producer status changed to %q by a forged form", after.Status)
			}
		})

		t.Run("duplicate e-mail on register", func(t *testing.T) {
			res := app.Browser().Post("/register", "/register", url.Values{"name": {"Dup"}, "email": {"Shopper@Example.com"}, "password": {"longenough"}})
			if res.StatusCode != 409 {
				t.Fatalf("status %d, want 409", res.StatusCode)
			}
			if a := alert(res); !strings.Contains(a, "Email này đã có tài khoản") {
				t.Errorf("message %q does not say the e-mail is taken", a)
			}
			var n int64
			app.DB.Model(&account.User{}).Where("email = ?", "shopper@example.com").Count(&n)
			if n != 1 {
				t.Errorf("%d users with the e-mail, want 1", n)
			}
		})
		t.Run("register with invalid fields", func(t *testing.T) {
			res := app.Browser().Post("/register", "/register", url.Values{"name": {""}, "email": {"not-an-email"}, "password": {"short"}})
			if res.StatusCode != 400 {
				t.Fatalf("status %d, want 400", res.StatusCode)
			}
			for _, f := range []string{"name", "email", "password"} {
				if !strings.Contains(string(res.Body), `id="e-`+f+`"`) {
					t.Errorf("no error shown next to field %s", f)
				}
			}
			if !strings.Contains(string(res.Body), `value="not-an-email"`) {
				t.Error("the e-mail typed is not kept in the form")
			}
		})
		t.Run("form body over the limit", func(t *testing.T) {
			res := app.Browser().Post("/register", "/register", url.Values{"name": {strings.Repeat("x", 2<<20)}, "email": {"big@example.com"}, "password": {"longenough"}})
			if res.StatusCode != 413 {
				t.Fatalf("status %d, want 413", res.StatusCode)
			}
		})
		if n := count("users"); n != users {
			t.Errorf("bad registrations created users: %d before, %d after", users, n)
		}

		sessions = count("sessions")
		t.Run("wrong password and unknown e-mail get the same answer", func(t *testing.T) {
			wrong := app.Browser().Post("/login", "/login", url.Values{"email": {"shopper@example.com"}, "password": {"wrong-password"}})
			unknown := app.Browser().Post("/login", "/login", url.Values{"email": {"ghost@example.com"}, "password": {"wrong-password"}})
			if wrong.StatusCode != 401 || unknown.StatusCode != 401 {
				t.Fatalf("statuses %d and %d, want 401 for both", wrong.StatusCode, unknown.StatusCode)
			}
			if alert(wrong) == "" || alert(wrong) != alert(unknown) {
				t.Errorf("messages differ (account enumeration): %q vs %q", alert(wrong), alert(unknown))
			}
		})
		t.Run("repeated failures are rate limited", func(t *testing.T) {
			b := app.Browser()
			var last *webtest.Response
			for i := 0; i < 6; i++ {
				last = b.Post("/login", "/login", url.Values{"email": {"producer2@example.com"}, "password": {"guess-guess"}})
			}
			if last.StatusCode != 429 {
				t.Fatalf("6th failure: status %d, want 429", last.StatusCode)
			}
			if a := alert(last); !strings.Contains(a, "Bạn đã thử quá nhiều lần") && !strings.Contains(a, "quá nhiều") {
				t.Errorf("429 message %q does not say to wait", a)
			}
			res := b.Post("/login", "/login", url.Values{"email": {"producer2@example.com"}, "password": {seed.DemoPassword}})
			if res.StatusCode != 429 {
				t.Errorf("right password during lockout: %d, want 429", res.StatusCode)
			}
		})
		if n := count("sessions"); n != sessions {
			t.Errorf("failed sign-ins started sessions: %d before, %d after", sessions, n)
		}
	})
}

func clip(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}
