package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/order"
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
		raw := fmt.Sprintf(`{"id":"TXN-DUP","amount":%d,"content":"OCOP %s","account":%q}`, g.Total, g.Code, app.Config.CollectionAccount)
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

// race starts n calls of fn at once and counts the statuses they return
// (0 for a transport error, which the test reports).
func race(t *testing.T, n int, fn func(i int) (int, error)) map[int]int {
	t.Helper()
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code, err := fn(i)
			if err != nil {
				t.Error(err)
			}
			statuses[i] = code
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	return count
}

// TestConcurrentCancel: racing cancels move an order once, on both dialects.
// An unpaid group cancelled ten times at once while two expiry sweeps run is
// cancelled or expired exactly once and its stock comes back once; a paid
// group cancelled ten times at once is refunded once; a producer's cancel
// sent ten times at once refunds their order once. Nobody gets a 5xx.
func TestConcurrentCancel(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		shopper := app.Token("shopper@example.com")
		a := sell(t, app, item{producer: producer1Slug, price: 40000, stock: 10, grams: 100})
		b := sell(t, app, item{producer: producer2Slug, price: 30000, stock: 10, grams: 100})
		client := &http.Client{Timeout: 60 * time.Second}
		cancel := func(token, path string, body []byte) func(int) (int, error) {
			return func(int) (int, error) { return postJSON(client, app.HTTP.URL+path, token, body) }
		}

		// Unpaid: ten cancels and two expiry sweeps race.
		addToCart(t, app, shopper, a.ID, 3)
		g := checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		var expired atomic.Int64
		var sweeps sync.WaitGroup
		for range 2 {
			sweeps.Add(1)
			go func() {
				defer sweeps.Done()
				svc := order.NewService(app.DB, app.Config.PaymentTTL, payment.CommissionBP)
				n, err := svc.ExpireDue(context.Background(), time.Now().Add(app.Config.PaymentTTL+time.Minute))
				if err != nil {
					t.Errorf("expiry sweep: %v", err)
				}
				expired.Add(int64(n))
			}()
		}
		count := race(t, 10, cancel(shopper, "/api/v1/orders/"+g.Code+"/cancel", nil))
		sweeps.Wait()
		if count[200]+int(expired.Load()) != 1 || count[200]+count[409] != 10 {
			t.Fatalf("unpaid group: cancels %v and %d expired by sweeps, want exactly one winner and 409 for the rest", count, expired.Load())
		}
		if got := stockOf(t, app, a.ID); got != 10 {
			t.Fatalf("stock after racing cancels = %d, want 10 (given back once)", got)
		}
		if n := assertBalanced(t, app, g.Code); n != 0 {
			t.Fatalf("%d ledger entries for an unpaid group", n)
		}

		// Paid: ten cancels by the shopper race.
		addToCart(t, app, shopper, a.ID, 2)
		addToCart(t, app, shopper, b.ID, 1)
		g = checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		payByBank(t, app, g)
		count = race(t, 10, cancel(shopper, "/api/v1/orders/"+g.Code+"/cancel", nil))
		if count[200] != 1 || count[409] != 9 {
			t.Fatalf("paid group: cancels %v, want one 200 and nine 409", count)
		}
		if stockOf(t, app, a.ID) != 10 || stockOf(t, app, b.ID) != 10 {
			t.Fatalf("stock after racing refunds: a=%d b=%d, want 10 and 10", stockOf(t, app, a.ID), stockOf(t, app, b.ID))
		}
		if n := assertBalanced(t, app, g.Code); n != 5+6 {
			t.Fatalf("%d ledger entries after racing refunds, want 11 (reversed once)", n)
		}

		// Paid: the producer's cancel of their order, ten times at once.
		addToCart(t, app, shopper, a.ID, 1)
		addToCart(t, app, shopper, b.ID, 1)
		g = checkout(t, app, shopper, checkoutBody(app, t, "vietqr"))
		payByBank(t, app, g)
		var code1 string
		for _, o := range g.Orders {
			if o.ProducerSlug == producer1Slug {
				code1 = o.Code
			}
		}
		reason, _ := json.Marshal(map[string]string{"reason": "Hết hàng do mưa lũ"})
		count = race(t, 10, cancel(app.Token("producer@example.com"), "/api/v1/portal/orders/"+code1+"/cancel", reason))
		if count[200] != 1 || count[409] != 9 {
			t.Fatalf("producer's cancels %v, want one 200 and nine 409", count)
		}
		if stockOf(t, app, a.ID) != 10 || stockOf(t, app, b.ID) != 9 {
			t.Fatalf("stock after racing producer cancels: a=%d b=%d, want 10 and 9", stockOf(t, app, a.ID), stockOf(t, app, b.ID))
		}
		if n := assertBalanced(t, app, g.Code); n != 5+3 {
			t.Fatalf("%d ledger entries after racing producer cancels, want 8", n)
		}
	}, withBankSecret)
}

// TestBuyersLoopingOnCartAndCheckout: four buyers loop on add to cart, read
// the cart, check out and cancel for two seconds, on both dialects: every
// answer is a 2xx or a clear 4xx (409 sold out, 429 checkout limit), never a
// 5xx. On SQLite this failed with hundreds of "database is locked" before
// write transactions began IMMEDIATE.
func TestBuyersLoopingOnCartAndCheckout(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		a := sell(t, app, item{producer: producer1Slug, price: 20000, stock: 40, grams: 100})
		b := sell(t, app, item{producer: producer2Slug, price: 15000, stock: 1000, grams: 100})
		tokens := buyers(t, app, 4)
		body, _ := json.Marshal(checkoutBody(app, t, "vietqr"))
		client := &http.Client{Timeout: 60 * time.Second}
		const loop = 2 * time.Second
		type tally struct{ requests, checkouts, fivexx int }
		results := make([]tally, len(tokens))
		failures := make(chan string, 16)
		var wg sync.WaitGroup
		for i, tok := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := &results[i]
				do := func(method, path string, body []byte) (int, []byte) {
					req, _ := http.NewRequest(method, app.HTTP.URL+path, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+tok)
					res, err := client.Do(req)
					if err != nil {
						t.Error(err)
						return 0, nil
					}
					defer res.Body.Close()
					out, _ := io.ReadAll(res.Body)
					r.requests++
					if res.StatusCode >= 500 {
						r.fivexx++
						select {
						case failures <- fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, out):
						default:
						}
					}
					return res.StatusCode, out
				}
				for end := time.Now().Add(loop); time.Now().Before(end); {
					do("POST", "/api/v1/cart/items", []byte(fmt.Sprintf(`{"variant_id":%d,"quantity":1}`, a.ID)))
					do("POST", "/api/v1/cart/items", []byte(fmt.Sprintf(`{"variant_id":%d,"quantity":2}`, b.ID)))
					do("GET", "/api/v1/cart", nil)
					code, out := do("POST", "/api/v1/checkout", body)
					if code != http.StatusCreated {
						continue
					}
					r.checkouts++
					var g group
					if err := json.Unmarshal(out, &g); err != nil {
						t.Error(err)
						return
					}
					if i%2 == 0 { // half the buyers cancel, giving stock back under load
						do("POST", "/api/v1/orders/"+g.Code+"/cancel", nil)
					}
				}
			}()
		}
		wg.Wait()
		close(failures)
		var total tally
		for _, r := range results {
			total.requests += r.requests
			total.checkouts += r.checkouts
			total.fivexx += r.fivexx
		}
		t.Logf("%d buyers for %v: %d requests, %d checkouts, %d × 5xx", len(tokens), loop, total.requests, total.checkouts, total.fivexx)
		if total.fivexx != 0 {
			var first []string
			for f := range failures {
				first = append(first, f)
			}
			t.Fatalf("%d × 5xx under four looping buyers; first: %v", total.fivexx, first)
		}
		if total.checkouts == 0 {
			t.Fatal("no checkout succeeded: the loop proved nothing")
		}
	}, withBankSecret)
}
