package web

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/webhook"
)

// newEngine builds the job engine on the server's database. Jobs are
// enqueued by the services in their own transactions; Run starts working
// them (unless OCOP_JOB_WORKERS is 0).
func (s *Server) newEngine() (*jobs.Engine, error) {
	opts := jobs.Options{Logger: s.log, PollInterval: s.cfg.JobPollInterval}
	if s.cfg.JobWorkers > 0 {
		opts.Queues = map[string]int{jobs.QueueDefault: s.cfg.JobWorkers}
	}
	return jobs.New(s.db, opts)
}

// RegisterJobs adds every worker and periodic sweep of the application to
// e: the server's own engine, or in tests a second engine on the same
// database (another "instance"). Sweeps run on the elected leader only,
// once per period across instances, and are idempotent conditional updates,
// safe if a change of leader runs one twice.
func (s *Server) RegisterJobs(e *jobs.Engine) {
	river.AddWorker(e.Workers(), payment.NewCallWorker(s.svc.payments))
	river.AddWorker(e.Workers(), webhook.NewWorker(s.svc.webhooks))
	river.AddWorker(e.Workers(), registry.NewBulkImportWorker(s.svc.certification))
	e.Sweep("registry.expiries", 6*time.Hour, func(ctx context.Context) error {
		_, err := s.svc.certification.SweepExpiries(ctx)
		return err
	})
	e.Sweep("orders.expire", min(time.Minute, s.cfg.PaymentTTL/2), func(ctx context.Context) error {
		_, err := s.svc.orders.ExpireDue(ctx, time.Now())
		return err
	})
	// Provider calls owed before calls became jobs, or whose job was lost:
	// each gets its job (at most one per call).
	e.Sweep("payment.provider_calls.adopt", 24*time.Hour, s.svc.payments.AdoptProviderCalls)
	s.registerNotify(e)
}

// Jobs is the server's job engine, for tests and the admin's jobs page.
func (s *Server) Jobs() *jobs.Engine { return s.engine }

// startJobs starts working jobs when this instance works any.
func (s *Server) startJobs(ctx context.Context) error {
	if s.cfg.JobWorkers == 0 {
		return nil
	}
	if err := s.engine.Start(ctx); err != nil {
		return fmt.Errorf("background jobs: %w", err)
	}
	return nil
}
