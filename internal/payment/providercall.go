package payment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// ProviderCall is a call to a payment provider that a committed change owes
// (today: a card refund). The row and the job that makes the call (CallArgs)
// are written in the same transaction as the change, so the obligation can
// never be lost; the job engine makes the call after commit and retries it
// with backoff until the provider answers. The row keeps what an admin needs
// to see (attempts, last error, the provider's result). Its idempotency key
// is sent to the provider, so a repeat (a retry after a timeout, a crash
// mid-call) acts once.
type ProviderCall struct {
	ID             int64  `gorm:"primaryKey" json:"id"`
	Kind           string `gorm:"not null" json:"kind"`
	IdempotencyKey string `gorm:"not null" json:"idempotency_key"`
	Payload        string `gorm:"not null" json:"-"`
	GroupCode      string `json:"group_code"`
	Attempts       int    `gorm:"not null" json:"attempts"`
	// NextAttemptAt was the sweep's due time; since calls are jobs it is the
	// time the call was owed (the job engine keeps the retry schedule).
	NextAttemptAt time.Time  `gorm:"not null" json:"next_attempt_at"`
	LastError     string     `json:"last_error"`
	Result        string     `json:"result"`
	DoneAt        *time.Time `json:"done_at,omitempty"`
	FailedAt      *time.Time `json:"failed_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Kinds of provider calls.
const (
	CallStripeRefund = "stripe.refund"
)

// Retry policy of provider calls: an attempt may run callTimeout (longer
// than the Stripe client's timeout and its own retries); the job engine
// retries a failed one with its backoff (attempt⁴ seconds: 1 s, 16 s,
// 81 s … about 3 hours before the 10th), and after maxCallAttempts the call
// is given up, which an admin then sees.
const (
	callTimeout     = 3 * time.Minute
	maxCallAttempts = 10
	maxLastError    = 500
)

// Jobs enqueues a job inside the caller's transaction
// (internal/platform/jobs.Engine implements it).
type Jobs interface {
	EnqueueTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
}

// CallArgs is the job that makes the provider call CallID. It is unique
// per call, so enqueueing it twice (a replay, the adoption sweep) runs it once.
type CallArgs struct {
	CallID int64 `json:"call_id"`
}

// Kind implements river.JobArgs.
func (CallArgs) Kind() string { return "payment.provider_call" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (CallArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxCallAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// CallWorker makes provider calls (CallArgs jobs).
type CallWorker struct {
	river.WorkerDefaults[CallArgs]
	s *Service
}

// NewCallWorker returns the worker of CallArgs jobs on s.
func NewCallWorker(s *Service) *CallWorker { return &CallWorker{s: s} }

// Work implements river.Worker.
func (w *CallWorker) Work(ctx context.Context, job *river.Job[CallArgs]) error {
	return w.s.runCall(ctx, job.Args.CallID, job.Attempt >= job.MaxAttempts)
}

// Timeout implements river.Worker.
func (w *CallWorker) Timeout(*river.Job[CallArgs]) time.Duration { return callTimeout }

// permanentError marks a provider's refusal that no retry can change (an
// invalid request, a charge already fully refunded): the call is given up
// at once.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// providerKind is how to make one kind of call, and what giving up on it
// leaves for an admin (written in the transaction that marks it failed).
type providerKind struct {
	run    func(s *Service, ctx context.Context, call ProviderCall) (result string, err error)
	giveUp func(ctx context.Context, tx *gorm.DB, call ProviderCall, cause string) error
}

var providerKinds = map[string]providerKind{
	CallStripeRefund: {run: (*Service).callStripeRefund, giveUp: gaveUpStripeRefund},
}

// errNoJobs is returned when a call is owed by a Service built without a
// job engine: the change rolls back rather than owe a call nobody makes.
var errNoJobs = errors.New("payment: no job engine to make provider calls (Config.Jobs)")

// enqueueCall writes a provider call and its job inside the caller's
// transaction. A second call with the same idempotency key is refused by
// the unique constraint, which rolls the change back: an order is refunded once.
func (s *Service) enqueueCall(ctx context.Context, tx *gorm.DB, kind, key, groupCode string, payload any) error {
	if s.jobs == nil {
		return errNoJobs
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("provider call %s: %w", key, err)
	}
	now := time.Now().UTC()
	call := ProviderCall{Kind: kind, IdempotencyKey: key, Payload: string(b), GroupCode: groupCode, NextAttemptAt: now, CreatedAt: now}
	if err := tx.WithContext(ctx).Create(&call).Error; err != nil {
		return err
	}
	return s.jobs.EnqueueTx(ctx, tx, CallArgs{CallID: call.ID}, nil)
}

// errGivenUp cancels the job of a call an admin must retry from the
// payments page (which also clears the refund_failed to-do's cause).
var errGivenUp = errors.New("the provider call was given up; retry it from /admin/payments")

// runCall makes one attempt at call id and records the outcome on its row.
// It returns nil when the call is done (or was already), an error for the
// job engine to retry, or river.JobCancel for a call given up; last says
// this is the job's last attempt, after which a failure gives the call up.
func (s *Service) runCall(ctx context.Context, id int64, last bool) error {
	var call ProviderCall
	if err := s.db.WithContext(ctx).Take(&call, id).Error; err != nil {
		if db.IsNotFound(err) {
			return river.JobCancel(fmt.Errorf("provider call %d: %w", id, errs.ErrNotFound))
		}
		return err
	}
	switch {
	case call.DoneAt != nil:
		return nil
	case call.FailedAt != nil:
		return river.JobCancel(errGivenUp)
	}
	// The attempt is counted before the call, by a compare-and-set, so
	// that the admin's view never shows fewer attempts than the provider saw.
	res := s.db.WithContext(ctx).Model(&ProviderCall{}).Where("id = ? AND attempts = ? AND done_at IS NULL AND failed_at IS NULL", call.ID, call.Attempts).
		Update("attempts", call.Attempts+1)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("provider call %d changed under its job: %w", call.ID, errs.ErrConflict) // retried: the next attempt rereads it
	}
	call.Attempts++
	mine := s.db.WithContext(ctx).Model(&ProviderCall{}).Where("id = ? AND attempts = ?", call.ID, call.Attempts)
	kind, known := providerKinds[call.Kind]
	var (
		result string
		err    error
	)
	if known {
		result, err = kind.run(s, ctx, call)
	} else {
		err = permanentError{fmt.Errorf("unknown provider call kind %q", call.Kind)}
	}
	if err == nil {
		return mine.Updates(map[string]any{"done_at": time.Now().UTC(), "result": result, "last_error": ""}).Error
	}
	msg := err.Error()
	if len(msg) > maxLastError {
		msg = msg[:maxLastError]
	}
	var perm permanentError
	permanent := errors.As(err, &perm)
	if !permanent && !last {
		if uerr := mine.Update("last_error", msg).Error; uerr != nil {
			return errors.Join(err, uerr)
		}
		return err // the job engine retries it after its backoff
	}
	// Given up: the call is marked failed and an admin's to-do written in one transaction.
	if gerr := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		r := tx.Model(&ProviderCall{}).Where("id = ? AND attempts = ? AND failed_at IS NULL", call.ID, call.Attempts).
			Updates(map[string]any{"failed_at": time.Now().UTC(), "last_error": msg})
		if r.Error != nil || r.RowsAffected == 0 || !known {
			return r.Error
		}
		return kind.giveUp(ctx, tx, call, msg)
	}); gerr != nil {
		return errors.Join(err, gerr) // not recorded: the job tries again
	}
	if permanent {
		return river.JobCancel(err) // no retry can change a refusal
	}
	return err // the last attempt: the job is discarded, and admins told
}

// ProviderCallsToWatch lists the calls an admin should see: given up, or
// still not done after a failed attempt or well after they were owed.
func (s *Service) ProviderCallsToWatch(ctx context.Context, now time.Time) ([]ProviderCall, error) {
	var out []ProviderCall
	err := s.db.WithContext(ctx).
		Where("failed_at IS NOT NULL OR (done_at IS NULL AND (attempts > 0 OR next_attempt_at < ?))", now.UTC().Add(-5*time.Minute)).
		Order("id DESC").Limit(200).Find(&out).Error
	return out, err
}

// RetryProviderCall puts a given-up call back in the queue after an admin
// fixed its cause (a Stripe key, a dispute): a new job, enqueued with the
// change and audited. The same idempotency key goes to the provider, so a
// call that had in fact gone through is not repeated.
func (s *Service) RetryProviderCall(ctx context.Context, adminID, id int64) error {
	if s.jobs == nil {
		return errNoJobs
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Model(&ProviderCall{}).Where("id = ? AND failed_at IS NOT NULL AND done_at IS NULL", id).
			Updates(map[string]any{"failed_at": nil, "attempts": 0})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("failed provider call %d: %w", id, errs.ErrNotFound)
		}
		if err := s.jobs.EnqueueTx(ctx, tx, CallArgs{CallID: id}, nil); err != nil {
			return err
		}
		return audit(ctx, tx, adminID, "provider_call.retry", fmt.Sprint(id), "failed", "queued")
	})
}

// AdoptProviderCalls enqueues a job for every call still owed that has no
// live job: the calls written by the sweep this engine replaced, which were
// pending at the upgrade, and any whose job was lost. A call with a live
// job is skipped (CallArgs is unique), so it is safe to run any time; the
// server runs it daily and when a leader starts.
func (s *Service) AdoptProviderCalls(ctx context.Context) error {
	if s.jobs == nil {
		return errNoJobs
	}
	var ids []int64
	if err := s.db.WithContext(ctx).Model(&ProviderCall{}).Where("done_at IS NULL AND failed_at IS NULL").
		Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		for _, id := range ids {
			if err := s.jobs.EnqueueTx(ctx, tx, CallArgs{CallID: id}, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
