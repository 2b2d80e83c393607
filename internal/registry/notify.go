package registry

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/notify"
)

// SetNotifier makes the service tell people about applications, inside
// each change's transaction. Without it nobody is told.
func (s *Service) SetNotifier(n notify.Emitter) { s.notify = n }

// emit tells people of evs inside tx; without a notifier it does nothing.
func (s *Service) emit(ctx context.Context, tx *gorm.DB, evs ...notify.Event) error {
	if s.notify == nil {
		return nil
	}
	for _, ev := range evs {
		if err := s.notify.Emit(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// appFields are the details every application message carries.
func appFields(a Application) []notify.Field {
	return []notify.Field{notify.F("code", a.Code), notify.F("product", a.ProductName)}
}

// submittedEvent tells the officers of the application's province.
func submittedEvent(a Application) notify.Event {
	return notify.Event{Kind: notify.ApplicationSubmitted, Key: "application.submitted:" + a.Code,
		To: notify.Audience{Province: a.ProvinceCode}, Fields: appFields(a), Link: "/registry/applications/" + a.Code}
}

// statusEvents tell the producer that its application moved to a.Status
// and, when it went to the central council, the central officers.
func statusEvents(a Application) []notify.Event {
	fs := append(appFields(a), notify.F("status", string(a.Status)))
	if a.CouncilScore != nil {
		fs = append(fs, notify.F("score", strconv.FormatFloat(*a.CouncilScore, 'f', 2, 64)))
	}
	evs := []notify.Event{{Kind: notify.ApplicationChanged, Key: "application.status:" + a.Code + ":" + string(a.Status),
		To: notify.Audience{Producer: a.ProducerID}, Fields: fs, Link: "/portal/registry/" + a.Code}}
	if a.Status == StatusForwarded {
		evs = append(evs, notify.Event{Kind: notify.ApplicationForwarded, Key: "application.forwarded:" + a.Code,
			To: notify.Audience{Central: true}, Fields: fs, Link: "/registry/applications/" + a.Code})
	}
	return evs
}

// remarkEvent tells the producer of an officer's remark. Each remark is
// its own event (a page's POST is not replayed), keyed by its moment.
func remarkEvent(a Application, note string, at time.Time) notify.Event {
	return notify.Event{Kind: notify.ApplicationChanged, Key: "application.remark:" + a.Code + ":" + strconv.FormatInt(at.UnixNano(), 10),
		To: notify.Audience{Producer: a.ProducerID}, Fields: append(appFields(a), notify.F("remark", note)), Link: "/portal/registry/" + a.Code}
}
