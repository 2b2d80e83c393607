package payment

import (
	"context"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
)

// auditTable is the payments' chained audit table.
const auditTable = "payment_audit"

// ChainID implements auditchain.Row.
func (a *Audit) ChainID() int64 { return a.ID }

// ChainLink implements auditchain.Row.
func (a *Audit) ChainLink() (prev, hash string) { return a.PrevHash, a.Hash }

// SetChainLink implements auditchain.Row.
func (a *Audit) SetChainLink(prev, hash string) { a.PrevHash, a.Hash = prev, hash }

// ChainFields implements auditchain.Row: every column but id and the hashes,
// in a fixed order that must never change.
func (a *Audit) ChainFields(c *auditchain.Canon) {
	c.Int(a.ActorID)
	c.Str(a.Action)
	c.Str(a.Subject)
	c.Str(a.Before)
	c.Str(a.After)
	c.Time(a.CreatedAt)
}

// VerifyAudit walks the payments' audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.Verify[Audit](ctx, g, auditTable)
}
