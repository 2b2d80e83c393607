package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/web/webtest"
)

const otherShopper = "other.shopper@example.com"

// addressBook is what the address book tests read back.
type addressBook struct {
	app  *webtest.App
	user int64
}

func (b addressBook) entries(t testing.TB) []order.SavedAddress {
	t.Helper()
	var out []order.SavedAddress
	if err := b.app.DB.Where("user_id = ?", b.user).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func (b addressBook) code(t testing.TB, i int) string {
	t.Helper()
	es := b.entries(t)
	if len(es) <= i {
		t.Fatalf("the address book holds %d entries, want more than %d", len(es), i)
	}
	return es[i].Code
}

func lsAddress(app *webtest.App, t testing.TB, street string) map[string]any {
	return map[string]any{"recipient_name": "Hoàng Thị Nhận", "phone": "0987.654.321", "province_code": "20",
		"commune_code": communeOf(t, app, "20"), "street": street}
}

// TestAddressBook proves the address book's rules through the API: add,
// change, make default, delete (the default moves to the newest left), the
// first entry is the default, names instead of codes, and another shopper's
// entry is a 404 for every verb with nothing changed.
func TestAddressBook(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		newShopper(t, app, otherShopper)
		var u struct{ ID int64 }
		app.DB.Table("users").Where("email = ?", shopperEmail).Select("id").Scan(&u)
		book := addressBook{app: app, user: u.ID}
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "empty at first", As: shopperEmail, URL: "/api/v1/account/addresses", Status: 200, Contains: []string{`"addresses":[]`}},
			{Name: "add the first: it is the default", As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses", Body: lsAddress(app, t, "1 Trần Đăng Ninh"),
				Status: 201, Contains: []string{`"is_default":true`, `"phone":"0987654321"`, `"province_name":"Tỉnh Lạng Sơn"`}},
			{Name: "add a second", As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses", Body: lsAddress(app, t, "2 Bắc Sơn"),
				Status: 201, Contains: []string{`"is_default":false`}},
			{Name: "list: the default first", As: shopperEmail, URL: "/api/v1/account/addresses", Status: 200,
				Check: func(t *testing.T, _ *webtest.App, res *webtest.Response) {
					var out struct{ Addresses []order.SavedAddress }
					res.JSON(t, &out)
					if len(out.Addresses) != 2 || out.Addresses[0].Street != "1 Trần Đăng Ninh" || !out.Addresses[0].IsDefault {
						t.Fatalf("list %+v", out.Addresses)
					}
				}},
		})
		second := book.code(t, 1)
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "change the second", As: shopperEmail, Method: "PUT", URL: "/api/v1/account/addresses/" + second, Body: lsAddress(app, t, "2B Bắc Sơn"),
				Status: 200, Contains: []string{`"street":"2B Bắc Sơn"`}},
			{Name: "make the second the default", As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses/" + second + "/default", Status: 200,
				Check: func(t *testing.T, _ *webtest.App, _ *webtest.Response) {
					if es := book.entries(t); es[0].IsDefault || !es[1].IsDefault {
						t.Fatalf("defaults after the change: %v %v", es[0].IsDefault, es[1].IsDefault)
					}
				}},
			{Name: "another shopper's list is empty", As: otherShopper, URL: "/api/v1/account/addresses", Status: 200, Contains: []string{`"addresses":[]`}},
			{Name: "another shopper's address book page is theirs", As: otherShopper, URL: "/account/addresses", Status: 200, NotContains: []string{"2B Bắc Sơn"}},
			{Name: "another shopper cannot read it", As: otherShopper, URL: "/api/v1/account/addresses/" + second, Status: 404, Unchanged: true},
			{Name: "another shopper cannot change it", As: otherShopper, Method: "PUT", URL: "/api/v1/account/addresses/" + second, Body: lsAddress(app, t, "x"), Status: 404, Unchanged: true},
			{Name: "another shopper cannot make it theirs", As: otherShopper, Method: "POST", URL: "/api/v1/account/addresses/" + second + "/default", Status: 404, Unchanged: true},
			{Name: "another shopper cannot delete it", As: otherShopper, Method: "DELETE", URL: "/api/v1/account/addresses/" + second, Status: 404, Unchanged: true},
			{Name: "another shopper's page is a 404", As: otherShopper, URL: "/account/addresses/" + second, Status: 404, Unchanged: true},
			{Name: "another shopper's delete page is a 404", As: otherShopper, URL: "/account/addresses/" + second + "/delete", Status: 404, Unchanged: true},
			{Name: "another shopper's delete form is a 404", As: otherShopper, Method: "POST", URL: "/account/addresses/" + second + "/delete", Status: 404, Unchanged: true},
			{Name: "a visitor is sent to sign in", URL: "/account/addresses", Status: 303, Location: "/login?next=/account/addresses"},
			{Name: "the API wants a token", URL: "/api/v1/account/addresses", Status: 401},
			{Name: "delete the default: the other one takes over", As: shopperEmail, Method: "DELETE", URL: "/api/v1/account/addresses/" + second, Status: 204,
				Check: func(t *testing.T, _ *webtest.App, _ *webtest.Response) {
					if es := book.entries(t); len(es) != 1 || !es[0].IsDefault {
						t.Fatalf("after deleting the default: %+v", es)
					}
				}},
			{Name: "deleted is gone", As: shopperEmail, URL: "/api/v1/account/addresses/" + second, Status: 404},
		})
	})
}

// TestAddressBookRefusesHostileInput: every bad entry is a clear 4xx naming
// the field, and nothing is stored; the 21st entry is a 409.
func TestAddressBookRefusesHostileInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		with := func(field string, v any) map[string]any {
			a := lsAddress(app, t, "3 Lê Lợi")
			if v == nil {
				delete(a, field)
			} else {
				a[field] = v
			}
			return a
		}
		bad := []struct {
			name  string
			body  any
			code  int
			field string
		}{
			{"NUL in the name", with("recipient_name", "Lan\x00"), 400, "recipient_name"},
			{"a control character in the street", with("street", "3 Lê\x07 Lợi"), 400, "street"},
			{"a newline in the name", with("recipient_name", "Lan\nAnh"), 400, "recipient_name"},
			{"a bidi override in the street", with("street", "3 Lê\u202eLợi"), 400, "street"},
			{"a huge name", with("recipient_name", strings.Repeat("Lan ", 100)), 400, "recipient_name"},
			{"a huge street", with("street", strings.Repeat("ngõ ", 60)), 400, "street"},
			{"no name", with("recipient_name", "  "), 400, "recipient_name"},
			{"no phone", with("phone", nil), 400, "phone"},
			{"a phone that is not Vietnamese", with("phone", "+1 555 0100"), 400, "phone"},
			{"a phone with letters", with("phone", "09abc45678"), 400, "phone"},
			{"a commune of another province", with("province_code", "01"), 400, "commune_code"},
			{"an unknown commune", with("commune_code", "99999"), 400, "commune_code"},
			{"a long commune code", with("commune_code", strings.Repeat("1", 5000)), 400, "commune_code"},
			{"no province", with("province_code", ""), 400, "province_code"},
			{"a number for a name", with("recipient_name", 42), 400, ""},
			{"an unknown field", with("is_admin", true), 400, ""},
			{"not JSON", "recipient_name=Lan", 400, ""},
			{"two objects", `{"street":"a"}{"street":"b"}`, 400, ""},
		}
		// Signed in first (API token, page session), so the refusals can be checked to change nothing.
		table := []webtest.Scenario{
			{Name: "sign in to the API", As: shopperEmail, URL: "/api/v1/account/addresses", Status: 200},
			{Name: "sign in to the pages", As: shopperEmail, URL: "/account/addresses", Status: 200},
		}
		for _, b := range bad {
			sc := webtest.Scenario{Name: b.name, As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses", Body: b.body, Status: b.code, Unchanged: true}
			if b.field != "" {
				sc.Contains = []string{`"name":"` + b.field + `"`}
			}
			table = append(table, sc)
		}
		table = append(table, webtest.Scenario{Name: "a body over the limit", As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses",
			Body: `{"street":"` + strings.Repeat("a", 1<<20+10) + `"}`, Status: 413, Unchanged: true})
		// The page form: errors beside the fields, values kept, in the visitor's language.
		table = append(table, webtest.Scenario{Name: "the page keeps the values and shows the error beside the field", As: shopperEmail, Method: "POST",
			URL: "/account/addresses", FormPage: "/account/addresses",
			Form:   url.Values{"recipient_name": {"Hoàng Thị Nhận"}, "phone": {"12345"}, "province_code": {"20"}, "commune_code": {communeOf(t, app, "20")}, "street": {"9 Ngõ Giữ"}},
			Status: 400, Unchanged: true, Contains: []string{`value="Hoàng Thị Nhận"`, `value="9 Ngõ Giữ"`, `id="e-phone"`, `aria-invalid="true"`}})
		for i := range order.MaxSavedAddresses {
			table = append(table, webtest.Scenario{Name: fmt.Sprintf("entry %d", i+1), As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses",
				Body: lsAddress(app, t, fmt.Sprintf("%d Lê Lợi", i+1)), Status: 201})
		}
		table = append(table, webtest.Scenario{Name: "one more than the limit", As: shopperEmail, Method: "POST", URL: "/api/v1/account/addresses",
			Body: lsAddress(app, t, "99 Lê Lợi"), Status: 409, Unchanged: true, Contains: []string{"address.limit"}})
		webtest.RunScenarios(t, app, table)
	})
}

// TestAddressBookPages walks the address book as a shopper does: add from
// the page, find it prefilled at checkout with the account's name, delete
// through the confirmation page, and save one at checkout.
func TestAddressBookPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := sell(t, app, item{producer: producer1Slug, price: 50000, stock: 20, grams: 200})
		if res := addToCart(t, app, app.TokenOf(shopperEmail), v.ID, 1); res.StatusCode != 200 {
			t.Fatalf("cart: %d", res.StatusCode)
		}
		var u struct{ ID int64 }
		app.DB.Table("users").Where("email = ?", shopperEmail).Select("id").Scan(&u)
		book := addressBook{app: app, user: u.ID}
		commune := communeOf(t, app, "20")
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "the checkout starts from the account's name", As: shopperEmail, URL: "/checkout", Status: 200,
				Contains: []string{`name="recipient_name" type="text" value="Lê Thị Mua"`}},
			{Name: "the address book page has the form", As: shopperEmail, URL: "/account/addresses", Status: 200,
				Contains: []string{"Sổ địa chỉ", `action="/account/addresses"`}},
			{Name: "add from the page", As: shopperEmail, Method: "POST", URL: "/account/addresses", FormPage: "/account/addresses",
				Form:   url.Values{"recipient_name": {"Hoàng Thị Nhận"}, "phone": {"0987654321"}, "province_code": {"20"}, "commune_code": {commune}, "street": {"7 Văn Vỉ"}},
				Status: 303, Location: "/account/addresses"},
			{Name: "listed with names", As: shopperEmail, URL: "/account/addresses", Status: 200, Contains: []string{"7 Văn Vỉ", "Tỉnh Lạng Sơn", "Mặc định"},
				NotContains: []string{", 20<"}},
			{Name: "the checkout starts from the default", As: shopperEmail, URL: "/checkout", Status: 200,
				Contains: []string{`value="Hoàng Thị Nhận"`, `value="0987654321"`, `value="7 Văn Vỉ"`, `value="` + commune + `" selected`}},
			{Name: "a province chosen in the cart wins, name and phone kept", As: shopperEmail, URL: "/checkout?province_code=01", Status: 200,
				Contains: []string{`value="Hoàng Thị Nhận"`, `value="0987654321"`, `<option value="01" selected>`}, NotContains: []string{`value="7 Văn Vỉ"`}},
		})
		code := book.code(t, 0)
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "the edit page is filled", As: shopperEmail, URL: "/account/addresses/" + code, Status: 200, Contains: []string{`value="7 Văn Vỉ"`}},
			{Name: "delete asks first", As: shopperEmail, URL: "/account/addresses/" + code + "/delete", Status: 200,
				Contains: []string{"Bạn có chắc muốn xóa", `class="danger"`, `action="/account/addresses/` + code + `/delete"`}},
			{Name: "delete", As: shopperEmail, Method: "POST", URL: "/account/addresses/" + code + "/delete", Status: 303,
				Check: func(t *testing.T, _ *webtest.App, _ *webtest.Response) {
					if n := len(book.entries(t)); n != 0 {
						t.Fatalf("%d entries after delete", n)
					}
				}},
		})
		// "Save this address" at checkout: once, even when the same address is used twice;
		// with an empty book the next checkout starts from the last order's phone.
		form := checkoutForm(t, app, "20", 50000+18000)
		form.Set("save_address", "true")
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "save this address at checkout", As: shopperEmail, Method: "POST", URL: "/checkout", FormPage: "/checkout", Form: form, Status: 303,
				Check: func(t *testing.T, _ *webtest.App, _ *webtest.Response) {
					es := book.entries(t)
					if len(es) != 1 || es[0].Street != "12 Lê Lợi" || es[0].Phone != "0912345678" || !es[0].IsDefault {
						t.Fatalf("saved at checkout: %+v", es)
					}
					if err := app.DB.Where("user_id = ?", book.user).Delete(&order.SavedAddress{}).Error; err != nil {
						t.Fatal(err)
					}
					if res := addToCart(t, app, app.TokenOf(shopperEmail), v.ID, 1); res.StatusCode != 200 {
						t.Fatalf("cart: %d", res.StatusCode)
					}
				}},
			{Name: "without saved addresses: the account's name and the last phone", As: shopperEmail, URL: "/checkout", Status: 200,
				Contains: []string{`value="Lê Thị Mua"`, `value="0912345678"`}},
		})
	})
}
