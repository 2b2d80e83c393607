package web_test

import (
	"encoding/json"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/web/browsertest"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestSkeletonJourney walks the skeleton in a real browser: home, register a
// shopper, sign out, sign in again, switch to English and back. The language
// choice must hold across pages and after signing in.
func TestSkeletonJourney(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := browsertest.New(t, app.HTTP.URL)

		b.Open("/")
		b.WaitText("Chợ OCOP")
		b.WaitText("Đặc sản OCOP Lạng Sơn")
		if lang := b.Attr("html", "lang"); lang != "vi" {
			t.Fatalf("home page lang = %q, want vi by default", lang)
		}
		accessible(t, b, "/")
		accessible(t, b, "/register")
		accessible(t, b, "/login")
		b.Open("/")

		// Register a new shopper.
		b.Click("Đăng ký")
		b.Fill("Họ và tên", "Hoàng Thị Mai")
		b.Fill("Email", "mai@example.com")
		b.Fill("Mật khẩu (ít nhất 8 ký tự)", "mat-khau-dai")
		b.Click("Tạo tài khoản")
		b.WaitText("Chào mừng bạn đến với Chợ OCOP.")
		b.WaitText("Hoàng Thị Mai") // the header shows who is signed in
		var u account.User
		if err := app.DB.Where("email = ?", "mai@example.com").First(&u).Error; err != nil {
			t.Fatalf("registered user not stored: %v", err)
		}
		if u.Role != account.RoleShopper {
			t.Errorf("new account role = %q, want shopper", u.Role)
		}

		// Sign out, then sign in again.
		b.Click("Đăng xuất")
		b.WaitText("Bạn đã đăng xuất.")
		b.Click("Đăng nhập")
		b.Fill("Email", "mai@example.com")
		b.Fill("Mật khẩu", "mat-khau-dai")
		b.Click("Đăng nhập")
		b.WaitText("Bạn đã đăng nhập.")
		b.WaitText("Hoàng Thị Mai")

		// Switch to English: the page, the next page and the account follow.
		b.Click("English")
		b.WaitText("Lạng Sơn OCOP specialties")
		if lang := b.Attr("html", "lang"); lang != "en" {
			t.Fatalf("after switching, lang = %q, want en", lang)
		}
		b.Click("Hoàng Thị Mai") // account page
		b.WaitText("Sign out")
		if err := app.DB.First(&u, u.ID).Error; err != nil || u.Locale != "en" {
			t.Errorf("account locale = %q (%v), want en remembered on the account", u.Locale, err)
		}

		// Sign out and in again: English is still the choice.
		b.Click("Sign out")
		b.WaitText("You are signed out.")
		b.Click("Sign in")
		b.Fill("E-mail", "mai@example.com")
		b.Fill("Password", "mat-khau-dai")
		b.Click("Sign in")
		b.WaitText("You are signed in.")
		b.WaitText("Lạng Sơn OCOP specialties")

		// And back to Vietnamese, remembered on the next page.
		b.Click("Tiếng Việt")
		b.WaitText("Đặc sản OCOP Lạng Sơn")
		b.Open("/login")
		b.WaitText("Chưa có tài khoản")
		if lang := b.Attr("html", "lang"); lang != "vi" {
			t.Fatalf("after switching back, lang = %q, want vi", lang)
		}
		if c := b.Cookie("ocop_lang"); c != "vi" {
			t.Errorf("language cookie = %q, want vi", c)
		}
		b.NoConsoleErrors() // no CSP violations, no script errors, no missing assets
	})
}

// a11yJS lists what a page gets wrong for people with a screen reader or a
// keyboard: unlabelled fields, images without alt, not exactly one h1, no
// skip link as the first thing Tab reaches.
const a11yJS = `(() => {
  const p = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label')) p.push('field without label: ' + (el.name || el.id));
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) p.push('image without alt: ' + img.src);
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) p.push(h1 + ' h1 elements');
  const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
  if (!first || !first.classList.contains('skip')) p.push('the first focusable element is not the skip link');
  if (!document.documentElement.lang) p.push('no lang on html');
  return p;
})()`

// accessible opens path and fails on what a11yJS finds.
func accessible(t *testing.T, b *browsertest.Browser, path string) {
	t.Helper()
	b.Open(path)
	var problems []string
	if err := json.Unmarshal(b.Eval(a11yJS), &problems); err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", path, p)
	}
}
