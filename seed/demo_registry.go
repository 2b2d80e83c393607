package seed

import (
	"context"

	"gorm.io/gorm"
)

// demoRegistry writes the registry demo data. It runs inside Demo, after the demo
// producers and accounts exist.
func demoRegistry(ctx context.Context, g *gorm.DB) error { return nil }
