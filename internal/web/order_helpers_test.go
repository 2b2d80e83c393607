package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/webtest"
)

// Demo producers of the two demo producer accounts.
const (
	producer1Slug = "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh" // producer@example.com
	producer2Slug = "hkd-tran-dieu-huong"                           // producer2@example.com
	bankSecret    = "test-bank-secret-0123456789"
)

func withBankSecret(c *config.Config) { c.BankWebhookSecret = bankSecret }

// item describes a product the test puts on sale.
type item struct {
	producer    string
	price       int64
	stock       int64
	grams       int
	group       string
	adult       bool
	service     bool
	unpublished bool
}

var seq atomic.Int64

// sell creates a product with one variant straight in the catalog tables
// (the catalog area owns the screens that normally do it).
func sell(t testing.TB, app *webtest.App, it item) catalog.Variant {
	t.Helper()
	var p producer.Producer
	if err := app.DB.Where("slug = ?", it.producer).Take(&p).Error; err != nil {
		t.Fatalf("producer %s: %v", it.producer, err)
	}
	n := seq.Add(1)
	if it.group == "" {
		it.group = "I.3.c"
	}
	status := catalog.StatusPublished
	if it.unpublished {
		status = catalog.StatusUnpublished
	}
	now := time.Now().UTC()
	prod := catalog.Product{ProducerID: p.ID, Slug: fmt.Sprintf("test-product-%d", n), Name: fmt.Sprintf("Sản phẩm thử %d", n),
		GroupCode: it.group, Status: status, IsService: it.service, AdultOnly: it.adult, Unit: "hộp", CreatedAt: now, UpdatedAt: now}
	if err := app.DB.Create(&prod).Error; err != nil {
		t.Fatal(err)
	}
	v := catalog.Variant{ProductID: prod.ID, ProducerID: p.ID, SKU: fmt.Sprintf("T-%d", n), Name: "500 g", Price: it.price, Stock: it.stock,
		WeightGrams: it.grams, CreatedAt: now, UpdatedAt: now}
	if err := app.DB.Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	return v
}

func stockOf(t testing.TB, app *webtest.App, variantID int64) int64 {
	t.Helper()
	var v catalog.Variant
	if err := app.DB.Take(&v, variantID).Error; err != nil {
		t.Fatal(err)
	}
	return v.Stock
}

// langSonCommune is a current commune of Lạng Sơn (province 20).
func langSonCommune(t testing.TB, app *webtest.App) string {
	t.Helper()
	var code string
	app.DB.Table("communes").Where("province_code = ? AND retired_on IS NULL", "20").Order("code").Limit(1).Pluck("code", &code)
	if code == "" {
		t.Fatal("no commune in province 20")
	}
	return code
}

func addToCart(t testing.TB, app *webtest.App, token string, variantID, qty int64) *webtest.Response {
	t.Helper()
	return app.API(webtest.Req{Method: "POST", Path: "/api/v1/cart/items", Token: token, Body: map[string]int64{"variant_id": variantID, "quantity": qty}})
}

func checkoutBody(app *webtest.App, t testing.TB, method string) map[string]any {
	return map[string]any{"recipient_name": "Nguyễn Thị Test", "phone": "0912345678", "province_code": "20",
		"commune_code": langSonCommune(t, app), "street": "12 Đường Thử", "note": "Gọi trước khi giao", "payment_method": method}
}

// group is the part of the API's order group the tests read.
type group struct {
	Code          string
	Status        string
	Total         int64
	ShippingTotal int64 `json:"shipping_total"`
	Orders        []struct {
		Code         string
		Status       string
		ProducerSlug string `json:"producer_slug"`
		Total        int64
		Shipping     int64
		Commission   int64
		IsService    bool   `json:"is_service"`
		VoucherCode  string `json:"voucher_code"`
	}
	VietQR      *payment.QR
	CheckoutURL string `json:"checkout_url"`
}

func checkout(t testing.TB, app *webtest.App, token string, body map[string]any) group {
	t.Helper()
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/checkout", Token: token, Body: body})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("checkout: %d %s", res.StatusCode, res.Body)
	}
	var g group
	res.JSON(t, &g)
	return g
}

func getGroup(t testing.TB, app *webtest.App, token, code string) group {
	t.Helper()
	res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/orders/" + code, Token: token})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("order %s: %d %s", code, res.StatusCode, res.Body)
	}
	var g group
	res.JSON(t, &g)
	return g
}

// notifyBank posts a bank notification signed with the test secret at ts.
func notifyBank(t testing.TB, app *webtest.App, id string, amount int64, content string, ts time.Time, secret string) *webtest.Response {
	t.Helper()
	body := fmt.Sprintf(`{"id":%q,"amount":%d,"content":%q,"account":"0000000000001"}`, id, amount, content)
	unix := ts.Unix()
	return app.API(webtest.Req{Method: "POST", Path: "/webhooks/bank", Body: body, Header: map[string]string{
		"X-OCOP-Timestamp": strconv.FormatInt(unix, 10),
		"X-OCOP-Signature": payment.SignBank(secret, unix, []byte(body)),
	}})
}

func payByBank(t testing.TB, app *webtest.App, g group) {
	t.Helper()
	res := notifyBank(t, app, "TXN-"+g.Code, g.Total, "OCOP "+g.Code+" chuyen tien", time.Now(), bankSecret)
	if res.StatusCode != http.StatusOK || !contains(res.Body, `"paid"`) {
		t.Fatalf("bank notification: %d %s", res.StatusCode, res.Body)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

// assertBalanced fails unless the ledger entries of the group sum to zero.
// It returns how many entries the group has.
func assertBalanced(t testing.TB, app *webtest.App, code string) int64 {
	t.Helper()
	var row struct {
		Sum int64
		N   int64
	}
	err := app.DB.Raw(`SELECT COALESCE(SUM(amount), 0) AS sum, COUNT(*) AS n FROM ledger_entries
		WHERE group_id = (SELECT id FROM order_groups WHERE code = ?)`, code).Scan(&row).Error
	if err != nil {
		t.Fatal(err)
	}
	if row.Sum != 0 {
		t.Fatalf("ledger of %s does not balance: entries sum to %d over %d entries", code, row.Sum, row.N)
	}
	// Payouts balance on their own.
	var bad int64
	app.DB.Raw(`SELECT COUNT(*) FROM (SELECT payout_id FROM ledger_entries WHERE payout_id IS NOT NULL GROUP BY payout_id HAVING SUM(amount) <> 0) x`).Scan(&bad)
	if bad != 0 {
		t.Fatalf("%d payouts do not balance", bad)
	}
	return row.N
}

func issues(t testing.TB, app *webtest.App, kind string) int64 {
	t.Helper()
	var n int64
	app.DB.Model(&payment.Issue{}).Where("kind = ?", kind).Count(&n)
	return n
}

// expireAll runs the expiry sweep as if the payment TTL had passed.
func expireAll(t testing.TB, app *webtest.App) int {
	t.Helper()
	svc := order.NewService(app.DB, app.Config.PaymentTTL, payment.CommissionBP)
	n, err := svc.ExpireDue(context.Background(), time.Now().Add(app.Config.PaymentTTL+time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
