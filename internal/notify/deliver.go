package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/riverqueue/river"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/i18n"
)

// Queue is the River queue of e-mail jobs: the default one, which every
// instance works.
const Queue = river.QueueDefault

// EmailArgs is the River job that e-mails one notification. It names the
// row, not the message: the text is rendered when sending, in the
// recipient's language of that moment.
type EmailArgs struct {
	NotificationID int64 `json:"notification_id"`
}

// Kind is the River job kind.
func (EmailArgs) Kind() string { return "notify.email" }

// EmailWorker sends the e-mail of a notification (see Service.Deliver).
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	Service *Service
}

// Work sends one e-mail. A message no retry can deliver (the server refused
// the address) is cancelled, which leaves it visible to admins with its error.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	err := w.Service.Deliver(ctx, job.Args.NotificationID)
	var perm PermanentError
	if errors.As(err, &perm) {
		return river.JobCancel(err)
	}
	return err
}

// NextRetry waits attempt² seconds, at most ten minutes: an SMTP server
// back after a short outage gets the queue within seconds, a long outage
// is not hammered.
func (w *EmailWorker) NextRetry(job *river.Job[EmailArgs]) time.Time {
	d := time.Duration(job.Attempt*job.Attempt) * time.Second
	return time.Now().Add(min(d, 10*time.Minute))
}

// Timeout bounds one attempt: a hung SMTP server must not hold a worker.
func (w *EmailWorker) Timeout(*river.Job[EmailArgs]) time.Duration { return time.Minute }

// Deliver e-mails notification id to its recipient, if e-mail is on and the
// recipient still wants that kind by e-mail. It is safe to run again: a
// notification already e-mailed is skipped, and a resend after a crash
// between sending and recording carries the same Message-ID.
func (s *Service) Deliver(ctx context.Context, id int64) error {
	if s.mail == nil || s.tmpl == nil {
		return nil
	}
	var rows []Notification
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 || rows[0].EmailedAt != nil {
		return nil // the person's account was deleted, or it went already
	}
	n := rows[0]
	on, err := emailOn(ctx, s.db, n.UserID, n.Kind)
	if err != nil || !on {
		return err
	}
	contacts, err := account.ContactsTx(ctx, s.db, []int64{n.UserID})
	if err != nil {
		return err
	}
	c, ok := contacts[n.UserID]
	if !ok {
		return nil // disabled since
	}
	lang := c.Locale
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	unsub := s.UnsubscribeURL(n.UserID, n.Kind, time.Now())
	r, err := s.tmpl.Render(lang, c.Name, s.baseURL, n, unsub)
	if err != nil {
		return PermanentError{fmt.Errorf("render %s: %w", n.Kind, err)}
	}
	msg := Message{To: c.Email, Subject: r.Subject, Text: r.Text, HTML: r.HTML, Lang: lang,
		MessageID: s.MessageID(n), Unsubscribe: unsub}
	if err := s.mail.Send(ctx, msg); err != nil {
		return fmt.Errorf("e-mail notification %d: %w", n.ID, err)
	}
	s.log.Info("e-mail sent", "notification", n.ID, "kind", string(n.Kind))
	return s.db.WithContext(ctx).Model(&Notification{}).Where("id = ? AND emailed_at IS NULL", n.ID).
		Update("emailed_at", time.Now().UTC()).Error
}

// MessageID is the e-mail's Message-ID (without angle brackets): derived
// from the event key and the recipient alone, so every attempt at one
// message carries the same one.
func (s *Service) MessageID(n Notification) string {
	sum := sha256.Sum256([]byte(n.EventKey + "\x00" + fmt.Sprint(n.UserID)))
	host := "ocop.invalid"
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return hex.EncodeToString(sum[:16]) + "@" + host
}
