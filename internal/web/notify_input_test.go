package web_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/web/webtest"
)

// prefOf is the stored e-mail choice of a user for a kind ("" when none).
func prefOf(app *webtest.App, uid int64, kind notify.Kind) string {
	var ps []notify.Pref
	app.DB.Where("user_id = ? AND kind = ?", uid, kind).Find(&ps)
	if len(ps) == 0 {
		return ""
	}
	if ps[0].Email {
		return "on"
	}
	return "off"
}

// An unsubscribe link works without signing in; one that was altered,
// signed with another key, expired or malformed is a 400 and changes
// nothing, on GET and on POST.
func TestUnsubscribeLinks(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		n := app.Server.Notifier()
		shopper := userID(t, app, "shopper@example.com")
		good := n.UnsubscribeToken(shopper, notify.OrderPaid, time.Now().Add(time.Hour))
		payload, sig, _ := strings.Cut(good, ".")
		other := notify.NewService(app.DB, notify.Config{UnsubscribeKey: []byte("another deployment's key")})
		reKind := base64.RawURLEncoding.EncodeToString([]byte("v1|" + itoa(shopper) + "|order.shipped|" + itoa(time.Now().Add(time.Hour).Unix())))
		reUser := base64.RawURLEncoding.EncodeToString([]byte("v1|" + itoa(shopper+1) + "|order.paid|" + itoa(time.Now().Add(time.Hour).Unix())))
		// flip changes the character at i to another letter. The first
		// letter carries six bits of the signature; the last carries
		// four plus two unused bits, which strict decoding must refuse too.
		flip := func(s string, i int) string {
			repl := byte('A')
			if s[i] == 'A' {
				repl = 'B'
			}
			return s[:i] + string(repl) + s[i+1:]
		}
		bad := []struct{ name, token string }{
			{"signature altered", payload + "." + flip(sig, 0)},
			{"signature's last letter altered", payload + "." + flip(sig, len(sig)-1)},
			{"kind changed", reKind + "." + sig},
			{"person changed", reUser + "." + sig},
			{"signed with another key", other.UnsubscribeToken(shopper, notify.OrderPaid, time.Now().Add(time.Hour))},
			{"expired", n.UnsubscribeToken(shopper, notify.OrderPaid, time.Now().Add(-time.Minute))},
			{"unknown kind", n.UnsubscribeToken(shopper, notify.Kind("order.everything"), time.Now().Add(time.Hour))},
			{"no signature", payload},
			{"garbage", "not-a-token"},
			{"huge", strings.Repeat("A", 5000) + "." + sig},
			{"NUL", url.PathEscape(payload + "\x00." + sig)},
			{"invalid UTF-8", payload + "%ff." + sig},
			{"control character", payload + "%07." + sig},
		}
		var table []webtest.Scenario
		for _, b := range bad {
			for _, method := range []string{"GET", "POST"} {
				table = append(table, webtest.Scenario{Name: method + " " + b.name, Method: method, URL: "/notifications/unsubscribe/" + b.token,
					Form: url.Values{"List-Unsubscribe": {"One-Click"}}, Status: http.StatusBadRequest, Unchanged: true})
			}
		}
		table = append(table,
			webtest.Scenario{Name: "GET a good link only asks", URL: "/notifications/unsubscribe/" + good, Status: http.StatusOK,
				Contains: []string{"Ngừng nhận email “Đơn hàng đã thanh toán”?"}, Unchanged: true},
			webtest.Scenario{Name: "POST a good link without signing in", Method: "POST", URL: "/notifications/unsubscribe/" + good,
				Form: url.Values{"List-Unsubscribe": {"One-Click"}}, Status: http.StatusOK, Contains: []string{"không nhận email"},
				Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					if got := prefOf(app, shopper, notify.OrderPaid); got != "off" {
						t.Errorf("order.paid e-mail is %q after unsubscribing, want off", got)
					}
					if got := prefOf(app, shopper, notify.OrderShipped); got != "" {
						t.Errorf("order.shipped changed to %q: only the link's kind may change", got)
					}
				}},
			webtest.Scenario{Name: "POST it again: still fine", Method: "POST", URL: "/notifications/unsubscribe/" + good, Status: http.StatusOK},
		)
		webtest.RunScenarios(t, app, table)
	})
}

// Hostile and wrong input to the inbox and preferences, by page and API:
// a clear 4xx and nothing changed; another person's notification is not found.
func TestNotificationInputIsRefused(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := userID(t, app, "shopper@example.com")
		theirs := notify.Notification{UserID: shopper, Kind: notify.OrderPaid, EventKey: "test:theirs", Data: `[{"name":"code","value":"DHTEST"}]`,
			Link: "/orders/DHTEST", CreatedAt: time.Now().UTC()}
		if err := app.DB.Create(&theirs).Error; err != nil {
			t.Fatal(err)
		}
		id := itoa(theirs.ID)
		prefs := func(v any) map[string]any { return map[string]any{"preferences": v} }
		many := make([]map[string]any, 101)
		for i := range many {
			many[i] = map[string]any{"kind": "order.paid", "email": false}
		}
		const prod = "producer@example.com"
		table := []webtest.Scenario{
			{Name: "API: another person's notification", Method: "POST", URL: "/api/v1/notifications/" + id + "/read", As: prod, Status: http.StatusNotFound, Unchanged: true},
			{Name: "API: id not a number", Method: "POST", URL: "/api/v1/notifications/abc/read", As: prod, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: id negative", Method: "POST", URL: "/api/v1/notifications/-3/read", As: prod, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: id too big", Method: "POST", URL: "/api/v1/notifications/99999999999999999999999/read", As: prod, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: before not a number", URL: "/api/v1/notifications?before=x", As: prod, Status: http.StatusBadRequest},
			{Name: "API: unknown kind", Method: "PUT", URL: "/api/v1/notifications/preferences", As: prod,
				Body: prefs([]map[string]any{{"kind": "order.everything", "email": false}}), Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: an admin's kind asked by a producer", Method: "PUT", URL: "/api/v1/notifications/preferences", As: prod,
				Body: prefs([]map[string]any{{"kind": "order.paid", "email": false}, {"kind": "job.failed", "email": false}}), Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: control character in a kind", Method: "PUT", URL: "/api/v1/notifications/preferences", As: prod,
				Body: prefs([]map[string]any{{"kind": "order.paid\u0007", "email": false}}), Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: email not a boolean", Method: "PUT", URL: "/api/v1/notifications/preferences", As: prod,
				Body: `{"preferences":[{"kind":"order.paid","email":"no"}]}`, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: 101 preferences", Method: "PUT", URL: "/api/v1/notifications/preferences", As: prod, Body: prefs(many), Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: unknown field", Method: "PUT", URL: "/api/v1/notifications/preferences", As: prod,
				Body: `{"preferences":[],"everything":true}`, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "API: not signed in", URL: "/api/v1/notifications", Status: http.StatusUnauthorized},
			{Name: "page: another person's notification", Method: "POST", URL: "/account/notifications/" + id + "/read", As: prod,
				Form: url.Values{"open": {"1"}}, Status: http.StatusNotFound, Unchanged: true},
			{Name: "page: id not a number", Method: "POST", URL: "/account/notifications/x/read", As: prod, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "page: unknown kind, error beside the choices", Method: "POST", URL: "/account/notifications/preferences", As: prod,
				Form: url.Values{"email": {"order.paid", "order.everything"}}, Status: http.StatusBadRequest,
				Contains: []string{`id="prefs-err"`, "Lựa chọn không hợp lệ"}, Unchanged: true},
			{Name: "page: NUL in a kind", Method: "POST", URL: "/account/notifications/preferences", As: prod,
				Form: url.Values{"email": {"order.paid\x00"}}, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "page: invalid UTF-8 in a kind", Method: "POST", URL: "/account/notifications/preferences", As: prod,
				Form: url.Values{"email": {"order.paid\xff"}}, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "page: huge list", Method: "POST", URL: "/account/notifications/preferences", As: prod,
				Form: url.Values{"email": strings.Split(strings.Repeat("order.paid,", 500), ",")}, Status: http.StatusBadRequest, Unchanged: true},
			{Name: "page: visitor is sent to sign in", URL: "/account/notifications", Status: http.StatusSeeOther, Location: "/login?next=/account/notifications"},
			{Name: "page: the inbox in English", URL: "/account/notifications", As: "shopper@example.com", Status: http.StatusOK,
				Header: map[string]string{"Cookie": "ocop_lang=en"}, Contains: []string{"Order DHTEST is paid", "Mark all as read"}},
			{Name: "page: the owner opens it", Method: "POST", URL: "/account/notifications/" + id + "/read", As: "shopper@example.com",
				Form: url.Values{"open": {"1"}}, Status: http.StatusSeeOther, Location: "/orders/DHTEST",
				Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					var n notify.Notification
					app.DB.Take(&n, theirs.ID)
					if n.ReadAt == nil {
						t.Error("opening the notification did not mark it read")
					}
				}},
		}
		app.As(prod) // signed in before the snapshots: signing in writes a session and a token
		app.TokenOf(prod)
		app.As("shopper@example.com")
		webtest.RunScenarios(t, app, table)
	})
}
