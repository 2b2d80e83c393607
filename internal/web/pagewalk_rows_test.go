package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/web/webtest"
)

// The rows the walk makes for pages that need one the seed lacks, each
// through the same door the page's own tests use: a delivered order line
// (the review page), a saved address (the address book's pages), a bulk
// import batch (its page), a decision of the register (its annex) and a
// signed unsubscribe link.

// walkDelivered buys one unit of v as the shopper and has producer 1 deliver
// it, as the reviews tests do; it returns the review page's path and the
// delivered order's. The walk's paid order is left paid, so the pages that
// depend on a paid order (cancel) keep theirs.
func walkDelivered(t *testing.T, app *webtest.App, v catalog.Variant) (review, orderPath string) {
	t.Helper()
	l := deliveredLine(t, app, v)
	return l.pageURL(), "/orders/" + l.Group
}

// walkAddress saves an address in the shopper's book through the API, as
// the address book tests do, and returns its code.
func walkAddress(t *testing.T, app *webtest.App) string {
	t.Helper()
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/account/addresses", Token: app.TokenOf(shopperEmail), Body: lsAddress(app, t, "1 Trần Đăng Ninh")})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("save an address: %d %s", res.StatusCode, res.Body)
	}
	var a order.SavedAddress
	res.JSON(t, &a)
	if a.Code == "" {
		t.Fatalf("the saved address has no code: %s", res.Body)
	}
	return a.Code
}

// walkBatch has the Lạng Sơn officer upload the bulk tests' file for its
// dry run: a batch with good rows and one bad row per rule, so its page
// shows every kind of reason.
func walkBatch(t *testing.T, app *webtest.App) string {
	t.Helper()
	rows, _ := bulkFixture(t, app)
	return bulkCheck(t, app, app.TokenOf("officer@example.com"), "danh-sach.csv", bulkCSV(rows), http.StatusCreated).Code
}

// walkAnnex is the query of the newest decision in the Lạng Sơn officer's
// register, made as the register page makes its links to the annex.
func walkAnnex(t *testing.T, app *webtest.App) string {
	t.Helper()
	var all decisionsPage
	regClient{t, app}.do(app.TokenOf("officer@example.com"), "GET", "/api/v1/registry/decisions", nil, http.StatusOK).JSON(t, &all)
	if len(all.Items) == 0 {
		t.Fatal("the Lạng Sơn officer's decisions register is empty")
	}
	d := all.Items[0]
	return url.Values{"authority": {d.Authority}, "date": {d.Date}, "number": {d.Number}}.Encode()
}

// walkUnsubscribe is a signed link's token to stop the shopper's "order
// paid" e-mails, as the notify tests sign it; a day is longer than any walk.
func walkUnsubscribe(t *testing.T, app *webtest.App) string {
	t.Helper()
	return app.Server.Notifier().UnsubscribeToken(userID(t, app, shopperEmail), notify.OrderPaid, time.Now().Add(24*time.Hour))
}
