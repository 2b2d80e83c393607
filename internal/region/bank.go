package region

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Bank is a NAPAS member bank, identified in VietQR by its six-digit BIN.
type Bank struct {
	ID        int64  `gorm:"primaryKey"`
	BIN       string `gorm:"column:bin;not null;uniqueIndex"`
	ShortName string `gorm:"not null"`
	Name      string `gorm:"not null"`
}

// Banks lists the banks by short name.
func (s *Store) Banks(ctx context.Context) ([]Bank, error) {
	var out []Bank
	err := s.db.WithContext(ctx).Order("short_name").Find(&out).Error
	return out, err
}

// Bank returns the bank with bin, or errs.ErrNotFound.
func (s *Store) Bank(ctx context.Context, bin string) (Bank, error) {
	var b Bank
	err := s.db.WithContext(ctx).Where("bin = ?", bin).Take(&b).Error
	if err == gorm.ErrRecordNotFound {
		return b, fmt.Errorf("bank %q: %w", bin, errs.ErrNotFound)
	}
	return b, err
}
