package web

import (
	"context"
	"time"
)

// job is a background sweep (expiring unpaid orders, recording certificate
// expiries). Sweeps must be idempotent conditional updates: several
// instances run them at once, and a sweep may run twice.
type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) error
}

// registerJobs lists every background sweep. Each is a conditional update
// (or a compare-and-set claim), safe on every instance at once and safe to
// run twice.
func (s *Server) registerJobs() {
	s.every("registry-expiries", 6*time.Hour, func(ctx context.Context) error {
		_, err := s.svc.certification.SweepExpiries(ctx)
		return err
	})
	// Expiry is a conditional update per group.
	s.every("orders.expire", min(time.Minute, s.cfg.PaymentTTL/2), func(ctx context.Context) error {
		_, err := s.svc.orders.ExpireDue(ctx, time.Now())
		return err
	})
	// Provider calls (card refunds) owed by committed changes: each attempt
	// is claimed by a compare-and-set and carries the call's idempotency
	// key, so every instance may sweep.
	s.every("payments.provider_calls", 15*time.Second, func(ctx context.Context) error {
		_, err := s.svc.payments.RunProviderCalls(ctx, time.Now())
		return err
	})
}

// every registers a sweep.
func (s *Server) every(name string, interval time.Duration, run func(ctx context.Context) error) {
	s.jobs = append(s.jobs, job{name: name, every: interval, run: run})
}

// startJobs runs each sweep once at start and then on its interval until ctx ends.
func (s *Server) startJobs(ctx context.Context) {
	for _, j := range s.jobs {
		go func(j job) {
			t := time.NewTicker(j.every)
			defer t.Stop()
			for {
				if err := j.run(ctx); err != nil && ctx.Err() == nil {
					s.log.Error("background job failed", "job", j.name, "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}(j)
	}
}
