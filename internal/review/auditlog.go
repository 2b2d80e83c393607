package review

import (
	"context"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
)

// auditTable is the reviews' chained audit table.
const auditTable = "review_audit"

// ChainID implements auditchain.Row.
func (a *Audit) ChainID() int64 { return a.ID }

// ChainLink implements auditchain.Row.
func (a *Audit) ChainLink() (prev, hash string) { return a.PrevHash, a.Hash }

// SetChainLink implements auditchain.Row.
func (a *Audit) SetChainLink(prev, hash string) { a.PrevHash, a.Hash = prev, hash }

// ChainFields implements auditchain.Row: every column but id and the
// hashes, in a fixed order that must never change.
func (a *Audit) ChainFields(c *auditchain.Canon) {
	c.Int(a.ActorID)
	c.Str(a.Action)
	c.Str(a.Subject)
	c.Str(a.Reason)
	c.Str(a.Before)
	c.Str(a.After)
	c.Time(a.CreatedAt)
}

// VerifyAudit walks the reviews' audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.Verify[Audit](ctx, g, auditTable)
}

// AuditOf lists the audit rows of a review, oldest first.
func (s *Service) AuditOf(ctx context.Context, code string) ([]Audit, error) {
	var out []Audit
	err := s.db.WithContext(ctx).Where("subject = ?", code).Order("id").Find(&out).Error
	return out, err
}
