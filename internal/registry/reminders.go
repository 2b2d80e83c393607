package registry

import (
	"context"
	"strconv"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/db"
)

// Reminder stages: a certificate's producer is told 180, 90 and 30 days
// before it lapses and on the day it lapses, each once.
var reminderStages = []struct {
	stage   string
	maxLeft int // days left at most (valid_until − today)
}{{"0", -1}, {"30", 30}, {"90", 90}, {"180", 180}}

// lapseGrace is how many days after lapsing the "lapsed" reminder is still
// sent, so a sweep that did not run that day (an outage) still tells.
const lapseGrace = 7

// stageOf is the reminder due for a certificate with left days left (-1:
// it lapsed today), or "" for none.
func stageOf(left int) string {
	if left < -lapseGrace {
		return ""
	}
	for _, st := range reminderStages {
		if left <= st.maxLeft {
			return st.stage
		}
	}
	return ""
}

// RemindExpiring tells producers of their certificates that reach a
// reminder stage, each stage once (the event key names the certificate and
// the stage), and reports how many were told. A renewed (superseded) or
// revoked certificate is not reminded. Safe to run any number of times.
func (s *Service) RemindExpiring(ctx context.Context) (int, error) {
	today := s.today()
	var certs []Certificate
	if err := s.db.WithContext(ctx).Where("import_pending = ? AND revoked_on IS NULL AND superseded_on IS NULL AND valid_from <= ? AND valid_until >= ? AND valid_until <= ?",
		false, today, today.AddDays(-lapseGrace-1), today.AddDays(180)).Order("id").Limit(10000).Find(&certs).Error; err != nil {
		return 0, err
	}
	n := 0
	for start := 0; start < len(certs); start += 100 {
		batch := certs[start:min(start+100, len(certs))]
		err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
			for _, c := range batch {
				left := today.DaysUntil(c.ValidUntil)
				st := stageOf(left)
				if st == "" {
					continue
				}
				ev := notify.Event{Kind: notify.CertificateExpiring, Key: "certificate.expiring:" + c.Code + ":" + st,
					To: notify.Audience{Producer: c.ProducerID}, Link: "/verify/" + c.Code,
					Fields: []notify.Field{notify.F("code", c.Code), notify.F("product", c.ProductName),
						notify.F("expires", c.ValidUntil.VN()), notify.F("days", strconv.Itoa(max(left, 0)))}}
				if err := s.emit(ctx, tx, ev); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// DigestExpiring tells each province's officers, once a week (the key
// names the ISO week), how many of the province's certificates lapse in the
// next 90 days.
func (s *Service) DigestExpiring(ctx context.Context) (int, error) {
	today := s.today()
	var rows []struct {
		ProvinceCode string
		N            int
	}
	if err := s.db.WithContext(ctx).Model(&Certificate{}).Select("province_code, COUNT(*) AS n").
		Where("import_pending = ? AND revoked_on IS NULL AND superseded_on IS NULL AND valid_from <= ? AND valid_until >= ? AND valid_until <= ?",
			false, today, today, today.AddDays(90)).Group("province_code").Order("province_code").Scan(&rows).Error; err != nil {
		return 0, err
	}
	y, w := today.Time().ISOWeek()
	week := strconv.Itoa(y) + "-W" + strconv.Itoa(w)
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		for _, r := range rows {
			ev := notify.Event{Kind: notify.ExpiryDigest, Key: "certificate.digest:" + r.ProvinceCode + ":" + week,
				To: notify.Audience{Province: r.ProvinceCode}, Link: "/registry/certificates",
				Fields: []notify.Field{notify.F("count", strconv.Itoa(r.N)), notify.F("province", r.ProvinceCode)}}
			if err := s.emit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	return len(rows), err
}
