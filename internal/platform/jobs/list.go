package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Filter is a group of job states as an admin thinks of them.
type Filter string

// The filters of the admin jobs page, each a set of River states.
const (
	FilterAll       Filter = ""
	FilterQueued    Filter = "queued"    // available, scheduled, pending
	FilterRunning   Filter = "running"   // running
	FilterRetrying  Filter = "retrying"  // retryable: failed, will be tried again
	FilterFailed    Filter = "failed"    // discarded: failed its last attempt
	FilterCancelled Filter = "cancelled" // cancelled
	FilterCompleted Filter = "completed" // completed
)

// Filters lists the filters in the order the admin page shows them.
var Filters = []Filter{FilterAll, FilterQueued, FilterRunning, FilterRetrying, FilterFailed, FilterCancelled, FilterCompleted}

var filterStates = map[Filter][]rivertype.JobState{
	FilterQueued:    {rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending},
	FilterRunning:   {rivertype.JobStateRunning},
	FilterRetrying:  {rivertype.JobStateRetryable},
	FilterFailed:    {rivertype.JobStateDiscarded},
	FilterCancelled: {rivertype.JobStateCancelled},
	FilterCompleted: {rivertype.JobStateCompleted},
}

// ParseFilter returns the filter named s, or a validation error.
func ParseFilter(s string) (Filter, error) {
	f := Filter(s)
	if _, ok := filterStates[f]; ok || f == FilterAll {
		return f, nil
	}
	return "", errs.Invalid("state", "jobs.state.invalid")
}

// FilterOf is the filter a River state belongs to.
func FilterOf(state rivertype.JobState) Filter {
	for f, states := range filterStates {
		for _, s := range states {
			if s == state {
				return f
			}
		}
	}
	return FilterAll
}

// Job is a job as an admin sees it. Its arguments are not shown: they may
// carry personal data, and kind plus errors say what failed.
type Job struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Queue       string     `json:"queue"`
	State       Filter     `json:"state"`
	RiverState  string     `json:"river_state"`
	Attempt     int        `json:"attempt"`
	MaxAttempts int        `json:"max_attempts"`
	Errors      []JobError `json:"errors"`
	CreatedAt   time.Time  `json:"created_at"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	AttemptedAt *time.Time `json:"attempted_at,omitempty"`
	FinalizedAt *time.Time `json:"finalized_at,omitempty"`
}

// JobError is one failed attempt.
type JobError struct {
	Attempt int       `json:"attempt"`
	At      time.Time `json:"at"`
	Error   string    `json:"error"`
}

// LastError is the error of the job's last failed attempt, or "".
func (j Job) LastError() string {
	if len(j.Errors) == 0 {
		return ""
	}
	return j.Errors[len(j.Errors)-1].Error
}

// Retryable reports whether an admin may retry the job now: it failed, was
// cancelled, or waits for its next attempt.
func (j Job) Retryable() bool {
	return j.State == FilterFailed || j.State == FilterCancelled || j.State == FilterRetrying
}

func jobOf(r *rivertype.JobRow) Job {
	j := Job{ID: r.ID, Kind: r.Kind, Queue: r.Queue, State: FilterOf(r.State), RiverState: string(r.State),
		Attempt: r.Attempt, MaxAttempts: r.MaxAttempts, CreatedAt: r.CreatedAt.UTC(), ScheduledAt: r.ScheduledAt.UTC(),
		AttemptedAt: r.AttemptedAt, FinalizedAt: r.FinalizedAt, Errors: []JobError{}}
	for _, e := range r.Errors {
		j.Errors = append(j.Errors, JobError{Attempt: e.Attempt, At: e.At.UTC(), Error: e.Error})
	}
	return j
}

// Page is one page of a job list: Next is the cursor of the following page,
// "" after the last.
type Page struct {
	Jobs []Job  `json:"jobs"`
	Next string `json:"next,omitempty"`
}

// MaxPage is the largest page List returns.
const MaxPage = 100

// List lists jobs in filter, newest first, limit at a time (at most MaxPage)
// after cursor (a Page.Next, or "" for the first page). A cursor that is not
// one of ours is a validation error.
func (e *Engine) List(ctx context.Context, filter Filter, cursor string, limit int) (Page, error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	if states, ok := filterStates[filter]; ok {
		p = p.States(states...)
	} else {
		p = p.States(allStates...)
	}
	if cursor != "" {
		var c river.JobListCursor
		if len(cursor) > 1024 || c.UnmarshalText([]byte(cursor)) != nil {
			return Page{}, errs.Invalid("cursor", "jobs.cursor.invalid")
		}
		p = p.After(&c)
	}
	res, err := e.client.JobList(ctx, p)
	if err != nil {
		return Page{}, fmt.Errorf("jobs: list: %w", err)
	}
	out := Page{Jobs: make([]Job, 0, len(res.Jobs))}
	for _, r := range res.Jobs {
		out.Jobs = append(out.Jobs, jobOf(r))
	}
	if len(res.Jobs) == limit && res.LastCursor != nil {
		b, err := res.LastCursor.MarshalText()
		if err != nil {
			return Page{}, err
		}
		out.Next = string(b)
	}
	return out, nil
}

// allStates are every River state (JobList defaults to a subset).
var allStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateCancelled, rivertype.JobStateCompleted,
}

// Get returns one job, or errs.ErrNotFound.
func (e *Engine) Get(ctx context.Context, id int64) (Job, error) {
	r, err := e.client.JobGet(ctx, id)
	if errors.Is(err, rivertype.ErrNotFound) {
		return Job{}, fmt.Errorf("job %d: %w", id, errs.ErrNotFound)
	}
	if err != nil {
		return Job{}, fmt.Errorf("jobs: get %d: %w", id, err)
	}
	return jobOf(r), nil
}

// Counts returns how many jobs are in each filter (FilterAll is the total).
func (e *Engine) Counts(ctx context.Context) (map[Filter]int, error) {
	var rows []struct {
		State string
		N     int
	}
	if err := e.db.WithContext(ctx).Raw("SELECT state, COUNT(*) AS n FROM river_job GROUP BY state").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("jobs: counts: %w", err)
	}
	out := map[Filter]int{}
	for _, r := range rows {
		out[FilterOf(rivertype.JobState(r.State))] += r.N
		out[FilterAll] += r.N
	}
	return out, nil
}

// Due counts the jobs being worked or ready to be worked now: running, or
// available, retryable or scheduled with their time come. Zero means the
// queues are idle until some job's future time (tests drain queues until it
// is zero).
func (e *Engine) Due(ctx context.Context, now time.Time) (int, error) {
	res, err := e.client.JobList(ctx, river.NewJobListParams().First(10000).States(
		rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled))
	if err != nil {
		return 0, fmt.Errorf("jobs: due: %w", err)
	}
	n := 0
	for _, r := range res.Jobs {
		if r.State == rivertype.JobStateRunning || !r.ScheduledAt.After(now) {
			n++
		}
	}
	return n, nil
}

// jobJSON is what the audit log keeps of a job.
func jobJSON(j Job) string {
	b, err := json.Marshal(struct {
		Kind  string `json:"kind"`
		State string `json:"state"`
		Try   int    `json:"attempt"`
	}{j.Kind, j.RiverState, j.Attempt})
	if err != nil {
		return j.RiverState
	}
	return string(b)
}
