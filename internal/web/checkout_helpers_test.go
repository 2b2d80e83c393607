package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

// communeOf is a current commune of province (the first by code).
func communeOf(t testing.TB, app *webtest.App, province string) string {
	t.Helper()
	var code string
	app.DB.Table("communes").Where("province_code = ? AND retired_on IS NULL", province).Order("code").Limit(1).Pluck("code", &code)
	if code == "" {
		t.Fatalf("no commune in province %s", province)
	}
	return code
}

var expectedTotalRe = regexp.MustCompile(`name="expected_total" value="(\d+)"`)

// shownTotal is the total a checkout page or summary asks the shopper to
// pay: its hidden expected_total.
func shownTotal(t testing.TB, body []byte) int64 {
	t.Helper()
	m := expectedTotalRe.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no expected_total on the page:\n%s", clipBody(body))
	}
	n, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func clipBody(b []byte) string {
	if len(b) > 1200 {
		return string(b[:1200]) + "…"
	}
	return string(b)
}

// checkoutForm is the checkout page's form for province, at the total shown.
func checkoutForm(t testing.TB, app *webtest.App, province string, shown int64) url.Values {
	return url.Values{"recipient_name": {"Nguyễn Thị Mua"}, "phone": {"0912 345 678"}, "province_code": {province},
		"commune_code": {communeOf(t, app, province)}, "street": {"12 Lê Lợi"}, "payment_method": {"vietqr"},
		"expected_total": {strconv.FormatInt(shown, 10)}}
}

// groupTotal is the total a group was placed at.
func groupTotal(t testing.TB, app *webtest.App, code string) int64 {
	t.Helper()
	var g order.Group
	if err := app.DB.Where("code = ?", code).Take(&g).Error; err != nil {
		t.Fatalf("group %s: %v", code, err)
	}
	return g.Total
}

// newShopper registers another shopper with the demo password, so that
// scenarios can act As them.
func newShopper(t testing.TB, app *webtest.App, email string) account.User {
	t.Helper()
	u, err := account.NewService(app.DB, nil).Register(context.Background(), email, "Trần Văn Khác", seed.DemoPassword, "vi")
	if err != nil {
		t.Fatal(err)
	}
	return u
}
