package payment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// ProviderCall is a call to a payment provider that a committed change owes
// (today: a card refund). It is written in the same transaction as the
// change, so the obligation can never be lost, and made after commit by
// RunProviderCalls, retried with backoff until the provider answers. Its
// idempotency key is sent to the provider, so a repeat (a retry after a
// timeout, two instances, a crash mid-call) acts once.
//
// Each kind is one small self-contained function (providerKinds), so the
// sweep can later become a job engine's worker without touching them.
type ProviderCall struct {
	ID             int64      `gorm:"primaryKey" json:"id"`
	Kind           string     `gorm:"not null" json:"kind"`
	IdempotencyKey string     `gorm:"not null" json:"idempotency_key"`
	Payload        string     `gorm:"not null" json:"-"`
	GroupCode      string     `json:"group_code"`
	Attempts       int        `gorm:"not null" json:"attempts"`
	NextAttemptAt  time.Time  `gorm:"not null" json:"next_attempt_at"`
	LastError      string     `json:"last_error"`
	Result         string     `json:"result"`
	DoneAt         *time.Time `json:"done_at,omitempty"`
	FailedAt       *time.Time `json:"failed_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Kinds of provider calls.
const (
	CallStripeRefund = "stripe.refund"
)

// Retry policy of provider calls: a claimed call is leased for callLease
// (longer than the Stripe client's timeout and its own retries), then
// retried after 1, 2, 4 … minutes, at most an hour apart, and given up
// after maxCallAttempts (about five hours), which an admin then sees.
const (
	callLease       = 3 * time.Minute
	maxCallAttempts = 10
	maxLastError    = 500
)

func callBackoff(attempts int) time.Duration {
	d := time.Minute << min(attempts-1, 6)
	return min(d, time.Hour)
}

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

// enqueueCall writes a provider call inside the caller's transaction. A
// second call with the same idempotency key is refused by the unique
// constraint, which rolls the change back: an order is refunded once.
func enqueueCall(ctx context.Context, tx *gorm.DB, kind, key, groupCode string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("provider call %s: %w", key, err)
	}
	now := time.Now().UTC()
	return tx.WithContext(ctx).Create(&ProviderCall{Kind: kind, IdempotencyKey: key, Payload: string(b), GroupCode: groupCode,
		NextAttemptAt: now, CreatedAt: now}).Error
}

// RunProviderCalls makes the provider calls due at now and reports how many
// finished. Safe on several instances at once: each attempt is claimed by a
// compare-and-set on the attempt count that also leases the call, and the
// provider sees the same idempotency key on every attempt.
func (s *Service) RunProviderCalls(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	var due []ProviderCall
	if err := s.db.WithContext(ctx).Where("done_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", now).
		Order("next_attempt_at, id").Limit(50).Find(&due).Error; err != nil {
		return 0, err
	}
	done := 0
	var failures []error
	for _, call := range due {
		ok, err := s.runCall(ctx, call, now)
		if err != nil {
			failures = append(failures, err)
		}
		if ok {
			done++
		}
	}
	return done, errors.Join(failures...)
}

// runCall claims one call, makes it and records the outcome. It returns an
// error only when the database could not record it; a provider's failure
// is recorded on the call (last_error, next attempt) for an admin to see.
func (s *Service) runCall(ctx context.Context, call ProviderCall, now time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&ProviderCall{}).
		Where("id = ? AND attempts = ? AND done_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", call.ID, call.Attempts, now).
		Updates(map[string]any{"attempts": call.Attempts + 1, "next_attempt_at": now.Add(callLease)})
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error // another instance took it
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
		return true, mine.Updates(map[string]any{"done_at": time.Now().UTC(), "result": result, "last_error": ""}).Error
	}
	msg := err.Error()
	if len(msg) > maxLastError {
		msg = msg[:maxLastError]
	}
	var perm permanentError
	if !errors.As(err, &perm) && call.Attempts < maxCallAttempts {
		return false, mine.Updates(map[string]any{"last_error": msg, "next_attempt_at": now.Add(callBackoff(call.Attempts))}).Error
	}
	// Given up: the call is marked failed and an admin's to-do written in one transaction.
	return false, db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		r := tx.Model(&ProviderCall{}).Where("id = ? AND attempts = ? AND failed_at IS NULL", call.ID, call.Attempts).
			Updates(map[string]any{"failed_at": time.Now().UTC(), "last_error": msg})
		if r.Error != nil || r.RowsAffected == 0 {
			return r.Error
		}
		if !known {
			return nil
		}
		return kind.giveUp(ctx, tx, call, msg)
	})
}

// ProviderCallsToWatch lists the calls an admin should see: given up, or
// still not done after a failed attempt or well past their due time.
func (s *Service) ProviderCallsToWatch(ctx context.Context, now time.Time) ([]ProviderCall, error) {
	var out []ProviderCall
	err := s.db.WithContext(ctx).
		Where("failed_at IS NOT NULL OR (done_at IS NULL AND (attempts > 0 OR next_attempt_at < ?))", now.UTC().Add(-5*time.Minute)).
		Order("id DESC").Limit(200).Find(&out).Error
	return out, err
}

// RetryProviderCall puts a given-up call back in the queue, due now, after
// an admin fixed its cause (a Stripe key, a dispute), audited. The same
// idempotency key goes to the provider, so a call that had in fact gone
// through is not repeated.
func (s *Service) RetryProviderCall(ctx context.Context, adminID, id int64) error {
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Model(&ProviderCall{}).Where("id = ? AND failed_at IS NOT NULL AND done_at IS NULL", id).
			Updates(map[string]any{"failed_at": nil, "attempts": 0, "next_attempt_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("failed provider call %d: %w", id, errs.ErrNotFound)
		}
		return audit(ctx, tx, adminID, "provider_call.retry", fmt.Sprint(id), "failed", "queued")
	})
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
