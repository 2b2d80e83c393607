package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestRegisterSignOutSignIn follows the forms without a browser: register
// signs in, sign-out ends the session on the server, sign-in starts a new
// one and returns to the page asked for, and a language chosen before
// registering is kept on the account.
func TestRegisterSignOutSignIn(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := app.Browser()
		b.Get("/lang/en")
		res := b.Post("/register", "/register", url.Values{"name": {"Vi Văn Tài"}, "email": {"Tai@Example.com"}, "password": {"mat-khau-dai"}})
		if res.StatusCode != 303 || res.Header.Get("Location") != "/" {
			t.Fatalf("register: %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
		}
		var u account.User
		if err := app.DB.Where("email = ?", "tai@example.com").Take(&u).Error; err != nil {
			t.Fatalf("the e-mail is not stored normalised: %v", err)
		}
		if u.Role != account.RoleShopper || u.Locale != "en" {
			t.Errorf("new account: role %q, locale %q; want shopper, en", u.Role, u.Locale)
		}
		if page := text(b.Get("/account")); !strings.Contains(page, "Vi Văn Tài") || !strings.Contains(page, "Shopper") {
			t.Errorf("account page after registering does not show the shopper:\n%s", clip(page))
		}
		sessions := func() int64 {
			var n int64
			app.DB.Table("sessions").Where("user_id = ?", u.ID).Count(&n)
			return n
		}
		if sessions() != 1 {
			t.Fatalf("%d sessions after registering, want 1", sessions())
		}

		res = b.Post("/account", "/logout", url.Values{})
		if res.StatusCode != 303 {
			t.Fatalf("logout: %d", res.StatusCode)
		}
		if n := sessions(); n != 0 {
			t.Errorf("%d sessions after signing out, want the session ended on the server", n)
		}
		if res := b.Get("/account"); res.StatusCode != 303 {
			t.Errorf("/account after signing out: %d, want a redirect to sign in", res.StatusCode)
		}

		res = b.Post("/login?next=/account", "/login", url.Values{"email": {"tai@example.com"}, "password": {"mat-khau-dai"}, "next": {"/account"}})
		if res.StatusCode != 303 || res.Header.Get("Location") != "/account" {
			t.Fatalf("sign in with next=/account: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		res = b.Post("/login", "/login", url.Values{"email": {"tai@example.com"}, "password": {"mat-khau-dai"}, "next": {"//evil.example"}})
		if res.Header.Get("Location") != "/" {
			t.Errorf("sign in with next=//evil.example redirects to %q, want /", res.Header.Get("Location"))
		}
		if page := app.Browser().Get("/login?next=/account"); !strings.Contains(string(page.Body), `name="next" value="/account"`) {
			t.Errorf("the login form does not carry next=/account")
		}
		if page := app.Browser().Get("/login?next=//evil.example"); strings.Contains(string(page.Body), "evil.example") {
			t.Errorf("the login form carries a foreign next")
		}
	})
}
