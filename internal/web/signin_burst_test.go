package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// TestSignInBurstIsLimitedOverHTTP sends 30 wrong passwords for one account
// at once through the API, then the right one: exactly 5 guesses are
// checked (401), the other 25 and the right password are refused with 429
// and a Retry-After, on both dialects. The sign-in page says when to retry too.
func TestSignInBurstIsLimitedOverHTTP(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token",
					Body: map[string]string{"email": "shopper@example.com", "password": fmt.Sprintf("doan-sai-%02d", i)}})
				mu.Lock()
				statuses[res.StatusCode]++
				mu.Unlock()
				if res.StatusCode == http.StatusTooManyRequests {
					if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 {
						t.Errorf("429 with Retry-After %q, want whole seconds", res.Header.Get("Retry-After"))
					}
				}
			}()
		}
		wg.Wait()
		if statuses[401] != 5 || statuses[429] != 25 || len(statuses) != 2 {
			t.Errorf("30 parallel guesses answered %v, want 5×401 and 25×429", statuses)
		}
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "shopper@example.com", "password": seed.DemoPassword}})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("the right password after the burst: %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
		}
		// The sign-in page shares the limit (per client address and e-mail).
		b := app.Browser()
		for i := range 5 {
			if res := b.Post("/login", "/login", url.Values{"email": {"shopper@example.com"}, "password": {fmt.Sprint("sai-", i)}}); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password %d on the page: %d", i, res.StatusCode)
			}
		}
		page := b.Post("/login", "/login", url.Values{"email": {"shopper@example.com"}, "password": {seed.DemoPassword}})
		if page.StatusCode != http.StatusTooManyRequests || page.Header.Get("Retry-After") == "" {
			t.Errorf("the sign-in page after the burst: %d (Retry-After %q), want 429 with Retry-After", page.StatusCode, page.Header.Get("Retry-After"))
		}
	})
}

// TestCSRFTokenRotatesWithTheSession reads the CSRF token a visitor holds
// before signing in, after, and after signing out: each is new, and a
// token from before sign-in no longer works for the signed-in session.
func TestCSRFTokenRotatesWithTheSession(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		b := app.Browser()
		before := b.CSRF("/login")
		res := b.Post("", "/login", url.Values{"_csrf": {before}, "email": {"shopper@example.com"}, "password": {seed.DemoPassword}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		if n := len(res.Header.Values("Set-Cookie")); n == 0 {
			t.Fatal("sign-in set no cookies")
		}
		csrfCookies := 0
		for _, c := range res.Cookies() {
			if c.Name == "ocop_csrf" {
				csrfCookies++
			}
		}
		if csrfCookies != 1 {
			t.Errorf("sign-in sent %d ocop_csrf cookies, want exactly 1 (the new token)", csrfCookies)
		}
		after := b.CSRF("/account")
		if after == before {
			t.Fatalf("the CSRF token is the same before and after sign-in")
		}
		if res := b.Post("", "/logout", url.Values{"_csrf": {before}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("sign-out with the token from before sign-in: %d, want 403", res.StatusCode)
		}
		if res := b.Post("", "/logout", url.Values{"_csrf": {after}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-out with the current token: %d", res.StatusCode)
		}
		if out := b.CSRF("/login"); out == after || out == before {
			t.Errorf("the CSRF token did not change at sign-out")
		}
	})
}
