// Package jobstest runs background jobs to completion in tests, without
// sleeping: Drain starts the engine if needed and returns when no job is due.
package jobstest

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/jobs"
)

// PollInterval is how often a test engine looks for jobs.
const PollInterval = 20 * time.Millisecond

// FastRetry retries a failed job after 10 ms whatever its attempt, so that
// tests of retries and discards take no time. New uses it unless told otherwise.
type FastRetry struct{}

// NextRetry implements river.ClientRetryPolicy.
func (FastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(10 * time.Millisecond) }

// New returns an engine on g for tests: fast polling, fast retries, and the
// engine stopped when the test ends. Register workers, then Drain.
func New(t testing.TB, g *gorm.DB, opts jobs.Options) *jobs.Engine {
	t.Helper()
	if opts.PollInterval == 0 {
		opts.PollInterval = PollInterval
	}
	if opts.RetryPolicy == nil {
		opts.RetryPolicy = FastRetry{}
	}
	e, err := jobs.New(g, opts)
	if err != nil {
		t.Fatalf("jobstest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Stop(ctx); err != nil {
			t.Errorf("jobstest: %v", err)
		}
	})
	return e
}

// drainHorizon is how far ahead Drain counts a job as due. A failed job
// waits FastRetry's 10 ms before its next attempt: counted as due only when
// that moment had passed, it let Drain return between two attempts (a test
// then saw one run of three, about one run in ten on a busy machine). A job
// scheduled further ahead (a digest tomorrow) is still not waited for.
const drainHorizon = time.Second

// Drain starts e (if it is not running; it then stays running until the test
// ends) and waits until no job is due: every job enqueued so far has
// completed, been discarded, or waits for a time more than drainHorizon
// away. It fails the test after timeout 30 s. Waiting is by watching the
// queue, not by sleeping a guessed time.
func Drain(t testing.TB, e *jobs.Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if !e.Started() {
		if err := e.Start(ctx); err != nil {
			t.Fatalf("jobstest: %v", err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := e.Stop(stop); err != nil {
				t.Errorf("jobstest: %v", err)
			}
		})
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := e.Due(ctx, time.Now().Add(drainHorizon))
		if err != nil {
			t.Fatalf("jobstest: %v", err)
		}
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("jobstest: %d jobs still due after 30 s", n)
		case <-tick.C:
		}
	}
}
