package seed

import (
	"context"

	"gorm.io/gorm"
)

// demoOrders writes the orders demo data. It runs inside Demo, after the demo
// producers and accounts exist.
func demoOrders(ctx context.Context, g *gorm.DB) error { return nil }
