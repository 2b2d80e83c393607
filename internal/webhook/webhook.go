// Package webhook sends events to URLs an admin registers (a province's Zalo
// OA or SMS gateway): each event is POSTed as JSON, signed like the bank's
// notifications to us (HMAC-SHA256 over "timestamp.body" in
// X-OCOP-Signature), by a River job per (event, endpoint) that is enqueued
// in the transaction of the change the event is about and retried with
// backoff until the endpoint answers 2xx.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Endpoint is a URL that receives events.
type Endpoint struct {
	ID         int64      `gorm:"primaryKey" json:"id"`
	URL        string     `gorm:"not null" json:"url"`
	Secret     string     `gorm:"not null" json:"-"` // shown once, when registered
	Kinds      string     `gorm:"not null" json:"kinds"`
	CreatedBy  int64      `gorm:"not null" json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// TableName is webhook_endpoints.
func (Endpoint) TableName() string { return "webhook_endpoints" }

// Wants reports whether the endpoint subscribed to kind.
func (e Endpoint) Wants(kind string) bool {
	for _, k := range strings.Split(e.Kinds, ",") {
		if k == "*" || k == kind {
			return true
		}
	}
	return false
}

// Jobs enqueues a job in the caller's transaction (jobs.Engine).
type Jobs interface {
	EnqueueTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
}

// Service registers endpoints and enqueues deliveries.
type Service struct {
	db   *gorm.DB
	jobs Jobs
}

// NewService returns the webhook service on g, enqueueing on jobs.
func NewService(g *gorm.DB, jobs Jobs) *Service { return &Service{db: g, jobs: jobs} }

// Limits of what an admin registers.
const (
	maxURL   = 2048
	maxKinds = 500
)

// validURL checks an endpoint URL: absolute http(s), a host, no user
// information (a password in a URL ends up in logs), no control characters,
// at most maxURL bytes.
func validURL(raw string) (string, error) {
	bad := errs.Invalid("url", "webhook.url.invalid")
	if raw == "" || len(raw) > maxURL || !utf8.ValidString(raw) || strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", bad
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return "", bad
	}
	return u.String(), nil
}

// validKinds normalises a comma-separated list of event kinds ("*" is every kind).
func validKinds(raw string) (string, error) {
	bad := errs.Invalid("kinds", "webhook.kinds.invalid")
	if len(raw) > maxKinds {
		return "", bad
	}
	var out []string
	for _, k := range strings.Split(raw, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if k != "*" && strings.ContainsFunc(k, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_')
		}) {
			return "", bad
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		return "", bad
	}
	return strings.Join(out, ","), nil
}

// Register records an endpoint for kinds and returns it with its secret,
// which is shown this once. A bad URL or kind list is a validation error
// and nothing is written.
func (s *Service) Register(ctx context.Context, adminID int64, rawURL, kinds string) (Endpoint, error) {
	u, err := validURL(strings.TrimSpace(rawURL))
	if err != nil {
		return Endpoint{}, err
	}
	ks, err := validKinds(kinds)
	if err != nil {
		return Endpoint{}, err
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (it crashes the program instead)
	e := Endpoint{URL: u, Secret: "whsec_" + hex.EncodeToString(b), Kinds: ks, CreatedBy: adminID, CreatedAt: time.Now().UTC()}
	err = db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := auditchain.Lock(tx, auditTable); err != nil { // before any row lock, as Lock asks
			return err
		}
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		return audit(tx, adminID, "webhook.register", nil, e)
	})
	if err != nil {
		return Endpoint{}, err
	}
	return e, nil
}

// List returns every endpoint, newest first.
func (s *Service) List(ctx context.Context) ([]Endpoint, error) {
	var out []Endpoint
	err := s.db.WithContext(ctx).Order("id DESC").Find(&out).Error
	return out, err
}

// Disable stops deliveries to endpoint id (pending ones are cancelled when
// they run), recording adminID in the audit log in the same transaction.
// An endpoint not there or already disabled is errs.ErrNotFound.
func (s *Service) Disable(ctx context.Context, adminID, id int64) error {
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := auditchain.Lock(tx, auditTable); err != nil {
			return err
		}
		var e Endpoint
		err := tx.Where("id = ? AND disabled_at IS NULL", id).Take(&e).Error
		if db.IsNotFound(err) {
			return fmt.Errorf("webhook endpoint %d: %w", id, errs.ErrNotFound)
		} else if err != nil {
			return err
		}
		before := e
		now := time.Now().UTC()
		// The audit lock serialises disables, so the row read is the row changed.
		if err := tx.Model(&Endpoint{}).Where("id = ?", id).Update("disabled_at", now).Error; err != nil {
			return err
		}
		e.DisabledAt = &now
		return audit(tx, adminID, "webhook.disable", &before, e)
	})
}

// EnqueueTx enqueues, inside the caller's transaction tx, one delivery of
// the event (kind, key) with payload to every active endpoint subscribed to
// kind. key names the event (e.g. the order code and its new state): a
// delivery is unique per (endpoint, kind, key), so a replayed event is
// delivered once.
func (s *Service) EnqueueTx(ctx context.Context, tx *gorm.DB, kind, key string, payload any) error {
	var eps []Endpoint
	if err := tx.WithContext(ctx).Where("disabled_at IS NULL").Order("id").Find(&eps).Error; err != nil {
		return err
	}
	for _, ep := range eps {
		if !ep.Wants(kind) {
			continue
		}
		args, err := newDelivery(ep.ID, kind, key, payload)
		if err != nil {
			return err
		}
		if err := s.jobs.EnqueueTx(ctx, tx, args, nil); err != nil {
			return err
		}
	}
	return nil
}

// endpoint reads an active endpoint.
func (s *Service) endpoint(ctx context.Context, id int64) (Endpoint, error) {
	var e Endpoint
	err := s.db.WithContext(ctx).Where("id = ? AND disabled_at IS NULL", id).Take(&e).Error
	if db.IsNotFound(err) {
		return Endpoint{}, fmt.Errorf("webhook endpoint %d: %w", id, errs.ErrNotFound)
	}
	return e, err
}
