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

// audit appends what adminID did to an endpoint in tx: before (nil for a
// new endpoint) and after as JSON. The secret is never written (Endpoint's
// JSON leaves it out).
func audit(tx *gorm.DB, adminID int64, action string, before *Endpoint, after Endpoint) error {
	var was []byte
	if before != nil {
		var err error
		if was, err = json.Marshal(before); err != nil {
			return err
		}
	}
	is, err := json.Marshal(after)
	if err != nil {
		return err
	}
	return auditchain.Append(tx, auditTable, &Audit{auditchain.NewEntry(adminID, action, strconv.FormatInt(after.ID, 10), string(was), string(is))})
}
