// Package jobs is the background job engine: River
// (github.com/riverqueue/river) on the application's own database, PostgreSQL
// or SQLite, through the GORM pool. Work that a change owes (a refund, a
// message, a webhook delivery) is enqueued in the same transaction as the
// change (EnqueueTx), so both commit or neither does; River then runs it after
// commit, retrying with backoff, and a job that keeps failing ends "discarded",
// visible to admins (List, Retry) and reported to OnDiscard. Periodic sweeps
// run on the elected leader only, once across all instances.
//
// River's tables are created by the schema migrations (migration 60, see
// internal/platform/db/river.go).
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
)

// Options configure an Engine. The zero value is a working production setup.
type Options struct {
	// Logger receives River's own log lines (job failures at error level).
	// Nil discards them.
	Logger *slog.Logger
	// Queues maps each queue this instance works to its number of workers.
	// Nil works the default queue with DefaultWorkers workers.
	Queues map[string]int
	// PollInterval is how often each instance looks for new jobs (River's
	// FetchPollInterval; the drivers used here have no LISTEN/NOTIFY, so
	// polling is how a job is found). Zero is DefaultPollInterval; tests use a
	// few milliseconds.
	PollInterval time.Duration
	// MaxAttempts is how many times a job is tried before it is discarded,
	// unless its InsertOpts say otherwise. Zero is DefaultMaxAttempts.
	MaxAttempts int
	// RetryPolicy says when a failed job is tried again. Nil is River's
	// default: attempt⁴ seconds plus jitter (1 s, 16 s, 81 s … about three
	// days for the 20th attempt).
	RetryPolicy river.ClientRetryPolicy
	// ID names this instance in River's tables (which instance ran a job).
	// Empty lets River choose one from the host name and time.
	ID string
}

// Defaults of Options.
const (
	DefaultWorkers      = 8
	DefaultPollInterval = time.Second
	DefaultMaxAttempts  = 20
)

// QueueDefault is River's default queue, the one jobs go to unless their
// InsertOpts name another.
const QueueDefault = river.QueueDefault

// Engine is the job engine of one process: an inserting client usable at
// once, which Start turns into a working one.
type Engine struct {
	db       *gorm.DB
	dialect  db.Dialect
	client   *river.Client[*sql.Tx]
	workers  *river.Workers
	log      *slog.Logger
	discards discardHooks

	mu      sync.Mutex
	started bool
}

// New returns an engine on g's database. Its River tables must exist (db.Migrate).
// Workers and periodic jobs are added before Start.
func New(g *gorm.DB, opts Options) (*Engine, error) {
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	dialect := db.DialectOf(g)
	var drv riverdriver.Driver[*sql.Tx] = riversqlite.New(sqlDB)
	if dialect == db.Postgres {
		drv = riverdatabasesql.New(sqlDB)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	queues := map[string]river.QueueConfig{}
	for name, n := range opts.Queues {
		queues[name] = river.QueueConfig{MaxWorkers: max(n, 1)}
	}
	if len(queues) == 0 {
		queues[QueueDefault] = river.QueueConfig{MaxWorkers: DefaultWorkers}
	}
	poll := opts.PollInterval
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	e := &Engine{db: g, dialect: dialect, workers: river.NewWorkers(), log: log}
	e.client, err = river.NewClient(drv, &river.Config{
		ID:                opts.ID,
		Logger:            log,
		Queues:            queues,
		Workers:           e.workers,
		FetchPollInterval: poll,
		// FetchCooldown must not exceed FetchPollInterval (River refuses it).
		FetchCooldown: min(poll, 100*time.Millisecond),
		// Neither database/sql driver can LISTEN, so jobs are found by polling;
		// saying so keeps River from trying.
		PollOnly:    true,
		MaxAttempts: cmpOr(opts.MaxAttempts, DefaultMaxAttempts),
		RetryPolicy: opts.RetryPolicy,
		// Discarded jobs are kept a month so that an admin can read why they
		// failed and retry them (River's default is a week).
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
		WorkerMiddleware:            []rivertype.WorkerMiddleware{&e.discards},
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return e, nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// Workers is the set of workers; add each with river.AddWorker(e.Workers(), w)
// before Start.
func (e *Engine) Workers() *river.Workers { return e.workers }

// Periodic runs args every period, on the elected leader only, so once per
// period across all instances; it also runs when a leader starts. Add it
// before Start. The job is unique per period (UniqueOpts.ByPeriod) unless opts
// say otherwise, so a change of leader mid-period does not run it twice; the
// work itself should still be idempotent (a conditional update).
func (e *Engine) Periodic(every time.Duration, args river.JobArgs, opts *river.InsertOpts) {
	o := river.InsertOpts{}
	if opts != nil {
		o = *opts
	}
	if u := o.UniqueOpts; !u.ByArgs && u.ByPeriod == 0 && !u.ByQueue && len(u.ByState) == 0 {
		// River's smallest unique period is a second.
		o.UniqueOpts = river.UniqueOpts{ByPeriod: max(every, time.Second)}
	}
	e.client.PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return args, &o },
		&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}))
}

// ErrNotInTransaction is returned by EnqueueTx when its tx is not a transaction.
var ErrNotInTransaction = errors.New("jobs: EnqueueTx needs a *gorm.DB inside a transaction")

// EnqueueTx enqueues a job inside the caller's GORM transaction tx: the job
// exists once tx commits, and never if it rolls back. A job with UniqueOpts
// whose twin already exists is skipped, which is not an error.
func (e *Engine) EnqueueTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return ErrNotInTransaction
	}
	if _, err := e.client.InsertTx(ctx, sqlTx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Enqueue enqueues a job on its own, for work that no database change owes
// (an admin's request, a test).
func (e *Engine) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := e.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// OnDiscard registers fn, called when a job fails its last attempt and is
// discarded (or a worker cancels it), with the job as it was when it failed.
// It runs in the worker's goroutine on the instance that ran the job, before
// River records the discard; what it does should itself be a unique job
// (keyed by the job's ID) so that a crash in between cannot tell twice.
func (e *Engine) OnDiscard(fn func(ctx context.Context, job *rivertype.JobRow)) {
	e.discards.add(fn)
}

// Start starts working jobs and, on the leader, periodic ones. It returns
// once River runs; only Stop ends it. (River would stop abruptly when the
// context given to its Start ends; the engine keeps running past ctx so
// that Stop can let running jobs finish.)
func (e *Engine) Start(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.started {
		return nil
	}
	if err := e.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	e.started = true
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, or for ctx
// to end, in which case they are cancelled (and retried later, by this
// instance or another).
func (e *Engine) Stop(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.started {
		return nil
	}
	e.started = false
	if err := e.client.Stop(ctx); err != nil {
		if ctx.Err() == nil {
			return fmt.Errorf("jobs: stop: %w", err)
		}
		if err := e.client.StopAndCancel(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("jobs: stop and cancel: %w", err)
		}
	}
	return nil
}

// Started reports whether Start ran and Stop did not since.
func (e *Engine) Started() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.started
}
