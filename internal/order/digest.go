package order

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
)

// digestCodes is how many order codes a digest names; the count says the rest.
const digestCodes = 10

// DigestUnconfirmed tells each producer, once a day (the key names the
// Vietnamese calendar day), of its paid orders still not confirmed, and
// reports how many producers were told. Safe to run any number of times.
func (s *Service) DigestUnconfirmed(ctx context.Context, now time.Time) (int, error) {
	var rows []struct {
		ProducerID int64
		Code       string
	}
	// Paid at least an hour ago: the "new paid order" message went at once.
	if err := s.db.WithContext(ctx).Model(&Order{}).Select("producer_id, code").
		Where("status = ? AND updated_at <= ?", StatusPaid, now.Add(-time.Hour).UTC()).
		Order("producer_id, id").Limit(20000).Scan(&rows).Error; err != nil {
		return 0, err
	}
	byProducer := map[int64][]string{}
	var order []int64
	for _, r := range rows {
		if _, ok := byProducer[r.ProducerID]; !ok {
			order = append(order, r.ProducerID)
		}
		byProducer[r.ProducerID] = append(byProducer[r.ProducerID], r.Code)
	}
	today := day.Of(now).String()
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		for _, pid := range order {
			codes := byProducer[pid]
			shown := codes[:min(len(codes), digestCodes)]
			ev := notify.Event{Kind: notify.SaleUnconfirmed, Key: "sale.unconfirmed:" + strconv.FormatInt(pid, 10) + ":" + today,
				To: notify.Audience{Producer: pid}, Link: "/portal/orders",
				Fields: []notify.Field{notify.F("count", strconv.Itoa(len(codes))), notify.F("orders", strings.Join(shown, ", "))}}
			if err := s.emit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	return len(order), err
}
