package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/webhook"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// admin makes the user who registers endpoints.
func admin(t *testing.T, g *gorm.DB) int64 {
	t.Helper()
	now := time.Now().UTC()
	if err := g.Exec(`INSERT INTO users (email, name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"admin@example.com", "Admin", "x", "admin", now, now).Error; err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := g.Raw("SELECT id FROM users WHERE email = ?", "admin@example.com").Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// receiver is an endpoint that answers 500 to its first `fail` requests
// and records the rest, checking each signature.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	fail   int
	calls  int
	got    []webhook.Body
	secret string
	bad    []string
}

func newReceiver(t *testing.T, fail int) *receiver {
	r := &receiver{fail: fail}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls++
		ts, _ := strconv.ParseInt(req.Header.Get("X-OCOP-Timestamp"), 10, 64)
		if req.Header.Get("X-OCOP-Signature") != webhook.Sign(r.secret, ts, body) || time.Since(time.Unix(ts, 0)) > time.Minute {
			r.bad = append(r.bad, string(body))
		}
		if r.calls <= r.fail {
			http.Error(w, "down for a moment", http.StatusInternalServerError)
			return
		}
		var b webhook.Body
		if err := json.Unmarshal(body, &b); err != nil {
			r.bad = append(r.bad, string(body))
		}
		r.got = append(r.got, b)
	}))
	t.Cleanup(r.Close)
	return r
}

func TestDeliveriesAreSignedRetriedAndOncePerEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		e := jobstest.New(t, g, jobs.Options{})
		svc := webhook.NewService(g, e)
		river.AddWorker(e.Workers(), webhook.NewWorker(svc))
		by := admin(t, g)
		paid := newReceiver(t, 1) // fails once, then takes it
		other := newReceiver(t, 0)
		ep, err := svc.Register(ctx, by, paid.URL+"/hook", "order.paid, order.shipped")
		if err != nil {
			t.Fatal(err)
		}
		paid.secret = ep.Secret
		if o, err := svc.Register(ctx, by, other.URL, "registry.application"); err != nil {
			t.Fatal(err)
		} else {
			other.secret = o.Secret
		}
		// The same event three times (a replayed bank webhook), each in its own transaction.
		for range 3 {
			if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
				return svc.EnqueueTx(ctx, tx, "order.paid", "DH123:paid", map[string]any{"order": "DH123", "total": 150000})
			}); err != nil {
				t.Fatal(err)
			}
		}
		// An event in a rolled-back transaction is never sent.
		boom := errors.New("the change failed")
		if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
			if err := svc.EnqueueTx(ctx, tx, "order.paid", "DH999:paid", map[string]any{"order": "DH999"}); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		jobstest.Drain(t, e)
		paid.mu.Lock()
		defer paid.mu.Unlock()
		if paid.calls != 2 || len(paid.got) != 1 || len(paid.bad) != 0 {
			t.Fatalf("endpoint saw %d requests, took %v, bad %v: want one failure then the event once, signed", paid.calls, paid.got, paid.bad)
		}
		if b := paid.got[0]; b.Kind != "order.paid" || b.Key != "DH123:paid" || !strings.Contains(string(b.Data), `"total":150000`) {
			t.Errorf("delivered %+v", b)
		}
		if other.calls != 0 {
			t.Errorf("an endpoint not subscribed to order.paid got %d requests", other.calls)
		}
	})
}

func TestHostileEndpointsAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		svc := webhook.NewService(g, nil)
		by := admin(t, g)
		cases := []struct{ name, url, kinds string }{
			{"no scheme", "example.com/hook", "*"},
			{"javascript", "javascript:alert(1)", "*"},
			{"file", "file:///etc/passwd", "*"},
			{"ftp", "ftp://example.com/x", "*"},
			{"no host", "https:///x", "*"},
			{"user info", "https://user:pass@example.com/x", "*"},
			{"control char", "https://example.com/\x01", "*"},
			{"newline", "https://example.com/a\nb", "*"},
			{"NUL", "https://example.com/\x00", "*"},
			{"invalid UTF-8", "https://example.com/\xff", "*"},
			{"huge", "https://example.com/" + strings.Repeat("a", 3000), "*"},
			{"empty", "", "*"},
			{"no kinds", "https://example.com/x", " , "},
			{"bad kind", "https://example.com/x", "order.paid;DROP"},
			{"huge kinds", "https://example.com/x", strings.Repeat("a,", 300)},
		}
		for _, c := range cases {
			if _, err := svc.Register(ctx, by, c.url, c.kinds); err == nil {
				t.Errorf("%s: registered", c.name)
			} else if _, ok := errs.AsValidation(err); !ok {
				t.Errorf("%s: %v, want a validation error", c.name, err)
			}
		}
		if eps, err := svc.List(ctx); err != nil || len(eps) != 0 {
			t.Fatalf("endpoints after refusals: %v, %v", eps, err)
		}
	})
}
