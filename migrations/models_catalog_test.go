package migrations_test

import "github.com/chocop/ocop/internal/catalog"

func init() { models = append(models, &catalog.Photo{}) }
