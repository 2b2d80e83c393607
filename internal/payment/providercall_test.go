package payment_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
)

// TestPendingCallsOfTheOldSweepAreAdopted: a provider call written before
// calls became jobs (a row with no job) gets its job from the adoption
// sweep and is made; adopting again adds no second job.
func TestPendingCallsOfTheOldSweepAreAdopted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		e := jobstest.New(t, g, jobs.Options{})
		svc := payment.NewService(g, nil, payment.Config{Jobs: e})
		river.AddWorker(e.Workers(), payment.NewCallWorker(svc))
		now := time.Now().UTC()
		// A kind this version does not know: its one attempt gives it up at once, which shows it ran.
		old := payment.ProviderCall{Kind: "retired.kind", IdempotencyKey: "old-1", Payload: "{}", NextAttemptAt: now, CreatedAt: now}
		done := payment.ProviderCall{Kind: "retired.kind", IdempotencyKey: "old-2", Payload: "{}", NextAttemptAt: now, CreatedAt: now, DoneAt: &now}
		if err := g.Create(&old).Error; err != nil {
			t.Fatal(err)
		}
		if err := g.Create(&done).Error; err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := svc.AdoptProviderCalls(ctx); err != nil {
				t.Fatal(err)
			}
		}
		c, err := e.Counts(ctx)
		if err != nil || c[jobs.FilterAll] != 1 {
			t.Fatalf("jobs after adopting twice = %v (%v), want one, for the pending call only", c, err)
		}
		jobstest.Drain(t, e)
		var got payment.ProviderCall
		if err := g.First(&got, old.ID).Error; err != nil {
			t.Fatal(err)
		}
		if got.Attempts != 1 || got.FailedAt == nil || got.LastError == "" {
			t.Fatalf("adopted call = %+v, want one attempt, given up", got)
		}
	})
}
