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

// newNotifier builds the notification service, enqueuing its e-mails on
// engine; the mailer exists when OCOP_SMTP_URL is set.
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
	return notify.NewService(g, notify.Config{Jobs: engine, Mailer: mailer, Templates: tmpl, BaseURL: cfg.BaseURL,
		UnsubscribeKey: unsubscribeKey(cfg), Log: log}), nil
}

// registerNotify adds to e the e-mail worker, the admins' message when a
// job is discarded, and the reminders and digests: daily, producers' paid
// orders still unconfirmed and certificates 180/90/30 days from lapsing or
// lapsed; weekly, officers' certificates lapsing within 90 days. Each
// sweep is idempotent: its events are keyed by the day, the week or the
// reminder stage.
func (s *Server) registerNotify(e *jobs.Engine) {
	svc := s.svc
	river.AddWorker(e.Workers(), &notify.EmailWorker{Service: svc.notify})
	e.OnDiscard(func(ctx context.Context, job *rivertype.JobRow) {
		if err := svc.notify.JobFailed(ctx, job); err != nil {
			s.log.Error("telling admins of a failed job", "job", job.ID, "kind", job.Kind, "err", err)
		}
	})
	e.Sweep("notify.sale_digest", 24*time.Hour, func(ctx context.Context) error {
		_, err := svc.orders.DigestUnconfirmed(ctx, time.Now())
		return err
	})
	e.Sweep("notify.cert_reminders", 24*time.Hour, func(ctx context.Context) error {
		_, err := svc.certification.RemindExpiring(ctx)
		return err
	})
	e.Sweep("notify.officer_digest", 7*24*time.Hour, func(ctx context.Context) error {
		_, err := svc.certification.DigestExpiring(ctx)
		return err
	})
}

// unsubscribeKey signs the one-click unsubscribe links: derived from the
// deployment's cursor secret, so every instance makes and accepts the same
// links, under a label of its own so the two keys never sign each other's
// data.
func unsubscribeKey(cfg config.Config) []byte {
	sum := sha256.Sum256(append([]byte("ocop-unsubscribe\x00"), cursorSecret(cfg)...))
	return sum[:]
}

// Notifier is the notification service, for tests.
func (s *Server) Notifier() *notify.Service { return s.svc.notify }
