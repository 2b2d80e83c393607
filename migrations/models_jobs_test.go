package migrations_test

import (
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/webhook"
)

func init() { models = append(models, &jobs.Audit{}, &webhook.Endpoint{}, &webhook.Audit{}) }
