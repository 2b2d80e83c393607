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

// every registers a sweep; areas call it from their init function.
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
					s.Log.Error("background job failed", "job", j.name, "err", err)
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
