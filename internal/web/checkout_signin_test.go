package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// TestSignInRoundTripKeepsTheQuery proves a visitor sent to sign in from
// the checkout comes back to the same URL, query string included (the
// province chosen in the cart), and that the round trip never leaves the
// site, whatever is put in next.
func TestSignInRoundTripKeepsTheQuery(t *testing.T) {
	const back = "/checkout?province_code=20&address=ADXYZ"
	signIn := func(next string) url.Values {
		return url.Values{"email": {"shopper@example.com"}, "password": {seed.DemoPassword}, "next": {next}}
	}
	webtest.Scenarios(t, []webtest.Scenario{
		{Name: "the checkout sends a visitor to sign in with the whole URL", URL: back, Status: http.StatusSeeOther,
			Location: "/login?next=/checkout%3Fprovince_code%3D20%26address%3DADXYZ"},
		{Name: "the sign-in form carries it", URL: "/login?next=/checkout%3Fprovince_code%3D20%26address%3DADXYZ", Status: http.StatusOK,
			Contains: []string{`name="next" value="/checkout?province_code=20&amp;address=ADXYZ"`}},
		{Name: "signing in comes back to it", Method: http.MethodPost, URL: "/login", Form: signIn(back), Fresh: true,
			Status: http.StatusSeeOther, Location: back},
		{Name: "a protected page with a query keeps it", URL: "/account/orders?page=2", Status: http.StatusSeeOther,
			Location: "/login?next=/account/orders%3Fpage%3D2"},
		// Hostile next values fall back to the role's landing page.
		{Name: "another site", Method: http.MethodPost, URL: "/login", Form: signIn("https://evil.example/checkout"), Fresh: true, Status: http.StatusSeeOther, Location: "/"},
		{Name: "a scheme-relative URL", Method: http.MethodPost, URL: "/login", Form: signIn("//evil.example/?province_code=20"), Fresh: true, Status: http.StatusSeeOther, Location: "/"},
		{Name: "a backslash", Method: http.MethodPost, URL: "/login", Form: signIn("/\\evil.example"), Fresh: true, Status: http.StatusSeeOther, Location: "/"},
		{Name: "an encoded slash", Method: http.MethodPost, URL: "/login", Form: signIn("/%2F/evil.example"), Fresh: true, Status: http.StatusSeeOther, Location: "/"},
		{Name: "a huge next", Method: http.MethodPost, URL: "/login", Form: signIn("/checkout?x=" + longQuery(3000)), Fresh: true, Status: http.StatusSeeOther, Location: "/"},
	})
}

func longQuery(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}
