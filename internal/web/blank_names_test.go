package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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
		tok := app.TokenOf(producerEmail)
		own := newProduct(t, app, tok, "Bánh chưng thử tên", "I.1.a", false)
		before := blankNameRows(app)
		for _, blank := range blanks {
			webtest.RunScenarios(t, app, blankNameDoors(blank, own.Slug))
		}
		if after := blankNameRows(app); after != before {
			t.Errorf("blank names wrote rows: users, products, applications %v → %v", before, after)
		}
		if p := getOwn(t, app, tok, own.Slug); p.Name != "Bánh chưng thử tên" {
			t.Errorf("a blank rename changed the product to %q", p.Name)
		}

		// The services hold the rule for the doors without a form (CLI, imports).
		if _, err := account.NewService(app.DB, nil).Create(context.Background(), account.NewUser{Email: "cli@example.com", Name: "\u00a0 ", Password: "longenough", Role: account.RoleShopper}); !isInvalid(err, "name") {
			t.Errorf("account service with a blank name: %v", err)
		}

		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "spaces around a name are dropped before it is checked and stored", Method: "POST", URL: "/api/v1/auth/register",
				Body: map[string]string{"email": "trim@example.com", "name": "  Lộc Bình \u00a0", "password": "longenough"}, Status: http.StatusCreated,
				Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					var u account.User
					app.DB.Where("email = ?", "trim@example.com").Take(&u)
					if u.Name != "Lộc Bình" {
						t.Errorf("stored name %q, want it trimmed", u.Name)
					}
				}},
			{Name: "a password keeps its spaces: it is not a name", Method: "POST", URL: "/api/v1/auth/token",
				Body: map[string]string{"email": "trim@example.com", "password": " longenough "}, Status: http.StatusUnauthorized},
		})
	})
}

// blankNameRows counts users, products and registry applications.
func blankNameRows(app *webtest.App) [3]int64 {
	var r [3]int64
	app.DB.Model(&account.User{}).Count(&r[0])
	app.DB.Model(&catalog.Product{}).Count(&r[1])
	app.DB.Model(&registry.Application{}).Count(&r[2])
	return r
}

// blankNameDoors sends blank as the name or title to every door that takes
// one (registration, products, variants, a rename of the product slug,
// registry applications; API and pages): each is a 400, and the API's
// problem names the field.
func blankNameDoors(blank, slug string) []webtest.Scenario {
	product := func(name, variant string) map[string]any {
		return map[string]any{"name": name, "group_code": "I.1.a",
			"variants": []map[string]any{{"sku": "BL-1", "name": variant, "price": 50000, "stock": 1}}}
	}
	api := func(what, field, as, method, path string, body any) webtest.Scenario {
		return webtest.Scenario{Name: fmt.Sprintf("API %s %q", what, blank), As: as, Method: method, URL: path, Body: body,
			Status: http.StatusBadRequest, Contains: []string{`"name":"` + field + `"`}}
	}
	page := func(what, as, formPage, path string, form url.Values) webtest.Scenario {
		return webtest.Scenario{Name: fmt.Sprintf("page %s %q", what, blank), As: as, Fresh: as == "", Method: "POST", URL: path, FormPage: formPage,
			Form: form, Status: http.StatusBadRequest}
	}
	return []webtest.Scenario{
		api("register", "name", "", "POST", "/api/v1/auth/register", map[string]string{"email": "blank@example.com", "name": blank, "password": "longenough"}),
		api("product name", "name", producerEmail, "POST", "/api/v1/portal/products", product(blank, "Gói 1 kg")),
		api("variant name", "variants[0].name", producerEmail, "POST", "/api/v1/portal/products", product("Bánh tét", blank)),
		api("product rename", "name", producerEmail, "PUT", "/api/v1/portal/products/"+slug, product(blank, "Gói 1 kg")),
		api("application", "product_name", producerEmail, "POST", "/api/v1/portal/applications", map[string]any{"product_name": blank, "group_code": "I.1.a"}),
		page("register", "", "/register", "/register", url.Values{"name": {blank}, "email": {"blank@example.com"}, "password": {"longenough"}}),
		page("product", producerEmail, "/portal/products/new", "/portal/products",
			url.Values{"name": {blank}, "group_code": {"I.1.a"}, "sku": {"BL-2"}, "variant_name": {"Gói"}, "price": {"50000"}, "stock": {"1"}}),
		page("variant", producerEmail, "/portal/products/new", "/portal/products",
			url.Values{"name": {"Bánh tét"}, "group_code": {"I.1.a"}, "sku": {"BL-2"}, "variant_name": {blank}, "price": {"50000"}, "stock": {"1"}}),
		page("application", producerEmail, "/portal/registry", "/portal/registry", url.Values{"product_name": {blank}, "group_code": {"I.1.a"}}),
	}
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
