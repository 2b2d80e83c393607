// Package errs is the small error vocabulary shared by every domain package.
// Each sentinel maps to exactly one HTTP status in the web layer, so a domain
// service says what went wrong and never how to answer it.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels. Wrap them with fmt.Errorf("...: %w", errs.ErrNotFound) to add context.
var (
	// ErrNotFound: the thing does not exist, or the caller may not know it exists (404).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller is known but may not do this (403).
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthorized: the caller is not signed in, or the credentials are wrong (401).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrConflict: the request is valid but clashes with the current state (409).
	ErrConflict = errors.New("conflict")
	// ErrTooMany: the caller is rate limited (429).
	ErrTooMany = errors.New("too many requests")
)

// FieldError is one invalid input field. Message is a message key for
// i18n (e.g. "validation.required") and Param an optional parameter for it.
type FieldError struct {
	Field   string `json:"name"`
	Message string `json:"reason"`
	Param   string `json:"-"`
}

// ValidationError is returned when input is invalid (400 or 422). It lists every
// bad field, so a form can show all problems at once.
type ValidationError struct {
	Fields []FieldError
}

// Error implements error.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Invalid builds a ValidationError for a single field.
func Invalid(field, message string) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: message}}}
}

// Conflictf returns an ErrConflict with a reason that is safe to show to people.
func Conflictf(format string, args ...any) error {
	return &Reasoned{Err: ErrConflict, Reason: fmt.Sprintf(format, args...)}
}

// Reasoned carries a sentinel plus a message key that may be shown to the user.
type Reasoned struct {
	Err    error
	Reason string
}

// Error implements error.
func (r *Reasoned) Error() string { return r.Reason + ": " + r.Err.Error() }

// Unwrap lets errors.Is see the sentinel.
func (r *Reasoned) Unwrap() error { return r.Err }

// Reason returns the user-facing reason attached to err, if any.
func Reason(err error) string {
	var r *Reasoned
	if errors.As(err, &r) {
		return r.Reason
	}
	return ""
}

// AsValidation returns the ValidationError inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}
