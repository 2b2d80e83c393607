package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestPerfCheckoutThroughput measures checkouts per second on SQLite and
// PostgreSQL with 32 buyers checking out at once through the HTTP API. It is a
// measurement, not a check, so it runs only with OCOP_PERF=1:
//
//	OCOP_PERF=1 OCOP_TEST_POSTGRES_URL=postgres://... go test ./internal/web -run TestPerfCheckoutThroughput -v
//
// OCOP_PERF_CHECKOUTS sets how many checkouts (default 2000). Each cart
// holds two lines from two producers, drawn from ten variants, so stock
// rows are contended as in a sale.
func TestPerfCheckoutThroughput(t *testing.T) {
	if os.Getenv("OCOP_PERF") != "1" {
		t.Skip("set OCOP_PERF=1 to measure")
	}
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("OCOP_PERF_CHECKOUTS")); err == nil && v > 0 {
		n = v
	}
	t.Run("sqlite", func(t *testing.T) { perfCheckouts(t, dbtest.SQLite(t), n, false) })
	postgres := func(t *testing.T, enqueue bool) {
		g := dbtest.Postgres(t)
		// Measure with a production instance's pool, not a test handle's.
		sqlDB, err := g.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(db.DefaultMaxConns)
		perfCheckouts(t, g, n, enqueue)
	}
	t.Run("postgres", func(t *testing.T) { postgres(t, false) })
	// The same with one unique job (a notification's) enqueued inside each
	// checkout's transaction: the cost of an obligation written with the change.
	t.Run("postgres_enqueue", func(t *testing.T) { postgres(t, true) })
}

// perfOrderPlaced stands for the job a placed order owes (a message):
// unique per order group, as an event's job is.
type perfOrderPlaced struct {
	Group string `json:"group" river:"unique"`
}

func (perfOrderPlaced) Kind() string { return "perf.order_placed" }

// enqueueOnCheckout enqueues a perfOrderPlaced job in the transaction of
// every order group created on g, through the engine's EnqueueTx.
func enqueueOnCheckout(t *testing.T, g *gorm.DB, e *jobs.Engine) {
	t.Helper()
	river.AddWorker(e.Workers(), river.WorkFunc(func(context.Context, *river.Job[perfOrderPlaced]) error { return nil }))
	err := g.Callback().Create().After("gorm:create").Register("perf:enqueue", func(tx *gorm.DB) {
		if tx.Error != nil || tx.Statement.Table != "order_groups" {
			return
		}
		code := tx.Statement.ReflectValue.FieldByName("Code").String()
		opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
		if err := e.EnqueueTx(tx.Statement.Context, tx, perfOrderPlaced{Group: code}, opts); err != nil {
			_ = tx.AddError(err) // AddError returns the error it records; the checkout fails with it
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func perfCheckouts(t *testing.T, g *gorm.DB, n int, enqueue bool) {
	const workers = 32
	app := webtest.New(t, g, withBankSecret)
	if enqueue {
		enqueueOnCheckout(t, g, app.Server.Jobs())
	}
	var vs []catalog.Variant
	for i := range 10 {
		p := producer1Slug
		if i%2 == 1 {
			p = producer2Slug
		}
		vs = append(vs, sell(t, app, item{producer: p, price: 50000 + int64(i)*1000, stock: 1_000_000, grams: 300}))
	}
	tokens := buyers(t, app, n)
	for i, tok := range tokens {
		addToCart(t, app, tok, vs[(2*i)%10].ID, 1)
		addToCart(t, app, tok, vs[(2*i+1)%10].ID, 2)
	}
	body, _ := json.Marshal(checkoutBody(app, t, "vietqr"))
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	var next, ok, fail atomic.Int64
	var wg sync.WaitGroup
	lat := make([]time.Duration, n)
	began := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				code, err := postJSON(client, app.HTTP.URL+"/api/v1/checkout", tokens[i], body)
				lat[i] = time.Since(t0)
				if err == nil && code == http.StatusCreated {
					ok.Add(1)
				} else {
					fail.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	if fail.Load() != 0 {
		t.Fatalf("%d checkouts failed", fail.Load())
	}
	if enqueue {
		c, err := app.Server.Jobs().Counts(context.Background())
		if err != nil || c[jobs.FilterQueued] != n {
			t.Fatalf("%d jobs queued (%v), want one per checkout (%d)", c[jobs.FilterQueued], err, n)
		}
	}
	var sum time.Duration
	var maxLat time.Duration
	for _, l := range lat {
		sum += l
		maxLat = max(maxLat, l)
	}
	t.Logf("%d checkouts by %d concurrent buyers in %v: %.0f checkouts/s, mean latency %v, max %v",
		ok.Load(), workers, elapsed.Round(time.Millisecond), float64(ok.Load())/elapsed.Seconds(), (sum / time.Duration(n)).Round(time.Microsecond), maxLat.Round(time.Millisecond))
}
