package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// auditTable is the chained log of what admins did to jobs.
const auditTable = "job_audit"

// Audit is a row of job_audit.
type Audit struct{ auditchain.Entry }

// TableName is job_audit.
func (Audit) TableName() string { return auditTable }

// VerifyAudit walks the jobs' audit chain (ocop audit verify).
func VerifyAudit(ctx context.Context, g *gorm.DB) (auditchain.Report, error) {
	return auditchain.VerifyEntries(ctx, g, auditTable)
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
		return auditchain.Append(tx, auditTable, &Audit{auditchain.NewEntry(adminID, "job.retry", strconv.FormatInt(id, 10), jobJSON(before), jobJSON(out))})
	})
	if err != nil {
		return Job{}, fmt.Errorf("jobs: retry %d: %w", id, err)
	}
	return out, nil
}
