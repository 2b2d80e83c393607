// Package errs is the small error vocabulary shared by every domain package.
// Each sentinel maps to exactly one HTTP status in the web layer, so a domain
// service says what went wrong and never how to answer it.
package errs

import (
	"errors"
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

// Reasoned carries a sentinel plus a message key that may be shown to the user.
type Reasoned struct {
	Err    error
	Reason string
	// Code is the stable machine-readable code API clients match on
	// (problem+json "code"); empty means the Reason key is the code.
	Code string
	// Data fills the placeholders of the Reason message ({{.Name}}).
	Data map[string]any
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

// ReasonData returns the placeholder values of err's reason message, if any.
func ReasonData(err error) map[string]any {
	var r *Reasoned
	if errors.As(err, &r) {
		return r.Data
	}
	return nil
}

// Codes of the sentinels, for errors that carry no Reasoned. They are part
// of the API: clients match on them, so they never change once shipped.
const (
	CodeValidation   = "validation"
	CodeNotFound     = "not_found"
	CodeForbidden    = "forbidden"
	CodeUnauthorized = "unauthorized"
	CodeConflict     = "conflict"
	CodeRateLimited  = "rate_limited"
)

// Code is the stable machine-readable code of err: the Code of its
// Reasoned, else that Reasoned's reason key (already a dotted, namespaced
// name such as "checkout.out_of_stock"), else the code of its sentinel or
// of a validation error. It returns "" for an error outside the vocabulary
// (an internal error), which the web layer answers by its status.
func Code(err error) string {
	var r *Reasoned
	if errors.As(err, &r) {
		if r.Code != "" {
			return r.Code
		}
		return r.Reason
	}
	if _, ok := AsValidation(err); ok {
		return CodeValidation
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrForbidden):
		return CodeForbidden
	case errors.Is(err, ErrUnauthorized):
		return CodeUnauthorized
	case errors.Is(err, ErrConflict):
		return CodeConflict
	case errors.Is(err, ErrTooMany):
		return CodeRateLimited
	}
	return ""
}

// AsValidation returns the ValidationError inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}
