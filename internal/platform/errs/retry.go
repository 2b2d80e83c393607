package errs

import (
	"errors"
	"time"
)

// ErrUnavailable: the server is busy with work of this kind right now (a
// full queue of password hashes or photo decodes); the same request may
// succeed shortly (503).
var ErrUnavailable = errors.New("temporarily unavailable")

// Later marks Err as worth retrying after After; the web layer sends it as
// a Retry-After header. Reasoned and the sentinels stay reachable through it.
type Later struct {
	Err   error
	After time.Duration
}

// Error implements error.
func (l *Later) Error() string { return l.Err.Error() }

// Unwrap lets errors.Is and errors.As see Err.
func (l *Later) Unwrap() error { return l.Err }

// RetryAfter returns how long the caller should wait before trying again,
// or 0 when err says nothing about it.
func RetryAfter(err error) time.Duration {
	var l *Later
	if errors.As(err, &l) {
		return l.After
	}
	return 0
}
