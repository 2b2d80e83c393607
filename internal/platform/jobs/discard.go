package jobs

import (
	"context"
	"errors"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// discardHooks is the worker middleware behind OnDiscard: it sees each job's
// outcome in the worker's goroutine and tells the hooks when that outcome
// ends the job as discarded (last attempt failed) or cancelled by its worker.
type discardHooks struct {
	river.WorkerMiddlewareDefaults
	mu  sync.RWMutex
	fns []func(ctx context.Context, job *rivertype.JobRow)
}

func (d *discardHooks) add(fn func(ctx context.Context, job *rivertype.JobRow)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fns = append(d.fns, fn)
}

// Work implements rivertype.WorkerMiddleware.
func (d *discardHooks) Work(ctx context.Context, job *rivertype.JobRow, doInner func(ctx context.Context) error) (err error) {
	defer func() {
		// A panicking worker fails its attempt like an error does; River
		// recovers the panic further out, so it is passed on unchanged.
		if p := recover(); p != nil {
			if job.Attempt >= job.MaxAttempts {
				d.fire(ctx, job)
			}
			panic(p)
		}
	}()
	err = doInner(ctx)
	if endsDiscarded(job, err) {
		d.fire(ctx, job)
	}
	return err
}

// endsDiscarded reports whether err, returned by job's attempt, is its end.
func endsDiscarded(job *rivertype.JobRow, err error) bool {
	if err == nil {
		return false
	}
	var snooze *rivertype.JobSnoozeError
	if errors.As(err, &snooze) {
		return false // a snooze is not a failed attempt
	}
	var cancel *rivertype.JobCancelError
	if errors.As(err, &cancel) {
		return true
	}
	return job.Attempt >= job.MaxAttempts
}

func (d *discardHooks) fire(ctx context.Context, job *rivertype.JobRow) {
	d.mu.RLock()
	fns := d.fns
	d.mu.RUnlock()
	// The job's own deadline may have passed: the hooks get a context of
	// their own, still carrying the job's values.
	ctx = context.WithoutCancel(ctx)
	for _, fn := range fns {
		fn(ctx, job)
	}
}
