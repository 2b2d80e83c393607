package stats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/platform/day"
)

// Snapshot is one filter's stored figures: what Public answered the last
// time it counted, with what the answer depended on. Counting the national
// figures reads every certificate (tens of milliseconds of two databases'
// CPU); reading a snapshot is one lookup by primary key.
type Snapshot struct {
	FilterKey  string    `gorm:"primaryKey"` // Filter.key()
	Day        string    // the day counted for, YYYY-MM-DD
	Watermark  int64     // registry.BadgeStore.ChangeMark when counting began
	Figures    string    // the Figures as JSON
	ComputedAt time.Time // when counting began
}

// TableName is the table stats owns.
func (Snapshot) TableName() string { return "stats_snapshots" }

// key names a filter in stats_snapshots.
func (f Filter) key() string {
	if f.Commune != "" {
		return f.Province + "/" + f.Commune
	}
	return f.Province
}

// snapshots keeps computed figures in the database, shared by every
// instance.
type snapshots struct {
	db     *gorm.DB
	maxAge time.Duration
	group  singleflight.Group // one count per filter at a time in an instance
}

// Snapshots makes Public keep what it counts in stats_snapshots on g and
// answer from there while it is still true: for the same day, with no
// certificate change committed since (the registry's ChangeMark), and
// younger than maxAge. The first two keep the certificate figures exact;
// maxAge bounds how old the marketplace's figures (listings, orders,
// sales) and the owners' kinds may be, which move with every sale and are
// read by the month. maxAge 0 turns snapshots off: every request counts.
func (s *Service) Snapshots(g *gorm.DB, maxAge time.Duration) *Service {
	s.snap = nil
	if maxAge > 0 {
		s.snap = &snapshots{db: g, maxAge: maxAge}
	}
	return s
}

// Public answers every figure for f on today: from the stored snapshot
// while it holds, else counted from the rows and stored for the next
// request (see Snapshots).
func (s *Service) Public(ctx context.Context, f Filter) (Figures, error) {
	d := s.today()
	if s.snap == nil {
		return s.compute(ctx, f, d)
	}
	mark, err := s.badges.ChangeMark(ctx)
	if err != nil {
		return Figures{}, fmt.Errorf("stats: change mark: %w", err)
	}
	if figs, ok := s.fresh(ctx, f, d, mark); ok {
		return figs, nil
	}
	// Concurrent requests for one filter wait for one count. The count is
	// the first caller's; a caller that gives up does not cancel it for
	// the others.
	v, err, _ := s.snap.group.Do(f.key(), func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		figs, err := s.compute(ctx, f, d)
		if err != nil {
			return Figures{}, err
		}
		if err := s.store(ctx, f, d, mark, figs); err != nil {
			// The figures are right; only the next request pays for
			// counting again. Said, not hidden.
			slog.WarnContext(ctx, "stats: snapshot not stored", "filter", f.key(), "err", err)
		}
		return figs, nil
	})
	if err != nil {
		return Figures{}, err
	}
	return v.(Figures), nil
}

// fresh returns f's stored figures if they were counted for d, at mark,
// within maxAge. A row that does not read back as figures is as good as
// absent: it is counted again and overwritten.
func (s *Service) fresh(ctx context.Context, f Filter, d day.Date, mark int64) (Figures, bool) {
	var row Snapshot
	err := s.snap.db.WithContext(ctx).Where("filter_key = ?", f.key()).Take(&row).Error
	if err != nil {
		// A reader who went away is no fault of the snapshot.
		if !errors.Is(err, gorm.ErrRecordNotFound) && ctx.Err() == nil {
			slog.WarnContext(ctx, "stats: snapshot not read", "filter", f.key(), "err", err)
		}
		return Figures{}, false
	}
	if row.Day != d.String() || row.Watermark != mark || s.now().Sub(row.ComputedAt) >= s.snap.maxAge {
		return Figures{}, false
	}
	var figs Figures
	if err := json.Unmarshal([]byte(row.Figures), &figs); err != nil || figs.Filter != f || !figs.Day.Equal(d) {
		slog.WarnContext(ctx, "stats: snapshot unreadable, counting again", "filter", f.key(), "err", err)
		return Figures{}, false
	}
	return figs, true
}

// store writes f's figures over whatever the row held.
func (s *Service) store(ctx context.Context, f Filter, d day.Date, mark int64, figs Figures) error {
	body, err := json.Marshal(figs)
	if err != nil {
		return err
	}
	row := Snapshot{FilterKey: f.key(), Day: d.String(), Watermark: mark, Figures: string(body), ComputedAt: figs.ComputedAt}
	return s.snap.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "filter_key"}},
		DoUpdates: clause.AssignmentColumns([]string{"day", "watermark", "figures", "computed_at"}),
	}).Create(&row).Error
}
