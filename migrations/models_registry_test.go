package migrations_test

import "github.com/chocop/ocop/internal/registry"

func init() {
	models = append(models, &registry.Application{}, &registry.Document{}, &registry.ScoreSheet{},
		&registry.Decision{}, &registry.Expiry{}, &registry.AuditEntry{},
		&registry.Authority{}, &registry.ImportRecord{}, &registry.RevocationProposal{}, &registry.BulkImport{}, &registry.BulkRow{})
}
