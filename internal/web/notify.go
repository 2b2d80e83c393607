package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/frontend"
	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/i18n"
	"github.com/chocop/ocop/internal/platform/jobs"
)

// newEngine builds the job engine on g; Run starts it.
func newEngine(cfg config.Config, log *slog.Logger, g *gorm.DB) (*jobs.Engine, error) {
	return jobs.New(g, jobs.Options{Logger: log, PollInterval: cfg.JobPollInterval})
}

// newNotifier builds the notification service on the job engine: its
// e-mail worker, the admins' message when a job is discarded, and the
// mailer when OCOP_SMTP_URL is set.
func newNotifier(cfg config.Config, log *slog.Logger, g *gorm.DB, msgs *i18n.Bundle, engine *jobs.Engine) (*notify.Service, error) {
	tmpl, err := notify.LoadTemplates(frontend.Templates(), msgs)
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	var mailer *notify.Mailer
	if cfg.SMTPURL != "" {
		if mailer, err = notify.NewMailer(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return nil, err
		}
	}
	n := notify.NewService(g, notify.Config{Jobs: engine, Mailer: mailer, Templates: tmpl, BaseURL: cfg.BaseURL,
		UnsubscribeKey: unsubscribeKey(cfg), Log: log})
	river.AddWorker(engine.Workers(), &notify.EmailWorker{Service: n})
	engine.OnDiscard(func(ctx context.Context, job *rivertype.JobRow) {
		if err := n.JobFailed(ctx, job); err != nil {
			log.Error("telling admins of a failed job", "job", job.ID, "kind", job.Kind, "err", err)
		}
	})
	return n, nil
}

// Periodic notification sweeps, run once per period across instances on
// River's leader. Each is idempotent: its events are keyed by the day, the
// week or the reminder stage.
type (
	saleDigestArgs    struct{} // daily: producers' paid orders still unconfirmed
	certRemindersArgs struct{} // daily: certificates 180/90/30 days from lapsing, or lapsed
	officerDigestArgs struct{} // weekly: certificates lapsing within 90 days, per province
)

func (saleDigestArgs) Kind() string    { return "notify.sale_digest" }
func (certRemindersArgs) Kind() string { return "notify.cert_reminders" }
func (officerDigestArgs) Kind() string { return "notify.officer_digest" }

// sweepWorker runs one periodic sweep.
type sweepWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	run func(ctx context.Context) error
}

func (w *sweepWorker[T]) Work(ctx context.Context, _ *river.Job[T]) error { return w.run(ctx) }

// addNotifySweeps registers the reminders and digests on the engine.
func (s *Server) addNotifySweeps() {
	e, svc := s.engine, s.svc
	river.AddWorker(e.Workers(), &sweepWorker[saleDigestArgs]{run: func(ctx context.Context) error {
		_, err := svc.orders.DigestUnconfirmed(ctx, time.Now())
		return err
	}})
	river.AddWorker(e.Workers(), &sweepWorker[certRemindersArgs]{run: func(ctx context.Context) error {
		_, err := svc.certification.RemindExpiring(ctx)
		return err
	}})
	river.AddWorker(e.Workers(), &sweepWorker[officerDigestArgs]{run: func(ctx context.Context) error {
		_, err := svc.certification.DigestExpiring(ctx)
		return err
	}})
	e.Periodic(24*time.Hour, saleDigestArgs{}, nil)
	e.Periodic(24*time.Hour, certRemindersArgs{}, nil)
	e.Periodic(7*24*time.Hour, officerDigestArgs{}, nil)
}

// unsubscribeKey signs the one-click unsubscribe links: derived from the
// deployment's cursor secret, so every instance makes and accepts the same
// links, under a label of its own so the two keys never sign each other's
// data.
func unsubscribeKey(cfg config.Config) []byte {
	sum := sha256.Sum256(append([]byte("ocop-unsubscribe\x00"), cursorSecret(cfg)...))
	return sum[:]
}

// Jobs is the server's job engine, for tests that drain it and for the admin pages.
func (s *Server) Jobs() *jobs.Engine { return s.engine }

// Notifier is the notification service, for tests.
func (s *Server) Notifier() *notify.Service { return s.svc.notify }
