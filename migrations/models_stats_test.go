package migrations_test

import "github.com/chocop/ocop/internal/stats"

func init() {
	models = append(models, &stats.Snapshot{})
}
