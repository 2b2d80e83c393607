package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/producer"
)

// maxKeyLen bounds an event key; keys are made by code, never by visitors.
const maxKeyLen = 200

// Emit tells ev's audience, inside tx: one inbox row per recipient and,
// when e-mail is configured, a delivery job, which sends only if the
// recipient wants e-mail of that kind. A recipient already told of ev.Key gets nothing new, so
// Emit may run any number of times for one event. It also hands the event
// to the outgoing webhooks. An error must fail the caller's transaction:
// the change is not made without its messages.
func (s *Service) Emit(ctx context.Context, tx *gorm.DB, ev Event) error {
	if !ev.Kind.Valid() || ev.Key == "" || len(ev.Key) > maxKeyLen {
		return fmt.Errorf("notify: bad event kind %q key %q", ev.Kind, ev.Key)
	}
	ids, err := s.recipients(ctx, tx, ev.To)
	if err != nil {
		return fmt.Errorf("notify %s: recipients: %w", ev.Key, err)
	}
	fields := ev.Fields
	if fields == nil {
		fields = []Field{}
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, uid := range ids {
		n := Notification{UserID: uid, Kind: ev.Kind, EventKey: ev.Key, Data: string(data), Link: ev.Link, CreatedAt: now}
		res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&n)
		if res.Error != nil {
			return fmt.Errorf("notify %s: %w", ev.Key, res.Error)
		}
		if res.RowsAffected == 0 {
			continue // told before: a replay, or another instance
		}
		if err := s.enqueueEmail(ctx, tx, n); err != nil {
			return err
		}
	}
	if s.hooks != nil {
		payload := map[string]any{"kind": ev.Kind, "key": ev.Key, "link": s.baseURL + ev.Link, "fields": fields, "at": now}
		if err := s.hooks.EnqueueTx(ctx, tx, string(ev.Kind), ev.Key, payload); err != nil {
			return fmt.Errorf("notify %s: webhooks: %w", ev.Key, err)
		}
	}
	return nil
}

// enqueueEmail enqueues n's e-mail when mail is configured. Whether its
// recipient wants e-mail of that kind is decided when sending (Deliver),
// not here: that is the moment it must hold (a choice made in between
// counts), and the change's transaction, a checkout or a payment that other
// buyers wait on, is one statement shorter.
func (s *Service) enqueueEmail(ctx context.Context, tx *gorm.DB, n Notification) error {
	if s.mail == nil || s.jobs == nil {
		return nil
	}
	return s.jobs.EnqueueTx(ctx, tx, EmailArgs{NotificationID: n.ID},
		&river.InsertOpts{Queue: Queue, Priority: priorityOf(n.Kind), UniqueOpts: river.UniqueOpts{ByArgs: true}})
}

// priorityOf is the River priority of a kind's e-mail (1 is worked first):
// a message someone acts on now (an order, a sale, a payout) goes before
// admins' alerts, which go before digests and reminders, so a burst of
// reminders never delays a seller's "new order".
func priorityOf(k Kind) int {
	switch k {
	case SaleUnconfirmed, CertificateExpiring, ExpiryDigest:
		return 3
	case PaymentIssue, RefundDue, JobFailed:
		return 2
	}
	return 1
}

// recipients resolves an audience to user ids, sorted and without repeats.
func (s *Service) recipients(ctx context.Context, tx *gorm.DB, a Audience) ([]int64, error) {
	ids := slices.Clone(a.Users)
	add := func(more []int64, err error) error {
		ids = append(ids, more...)
		return err
	}
	var errList []error
	if a.Producer != 0 {
		errList = append(errList, add(producer.MemberIDsTx(ctx, tx, a.Producer)))
	}
	if a.Province != "" {
		errList = append(errList, add(account.StaffTx(ctx, tx, account.RoleOfficer, account.LevelProvince, a.Province)))
	}
	if a.Central {
		errList = append(errList, add(account.StaffTx(ctx, tx, account.RoleOfficer, account.LevelCentral, "")))
	}
	if a.Admins {
		errList = append(errList, add(account.StaffTx(ctx, tx, account.RoleAdmin, account.LevelNone, "")))
	}
	if err := errors.Join(errList...); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// emailOn reports whether userID wants kind by e-mail (no row: yes).
func emailOn(ctx context.Context, tx *gorm.DB, userID int64, kind Kind) (bool, error) {
	var p []Pref
	if err := tx.WithContext(ctx).Where("user_id = ? AND kind = ?", userID, kind).Limit(1).Find(&p).Error; err != nil {
		return false, err
	}
	return len(p) == 0 || p[0].Email, nil
}
