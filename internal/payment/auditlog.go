package payment

import (
	"context"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
)

// auditTable is the payments' chained audit table.
const auditTable = "payment_audit"

// VerifyAudit walks the payments' audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.VerifyEntries(ctx, g, auditTable)
}
