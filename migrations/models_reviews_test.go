package migrations_test

import "github.com/chocop/ocop/internal/review"

func init() {
	models = append(models, &review.Review{}, &review.Photo{}, &review.Stats{}, &review.Audit{})
}
