package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

func TestAuthAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		countUsers := func() int64 {
			var n int64
			app.DB.Model(&account.User{}).Count(&n)
			return n
		}
		before := countUsers()
		cases := []struct {
			name   string
			req    webtest.Req
			status int
			field  string // a field the problem must name
		}{
			{"token for demo shopper", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "shopper@example.com", "password": seed.DemoPassword}}, 201, ""},
			{"e-mail is case-insensitive", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "Shopper@Example.COM", "password": seed.DemoPassword}}, 201, ""},
			{"wrong password", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "shopper@example.com", "password": "nope-nope"}}, 401, ""},
			{"unknown e-mail", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "ghost@example.com", "password": "nope-nope"}}, 401, ""},
			{"malformed JSON", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: `{"email": `}, 400, ""},
			{"unknown field", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: `{"email":"a@b.vn","password":"x","admin":true}`}, 400, "admin"},
			{"wrong type", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: `{"email":42,"password":"x"}`}, 400, "email"},
			{"missing password", webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: `{"email":"a@b.vn"}`}, 400, "password"},
			{"body over the limit", webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: `{"email":"big@example.com","name":"` + strings.Repeat("x", 2<<20) + `","password":"longenough"}`}, 413, ""},
			{"over-long name", webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": "long@example.com", "name": strings.Repeat("x", 121), "password": "longenough"}}, 400, "name"},
			{"register duplicate e-mail", webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": "SHOPPER@example.com", "name": "Dup", "password": "longenough"}}, 409, ""},
			{"register short password", webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": "new@example.com", "name": "N", "password": "short"}}, 400, "password"},
			{"me without token", webtest.Req{Method: "GET", Path: "/api/v1/me"}, 401, ""},
			{"me with forged token", webtest.Req{Method: "GET", Path: "/api/v1/me", Token: "ocop_forged"}, 401, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := app.API(tc.req)
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, res.Body)
				}
				if tc.status >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
					t.Errorf("error content type %q, want application/problem+json", res.Header.Get("Content-Type"))
				}
				if tc.field != "" && !strings.Contains(string(res.Body), `"name":"`+tc.field+`"`) {
					t.Errorf("problem does not name field %q: %s", tc.field, res.Body)
				}
			})
		}
		if after := countUsers(); after != before {
			t.Errorf("bad requests wrote users: %d before, %d after", before, after)
		}
	})
}

func TestTokenLifecycle(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": "lan@example.com", "name": "Lan", "password": "mat-khau-dai"}})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("register: %d %s", res.StatusCode, res.Body)
		}
		res = app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "lan@example.com", "password": "mat-khau-dai"}})
		var tok struct{ Token string }
		res.JSON(t, &tok)
		var me struct{ Email, Role string }
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/me", Token: tok.Token}).JSON(t, &me)
		if me.Email != "lan@example.com" || me.Role != "shopper" {
			t.Fatalf("me = %+v, want lan@example.com as shopper", me)
		}
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token/revoke", Token: tok.Token}); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		if res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/me", Token: tok.Token}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("revoked token still works: %d", res.StatusCode)
		}
	})
}

func TestMeReportsRoleAndScope(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		for _, a := range seed.DemoAccounts {
			var me struct {
				Role, OfficerProvinceCode, ProducerSlug string
				OfficerLevel                            string `json:"officer_level"`
			}
			res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/me", Token: app.Token(a.Email)})
			res.JSON(t, &me)
			if me.Role != string(a.Role) {
				t.Errorf("%s: role %q, want %q", a.Email, me.Role, a.Role)
			}
			if a.Producer != "" && !strings.Contains(string(res.Body), a.Producer) {
				t.Errorf("%s: producer slug %q missing from %s", a.Email, a.Producer, res.Body)
			}
			if a.Role == account.RoleOfficer && me.OfficerLevel != string(a.Level) {
				t.Errorf("%s: officer level %q, want %q", a.Email, me.OfficerLevel, a.Level)
			}
		}
	})
}

func TestSignInRateLimit(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		bad := webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "shopper@example.com", "password": "wrong-guess"}}
		for i := 0; i < 5; i++ {
			if res := app.API(bad); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d, want 401", i+1, res.StatusCode)
			}
		}
		res := app.API(bad)
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("6th failure: %d, want 429", res.StatusCode)
		}
		// Even the right password waits out the window: a guesser learns nothing.
		good := bad
		good.Body = map[string]string{"email": "shopper@example.com", "password": seed.DemoPassword}
		if res := app.API(good); res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right password during lockout: %d, want 429", res.StatusCode)
		}
	})
}
