package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// SweepArgs are the arguments of a sweep: only its name, which is also its
// kind, so that one argument type serves every sweep.
type SweepArgs struct {
	Name string `json:"name"`
}

// Kind implements river.JobArgs.
func (a SweepArgs) Kind() string { return a.Name }

// Sweep registers fn as the periodic job name, run every period on the
// leader only (Periodic): a sweep over many rows (expiring orders, lapsing
// certificates, digests). fn should be an idempotent conditional update;
// a failure is retried like any job's. Call it before Start.
func (e *Engine) Sweep(name string, every time.Duration, fn func(ctx context.Context) error) {
	river.AddWorkerArgs(e.workers, SweepArgs{Name: name}, river.WorkFunc(func(ctx context.Context, _ *river.Job[SweepArgs]) error {
		return fn(ctx)
	}))
	// A sweep missed is done by the next one: a few attempts, not days of them.
	e.Periodic(every, SweepArgs{Name: name}, &river.InsertOpts{MaxAttempts: 3})
}
