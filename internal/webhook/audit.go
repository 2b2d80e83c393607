package webhook

import (
	"context"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
)

// auditTable is the chained log of what admins did to endpoints: an
// endpoint receives order and certificate events, so who pointed them at
// which URL, and who stopped it, is kept as the payments' and jobs' admin
// actions are.
const auditTable = "webhook_audit"

// Audit is a row of webhook_audit.
type Audit struct{ auditchain.Entry }

// TableName is webhook_audit.
func (Audit) TableName() string { return auditTable }

// VerifyAudit walks the webhooks' audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.VerifyEntries(ctx, g, auditTable)
}

// audit appends what adminID did to e in tx; before is "" for a new
// endpoint. The secret is never written (Endpoint's JSON leaves it out).
func audit(tx *gorm.DB, adminID int64, action string, before string, e Endpoint) error {
	after, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return auditchain.Append(tx, auditTable, &Audit{auditchain.NewEntry(adminID, action, strconv.FormatInt(e.ID, 10), before, string(after))})
}
