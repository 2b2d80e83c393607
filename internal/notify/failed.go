package notify

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
)

// JobFailed tells the admins that a background job was discarded (it
// failed its last attempt, or its worker gave it up). The event is keyed
// by the job's id, so telling twice (a crash between this and River
// recording the discard) is one message. A discarded e-mail about a failed
// job tells nobody: with the mail server gone for days, each such message
// would otherwise beget the next.
func (s *Service) JobFailed(ctx context.Context, job *rivertype.JobRow) error {
	if job.Kind == (EmailArgs{}).Kind() {
		var a EmailArgs
		if err := json.Unmarshal(job.EncodedArgs, &a); err == nil {
			var kinds []Kind
			if err := s.db.WithContext(ctx).Model(&Notification{}).Where("id = ?", a.NotificationID).Pluck("kind", &kinds).Error; err != nil {
				return err
			}
			if len(kinds) == 1 && kinds[0] == JobFailed {
				return nil
			}
		}
	}
	fs := []Field{F("job", job.Kind), F("code", strconv.FormatInt(job.ID, 10)), F("attempts", strconv.Itoa(job.Attempt))}
	if n := len(job.Errors); n > 0 {
		msg := job.Errors[n-1].Error
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		fs = append(fs, F("error", msg))
	}
	ev := Event{Kind: JobFailed, Key: "job.failed:" + strconv.FormatInt(job.ID, 10) + ":" + strconv.Itoa(job.Attempt),
		To: Audience{Admins: true}, Fields: fs, Link: "/admin/jobs"}
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error { return s.Emit(ctx, tx, ev) })
}
