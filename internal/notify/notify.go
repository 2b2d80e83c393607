// Package notify tells the person who must act: shoppers about their
// orders, producers about sales, payouts, applications and certificates,
// officers about applications and expiring certificates, admins about
// money and failed jobs.
//
// An area calls Emit inside the transaction of the change that causes the
// event. Emit writes one inbox row per recipient (unique per event and
// recipient) and, for each new row whose recipient wants e-mail of that
// kind, enqueues a River job in the same transaction: the change and its
// messages commit together or not at all. The job (EmailWorker) renders the
// message in the recipient's language and sends it over SMTP after commit,
// retried with backoff; its Message-ID is derived from the event and the
// recipient, so a resend after a crash mid-send is recognisable.
package notify

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// Field is one detail of a message (an order code, an amount, a tracking
// link), shown as a labelled line: the label is the message key
// notify.field.<Name>. A Name ending in _url is shown as a link.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// F is a Field, for short event literals.
func F(name, value string) Field { return Field{Name: name, Value: value} }

// Audience is who an event is for. Every set part adds people; a person
// named twice gets one message.
type Audience struct {
	Users    []int64 // these users (a shopper)
	Producer int64   // every member of this producer
	Province string  // the provincial officers of this province code
	Central  bool    // the central officers
	Admins   bool    // every admin
}

// Event is something that happened that someone must know.
type Event struct {
	Kind Kind
	// Key identifies the event, stable across retries and replays (e.g.
	// "order.paid:DH…"): with the recipient it makes the message unique.
	Key    string
	To     Audience
	Fields []Field
	Link   string // site path of the exact page, e.g. /orders/DHABCD2345
}

// Emitter is what an area needs to tell people, inside its own
// transaction; *Service implements it. Areas declare it as their own small
// interface or take this one.
type Emitter interface {
	Emit(ctx context.Context, tx *gorm.DB, ev Event) error
}

// Jobs enqueues River jobs inside a transaction (the job engine
// implements it).
type Jobs interface {
	EnqueueTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
}

// Webhooks posts events to the URLs admins registered (Zalo OA, SMS
// gateways), from a retried job enqueued in the caller's transaction.
type Webhooks interface {
	EnqueueTx(ctx context.Context, tx *gorm.DB, kind, key string, payload any) error
}

// Service writes, lists and delivers notifications.
type Service struct {
	db       *gorm.DB
	jobs     Jobs     // nil: nothing is e-mailed (no engine, as in some tests)
	hooks    Webhooks // nil: no outgoing webhooks
	mail     *Mailer  // nil: OCOP_SMTP_URL unset, inbox only
	tmpl     *Templates
	baseURL  string
	unsubKey []byte
	log      *slog.Logger
}

// Config is what a Service is built with.
type Config struct {
	Jobs     Jobs
	Webhooks Webhooks
	Mailer   *Mailer // nil when no SMTP server is configured
	// Templates render the e-mails and inbox titles (LoadTemplates).
	Templates *Templates
	BaseURL   string // OCOP_BASE_URL: links in e-mails are absolute
	// UnsubscribeKey signs one-click unsubscribe links; the same on every
	// instance (derived from the deployment's secret).
	UnsubscribeKey []byte
	Log            *slog.Logger
}

// NewService returns a Service on g.
func NewService(g *gorm.DB, cfg Config) *Service {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: g, jobs: cfg.Jobs, hooks: cfg.Webhooks, mail: cfg.Mailer, tmpl: cfg.Templates, baseURL: cfg.BaseURL,
		unsubKey: cfg.UnsubscribeKey, log: log}
}

// SetJobs sets the job engine, which is built after the services (its
// workers are the services' own).
func (s *Service) SetJobs(j Jobs, w Webhooks) { s.jobs, s.hooks = j, w }

// Templates returns the message templates, for the inbox's titles.
func (s *Service) Templates() *Templates { return s.tmpl }

// Mailing reports whether e-mail is sent at all (OCOP_SMTP_URL is set).
func (s *Service) Mailing() bool { return s.mail != nil }
