package registry

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
)

// auditTable is the registry's chained audit table.
const auditTable = "registry_audit"

// ChainID implements auditchain.Row.
func (e *AuditEntry) ChainID() int64 { return e.ID }

// ChainLink implements auditchain.Row.
func (e *AuditEntry) ChainLink() (prev, hash string) { return e.PrevHash, e.Hash }

// SetChainLink implements auditchain.Row.
func (e *AuditEntry) SetChainLink(prev, hash string) { e.PrevHash, e.Hash = prev, hash }

// ChainFields implements auditchain.Row: every column but id and the hashes,
// in a fixed order that must never change.
func (e *AuditEntry) ChainFields(c *auditchain.Canon) {
	c.Time(e.At)
	c.OptInt(e.ActorID)
	c.Str(e.ActorEmail)
	c.Str(e.Action)
	c.Str(e.Outcome)
	c.OptInt(e.ApplicationID)
	c.OptInt(e.CertificateID)
	c.Str(e.BeforeJSON)
	c.Str(e.AfterJSON)
	c.Str(e.Note)
}

// appendAudit links e to the chain and inserts it; tx is a transaction.
func appendAudit(tx *gorm.DB, e *AuditEntry) error {
	if e.At.IsZero() {
		e.At = auditchain.Now()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond) // what both databases keep
	return auditchain.Append(tx, auditTable, e)
}

// AppendAudit writes an audit entry outside the registry's own actions (the
// demo seed), through the same chain: no row of registry_audit is ever
// written another way. g carries the context; it may be a transaction.
func AppendAudit(g *gorm.DB, e *AuditEntry) error {
	return g.Transaction(func(tx *gorm.DB) error { return appendAudit(tx, e) })
}

// VerifyAudit walks the registry's audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.Verify[AuditEntry](ctx, g, auditTable)
}

// tx runs fn in a transaction that holds the audit chain from its start.
// Every registry write ends in an audit entry; taking the chain first
// means no transaction ever holds a row lock while it waits for the chain,
// so two registry writes cannot deadlock on PostgreSQL.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := auditchain.Lock(tx, auditTable); err != nil {
			return err
		}
		return fn(tx)
	})
}

// AuditCertificateExport records, in the chained audit log, that actor
// exported the certificate list: the filter as the officer asked it and how
// many rows left the registry. Every export path calls it once the rows are
// read (a list of owners' names and phones leaving the system is worth a
// line in the log).
func (s *Service) AuditCertificateExport(ctx context.Context, actor *account.User, filter map[string]string, rows int) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return audit(tx, actor, "certificate.export", "ok", nil, nil, nil, map[string]any{"filter": filter, "rows": rows}, "")
	})
}
