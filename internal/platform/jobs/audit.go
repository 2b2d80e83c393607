package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// auditTable is the chained log of what admins did to jobs.
const auditTable = "job_audit"

// Audit is a row of job_audit.
type Audit struct {
	ID        int64  `gorm:"primaryKey"`
	ActorID   int64  `gorm:"not null"`
	Action    string `gorm:"not null"`
	Subject   string `gorm:"not null"`
	Before    string
	After     string
	CreatedAt time.Time
	PrevHash  string // SHA-256 of the previous row (auditchain)
	Hash      string // SHA-256 of this row, PrevHash included
}

// TableName is job_audit.
func (Audit) TableName() string { return auditTable }

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

// VerifyAudit walks the jobs' audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.Verify[Audit](ctx, g, auditTable)
}

// ErrNotRetryable is returned by Retry for a job that is queued, running or
// completed: there is nothing to retry.
var ErrNotRetryable = fmt.Errorf("job is not failed, cancelled or waiting for a retry: %w", errs.ErrConflict)

// Retry makes a failed, cancelled or retrying job available now, with its
// attempts so far kept (River gives it one more), and records who did it in
// job_audit in the same transaction. A job that is not there is
// errs.ErrNotFound; one that is queued, running or completed is
// ErrNotRetryable (a conflict), and nothing is written.
func (e *Engine) Retry(ctx context.Context, adminID, id int64) (Job, error) {
	var out Job
	err := db.Tx(ctx, e.db, func(tx *gorm.DB) error {
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return ErrNotInTransaction
		}
		row, err := e.client.JobGetTx(ctx, sqlTx, id)
		if errors.Is(err, rivertype.ErrNotFound) {
			return fmt.Errorf("job %d: %w", id, errs.ErrNotFound)
		}
		if err != nil {
			return err
		}
		before := jobOf(row)
		if !before.Retryable() {
			return ErrNotRetryable
		}
		if row, err = e.client.JobRetryTx(ctx, sqlTx, id); err != nil {
			return err
		}
		out = jobOf(row)
		// River leaves a job that started running meanwhile as it is.
		if row.State != rivertype.JobStateAvailable {
			return ErrNotRetryable
		}
		return auditchain.Append(tx, auditTable, &Audit{ActorID: adminID, Action: "job.retry",
			Subject: strconv.FormatInt(id, 10), Before: jobJSON(before), After: jobJSON(out), CreatedAt: auditchain.Now()})
	})
	if err != nil {
		return Job{}, fmt.Errorf("jobs: retry %d: %w", id, err)
	}
	return out, nil
}
