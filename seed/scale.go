package seed

import (
	"context"
	"errors"
	"io"

	"gorm.io/gorm"
)

// Scale generates a national-scale demo catalogue of n products (with
// producers across all 34 provinces) for load tests. Owned by the catalog area.
func Scale(ctx context.Context, g *gorm.DB, n int, out io.Writer) error {
	return errors.New("seed --scale is not built yet")
}
