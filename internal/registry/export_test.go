package registry

import (
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/region"
)

// SetRegionsForTest makes s read places through r, inside transactions
// too, so that a test can make those reads fail while the registry's own
// still succeed.
func (s *Service) SetRegionsForTest(r *region.Store) {
	s.regions = r
	s.places = func(*gorm.DB) *region.Store { return r }
}
