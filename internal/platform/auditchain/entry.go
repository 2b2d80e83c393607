package auditchain

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Entry is a row of an admin audit table of the common shape (payment_audit,
// job_audit, webhook_audit): who did what to which subject, with the
// subject before and after as JSON. A table's model embeds it and names its
// table:
//
//	type Audit struct{ auditchain.Entry }
//	func (Audit) TableName() string { return "job_audit" }
//
// The embedding model is a Row through Entry's methods, so the chain and its
// verification are written once.
type Entry struct {
	ID        int64  `gorm:"primaryKey"`
	ActorID   int64  `gorm:"not null"`
	Action    string `gorm:"not null"`
	Subject   string `gorm:"not null"`
	Before    string
	After     string
	CreatedAt time.Time
	PrevHash  string // SHA-256 of the previous row
	Hash      string // SHA-256 of this row, PrevHash included
}

// NewEntry is an entry by actorID, stamped now (to the microsecond, as the
// databases keep it).
func NewEntry(actorID int64, action, subject, before, after string) Entry {
	return Entry{ActorID: actorID, Action: action, Subject: subject, Before: before, After: after, CreatedAt: Now()}
}

// ChainID implements Row.
func (e *Entry) ChainID() int64 { return e.ID }

// ChainLink implements Row.
func (e *Entry) ChainLink() (prev, hash string) { return e.PrevHash, e.Hash }

// SetChainLink implements Row.
func (e *Entry) SetChainLink(prev, hash string) { e.PrevHash, e.Hash = prev, hash }

// ChainFields implements Row: every column but id and the hashes, in a
// fixed order that must never change (the existing chains were hashed so).
func (e *Entry) ChainFields(c *Canon) {
	c.Int(e.ActorID)
	c.Str(e.Action)
	c.Str(e.Subject)
	c.Str(e.Before)
	c.Str(e.After)
	c.Time(e.CreatedAt)
}

// VerifyEntries walks table, whose rows are Entries, as Verify does.
func VerifyEntries(ctx context.Context, g *gorm.DB, table string) (Report, error) {
	return Verify[Entry](ctx, g, table)
}
