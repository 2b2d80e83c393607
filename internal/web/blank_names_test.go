package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// blanks are names made only of white space, ASCII and not.
var blanks = []string{" ", "   ", "\t", " \r\n ", "\u00a0", "\u3000\u3000", "\u2003"}

// TestBlankNamesAreRefusedEverywhere sends names of white space to every
// door that takes a name or title (registration, products, variants and
// registry applications; API and pages): each is a 400 naming the field,
// and nothing is written. A name with spaces around it is stored trimmed.
func TestBlankNamesAreRefusedEverywhere(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		own := newProduct(t, app, tok, "Bánh chưng thử tên", "I.1.a", false)
		producerPages := app.Browser()
		producerPages.Login("producer@example.com")
		rows := func() [3]int64 {
			var r [3]int64
			app.DB.Model(&account.User{}).Count(&r[0])
			app.DB.Model(&catalog.Product{}).Count(&r[1])
			app.DB.Model(&registry.Application{}).Count(&r[2])
			return r
		}
		product := func(name, variant string) map[string]any {
			return map[string]any{"name": name, "group_code": "I.1.a",
				"variants": []map[string]any{{"sku": "BL-1", "name": variant, "price": 50000, "stock": 1}}}
		}
		before := rows()
		for _, blank := range blanks {
			apiCases := []struct {
				what, field string
				req         webtest.Req
			}{
				{"register", "name", webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": "blank@example.com", "name": blank, "password": "longenough"}}},
				{"product name", "name", webtest.Req{Method: "POST", Path: "/api/v1/portal/products", Token: tok, Body: product(blank, "Gói 1 kg")}},
				{"variant name", "variants[0].name", webtest.Req{Method: "POST", Path: "/api/v1/portal/products", Token: tok, Body: product("Bánh tét", blank)}},
				{"product rename", "name", webtest.Req{Method: "PUT", Path: "/api/v1/portal/products/" + own.Slug, Token: tok, Body: product(blank, "Gói 1 kg")}},
				{"application", "product_name", webtest.Req{Method: "POST", Path: "/api/v1/portal/applications", Token: tok, Body: map[string]any{"product_name": blank, "group_code": "I.1.a"}}},
			}
			for _, tc := range apiCases {
				res := app.API(tc.req)
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), `"name":"`+tc.field+`"`) {
					t.Errorf("API %s %q: %d %s, want 400 naming %s", tc.what, blank, res.StatusCode, res.Body, tc.field)
				}
			}
			pageCases := []struct {
				what, form, path string
				values           url.Values
				b                *webtest.Browser
			}{
				{"register", "/register", "/register", url.Values{"name": {blank}, "email": {"blank@example.com"}, "password": {"longenough"}}, app.Browser()},
				{"product", "/portal/products/new", "/portal/products", url.Values{"name": {blank}, "group_code": {"I.1.a"}, "sku": {"BL-2"}, "variant_name": {"Gói"}, "price": {"50000"}, "stock": {"1"}}, producerPages},
				{"variant", "/portal/products/new", "/portal/products", url.Values{"name": {"Bánh tét"}, "group_code": {"I.1.a"}, "sku": {"BL-2"}, "variant_name": {blank}, "price": {"50000"}, "stock": {"1"}}, producerPages},
				{"application", "/portal/registry", "/portal/registry", url.Values{"product_name": {blank}, "group_code": {"I.1.a"}}, producerPages},
			}
			for _, tc := range pageCases {
				res := tc.b.Post(tc.form, tc.path, tc.values)
				if res.StatusCode != http.StatusBadRequest {
					t.Errorf("page %s %q: %d, want 400", tc.what, blank, res.StatusCode)
				}
			}
		}
		if after := rows(); after != before {
			t.Errorf("blank names wrote rows: users, products, applications %v → %v", before, after)
		}
		if p := getOwn(t, app, tok, own.Slug); p.Name != "Bánh chưng thử tên" {
			t.Errorf("a blank rename changed the product to %q", p.Name)
		}

		// The services hold the rule for the doors without a form (CLI, imports).
		ctx := context.Background()
		if _, err := account.NewService(app.DB, nil).Create(ctx, account.NewUser{Email: "cli@example.com", Name: "\u00a0 ", Password: "longenough", Role: account.RoleShopper}); !isInvalid(err, "name") {
			t.Errorf("account service with a blank name: %v", err)
		}

		// Spaces around a name are dropped before it is checked and stored.
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": "trim@example.com", "name": "  Lộc Bình \u00a0", "password": "longenough"}})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("register with spaces around the name: %d %s", res.StatusCode, res.Body)
		}
		var u account.User
		app.DB.Where("email = ?", "trim@example.com").Take(&u)
		if u.Name != "Lộc Bình" {
			t.Errorf("stored name %q, want it trimmed", u.Name)
		}
		// A password keeps its spaces: it is not a name.
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/auth/token", Body: map[string]string{"email": "trim@example.com", "password": " longenough "}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a password with spaces added signed in: %d", res.StatusCode)
		}
	})
}

func isInvalid(err error, field string) bool {
	ve, ok := errs.AsValidation(err)
	return ok && len(ve.Fields) > 0 && ve.Fields[0].Field == field
}

func getOwn(t *testing.T, app *webtest.App, tok, slug string) productDoc {
	t.Helper()
	var p productDoc
	res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/portal/products/" + slug, Token: tok})
	res.JSON(t, &p)
	return p
}
