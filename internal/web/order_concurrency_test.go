package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/web/webtest"
)

// buyers makes n shopper accounts with API tokens, straight in the
// database (hashing n passwords would only slow the test).
func buyers(t testing.TB, app *webtest.App, n int) []string {
	t.Helper()
	ctx := context.Background()
	accounts := account.NewService(app.DB, nil)
	tokens := make([]string, n)
	now := time.Now().UTC()
	for i := range tokens {
		u := account.User{Email: fmt.Sprintf("buyer%d@example.com", i), Name: "Buyer", PasswordHash: "!", Role: account.RoleShopper, Locale: "vi", CreatedAt: now, UpdatedAt: now}
		if err := app.DB.Create(&u).Error; err != nil {
			t.Fatal(err)
		}
		tok, _, err := accounts.IssueAPIToken(ctx, u.ID, "load")
		if err != nil {
			t.Fatal(err)
		}
		tokens[i] = tok
	}
	return tokens
}

// postJSON sends a real HTTP request to the running server.
func postJSON(client *http.Client, url, token string, body []byte) (int, error) {
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// TestNoOversellUnderConcurrentCheckouts: 200 buyers check out the same
// variant (50 in stock) at once through the HTTP API, on both dialects:
// exactly 50 succeed, the stock ends at 0, nobody gets a 5xx. On SQLite this
// holds only because write transactions begin IMMEDIATE and so queue on the
// busy timeout (see db.Open).
func TestNoOversellUnderConcurrentCheckouts(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) { noOversell(t, app) }, withBankSecret)
}

func noOversell(t *testing.T, app *webtest.App) {
	v := sell(t, app, item{producer: producer1Slug, price: 25000, stock: 50, grams: 100})
	// A second, plentiful variant in every cart, added in the opposite order
	// by half the buyers: reservations must not deadlock.
	other := sell(t, app, item{producer: producer2Slug, price: 10000, stock: 1000, grams: 100})
	tokens := buyers(t, app, 200)
	for i, tok := range tokens {
		first, second := v.ID, other.ID
		if i%2 == 1 {
			first, second = second, first
		}
		if res := addToCart(t, app, tok, first, 1); res.StatusCode != 200 {
			t.Fatalf("add to cart: %d", res.StatusCode)
		}
		addToCart(t, app, tok, second, 1)
	}
	body, _ := json.Marshal(checkoutBody(app, t, "vietqr"))
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	statuses := make([]int, len(tokens))
	var wg sync.WaitGroup
	start := make(chan struct{})
	began := time.Now()
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code, err := postJSON(client, app.HTTP.URL+"/api/v1/checkout", tok, body)
			if err != nil {
				t.Error(err)
			}
			statuses[i] = code
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("200 concurrent checkouts in %v", time.Since(began))
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[201] != 50 || count[409] != 150 {
		t.Fatalf("statuses = %v, want 50 × 201 and 150 × 409", count)
	}
	if got := stockOf(t, app, v.ID); got != 0 {
		t.Fatalf("stock = %d, want 0", got)
	}
	if got := stockOf(t, app, other.ID); got != 950 {
		t.Fatalf("stock of the other variant = %d, want 950 (only winners took it)", got)
	}
	var sold int64
	app.DB.Raw("SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE variant_id = ?", v.ID).Scan(&sold)
	if sold != 50 {
		t.Fatalf("%d units in orders, want 50", sold)
	}
}

// TestConcurrentDuplicateWebhook: the same bank notification delivered 20
// times at once marks the group paid once and writes its ledger once.
func TestConcurrentDuplicateWebhook(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		v := sell(t, app, item{producer: producer1Slug, price: 60000, stock: 5, grams: 100})
		addToCart(t, app, shopper, v.ID, 1)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		raw := fmt.Sprintf(`{"id":"TXN-DUP","amount":%d,"content":"OCOP %s"}`, g.Total, g.Code)
		ts := time.Now().Unix()
		sig := payment.SignBank(bankSecret, ts, []byte(raw))
		client := &http.Client{Timeout: 30 * time.Second}
		statuses := make([]int, 20)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest("POST", app.HTTP.URL+"/webhooks/bank", bytes.NewReader([]byte(raw)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-OCOP-Timestamp", strconv.FormatInt(ts, 10))
				req.Header.Set("X-OCOP-Signature", sig)
				res, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				statuses[i] = res.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[200] != 1 || count[400] != 19 {
			t.Fatalf("statuses = %v, want one 200 and nineteen 400 (replays)", count)
		}
		if n := assertBalanced(t, app, g.Code); n != 3 {
			t.Fatalf("%d ledger entries, want 3 (written once)", n)
		}
		var events int64
		app.DB.Table("order_events").Where("to_status = ?", "paid").Count(&events)
		if events != 1 {
			t.Fatalf("%d paid events, want 1", events)
		}
	}, withBankSecret)
}
