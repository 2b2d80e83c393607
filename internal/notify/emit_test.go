package notify_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/seed/seedtest"
)

// One event emitted by 20 racing transactions (a replayed webhook, two
// instances) is one inbox row per recipient and one e-mail job; a rolled
// back transaction leaves neither.
func TestEmitOncePerEventAndRecipient(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		e := jobstest.New(t, g, jobs.Options{})
		mailer, err := notify.NewMailer("smtp://127.0.0.1:1", "Chợ OCOP <no-reply@cho-ocop.example>")
		if err != nil {
			t.Fatal(err)
		}
		n := notify.NewService(g, notify.Config{Jobs: e, Mailer: mailer, BaseURL: "https://cho-ocop.example", UnsubscribeKey: []byte("k")})
		river.AddWorker(e.Workers(), &notify.EmailWorker{Service: n}) // registered, never started: the jobs stay queued
		ev := notify.Event{Kind: notify.PaymentIssue, Key: "test:race", To: notify.Audience{Admins: true}, Link: "/admin/payments"}
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.Tx(ctx, g, func(tx *gorm.DB) error { return n.Emit(ctx, tx, ev) }); err != nil {
					t.Errorf("emit: %v", err)
				}
			}()
		}
		wg.Wait()
		var admins, rows, jobRows int64
		g.Model(&account.User{}).Where("role = ?", account.RoleAdmin).Count(&admins)
		g.Model(&notify.Notification{}).Where("event_key = ?", ev.Key).Count(&rows)
		g.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'notify.email'").Scan(&jobRows)
		if admins == 0 || rows != admins || jobRows != admins {
			t.Errorf("%d admins, %d inbox rows, %d e-mail jobs: want one of each per admin", admins, rows, jobRows)
		}

		rolledBack := notify.Event{Kind: notify.PaymentIssue, Key: "test:rollback", To: notify.Audience{Admins: true}}
		_ = db.Tx(ctx, g, func(tx *gorm.DB) error { // the error is the point: the change fails after emitting
			if err := n.Emit(ctx, tx, rolledBack); err != nil {
				return err
			}
			return context.Canceled
		})
		g.Model(&notify.Notification{}).Where("event_key = ?", rolledBack.Key).Count(&rows)
		if rows != 0 {
			t.Errorf("%d inbox rows survive a rolled-back change", rows)
		}
	})
}

// Unsubscribe tokens: a good one names its person and kind; any change, an
// expiry or another key refuses it.
func TestUnsubscribeToken(t *testing.T) {
	a := notify.NewService(nil, notify.Config{UnsubscribeKey: []byte("one")})
	b := notify.NewService(nil, notify.Config{UnsubscribeKey: []byte("two")})
	now := time.Now()
	tok := a.UnsubscribeToken(42, notify.OrderPaid, now.Add(time.Hour))
	if u, err := a.CheckUnsubscribe(tok, now); err != nil || u.UserID != 42 || u.Kind != notify.OrderPaid {
		t.Fatalf("good token: %+v %v", u, err)
	}
	for name, bad := range map[string]string{
		"other key": b.UnsubscribeToken(42, notify.OrderPaid, now.Add(time.Hour)),
		"expired":   a.UnsubscribeToken(42, notify.OrderPaid, now.Add(-time.Second)),
		"truncated": tok[:len(tok)-2],
		"empty":     "",
		"no dot":    "abc",
	} {
		if _, err := a.CheckUnsubscribe(bad, now); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
