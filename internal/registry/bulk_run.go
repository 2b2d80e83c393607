package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry/importfile"
)

// StartBulkImport queues the import of a checked batch's valid rows. Only
// the first start counts (a compare-and-set on the status): a second click,
// or the same batch started by two officers, is a conflict and imports
// nothing twice.
func (s *Service) StartBulkImport(ctx context.Context, actor *account.User, code string) (BulkImport, error) {
	b, err := s.bulkForActor(ctx, actor, code)
	if err != nil {
		return b, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&BulkImport{}).Where("id = ? AND status = ?", b.ID, BulkChecked).Update("status", BulkQueued)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return reasoned(errs.ErrConflict, "registry.bulk.err.started")
		}
		if s.jobs != nil { // the job exists exactly when the batch is queued
			if err := s.jobs.EnqueueTx(ctx, tx, BulkImportArgs{BulkID: b.ID}, nil); err != nil {
				return err
			}
		}
		b.Status = BulkQueued
		return audit(tx, actor, "certificate.bulk_start", "ok", nil, nil, nil, nil, fmt.Sprintf("%s: %d valid rows", b.Code, b.ValidRows))
	})
	if err != nil {
		return b, err
	}
	if s.jobs == nil {
		if err := s.RunBulkImport(ctx, b.ID); err != nil {
			return b, err
		}
		return s.bulkForActor(ctx, actor, code)
	}
	return b, nil
}

// RunBulkImport is the job: it imports the batch's rows still marked valid,
// in file order, each through importHistoric (every rule of the single
// import, audited the same way), marking the row created in the
// certificate's own transaction. A retried job resumes where it stopped and
// never imports a row twice.
func (s *Service) RunBulkImport(ctx context.Context, bulkID int64) error {
	var b BulkImport
	g := s.db.WithContext(ctx)
	if err := g.First(&b, bulkID).Error; err != nil {
		return fmt.Errorf("bulk import %d: %w", bulkID, err)
	}
	if b.Status == BulkDone || b.Status == BulkChecked {
		return nil // nothing to do (a job run twice), or never started
	}
	actor, err := s.accounts.UserByID(ctx, b.CreatedBy)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := g.Model(&BulkImport{}).Where("id = ? AND status = ?", b.ID, BulkQueued).
		Updates(map[string]any{"status": BulkRunning, "started_at": now}).Error; err != nil {
		return err
	}
	var rows []BulkRow
	if err := g.Where("bulk_id = ? AND outcome = ?", b.ID, RowValid).Order("line").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if err := ctx.Err(); err != nil {
			return err // the job is retried and resumes here
		}
		if err := s.importRow(ctx, &actor, b, r); err != nil {
			return err
		}
	}
	return g.Model(&BulkImport{}).Where("id = ? AND status = ?", b.ID, BulkRunning).
		Updates(map[string]any{"status": BulkDone, "finished_at": time.Now().UTC()}).Error
}

// importRow imports one valid row; a refusal (the data changed since the
// dry run) marks the row failed with its reasons, and the batch goes on.
func (s *Service) importRow(ctx context.Context, actor *account.User, b BulkImport, r BulkRow) error {
	in, conv := importOfCells(r.Input().Cells, importFormat(b.Format))
	var err error
	if len(conv) == 0 {
		_, err = s.importHistoric(ctx, actor, in, func(tx *gorm.DB, c Certificate) error {
			return markRow(tx, b.ID, r.ID, map[string]any{"outcome": RowCreated, "certificate_id": c.ID}, true)
		})
	}
	if err == nil && len(conv) == 0 {
		return nil
	}
	if err != nil && !isRefusal(err) && !errors.Is(err, errs.ErrForbidden) {
		return err
	}
	if err != nil {
		conv = rowErrors(err)
	}
	msg, _ := json.Marshal(conv) // plain strings: cannot fail
	return markRow(s.db.WithContext(ctx), b.ID, r.ID, map[string]any{"outcome": RowFailed, "errors_json": string(msg)}, false)
}

// markRow settles a row that is still valid and counts it on its batch.
func markRow(tx *gorm.DB, bulkID, rowID int64, set map[string]any, created bool) error {
	res := tx.Model(&BulkRow{}).Where("id = ? AND outcome = ?", rowID, RowValid).Updates(set)
	if res.Error != nil || res.RowsAffected != 1 {
		if res.Error == nil {
			res.Error = reasoned(errs.ErrConflict, "registry.bulk.err.started")
		}
		return res.Error
	}
	inc := map[string]any{"done_rows": gorm.Expr("done_rows + 1")}
	if created {
		inc["created_rows"] = gorm.Expr("created_rows + 1")
	}
	return tx.Model(&BulkImport{}).Where("id = ?", bulkID).Updates(inc).Error
}

// ConfirmOutcome is the result of confirming one import of a batch.
type ConfirmOutcome struct {
	Code string
	Err  error
}

// MaxBatchConfirm is how many imports one batch confirmation may name.
const MaxBatchConfirm = 500

// ConfirmImports confirms many pending imports against one scanned
// decision (a decision lists many products): each goes through
// ConfirmImport, with every rule and audit entry of a single confirmation,
// and one's refusal does not stop the others.
func (s *Service) ConfirmImports(ctx context.Context, actor *account.User, codes []string, scan Scan) ([]ConfirmOutcome, error) {
	if actor == nil || actor.Role != account.RoleOfficer {
		return nil, errs.ErrForbidden
	}
	if len(codes) == 0 || len(codes) > MaxBatchConfirm {
		return nil, errs.Invalid("codes", "registry.bulk.err.codes")
	}
	var data []byte
	if scan.Body != nil {
		var err error
		// At most one byte past the limit: ConfirmImport refuses the oversize.
		if data, err = io.ReadAll(io.LimitReader(scan.Body, MaxDocumentSize+1)); err != nil {
			return nil, err
		}
	}
	out := make([]ConfirmOutcome, 0, len(codes))
	seen := map[string]bool{}
	for _, code := range codes {
		if seen[code] {
			continue
		}
		seen[code] = true
		one := scan
		if scan.Body != nil {
			one.Body = bytes.NewReader(data)
		}
		_, err := s.ConfirmImport(ctx, actor, code, one)
		if err != nil && !isRefusal(err) && !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) && !errors.Is(err, errs.ErrConflict) {
			return out, err
		}
		out = append(out, ConfirmOutcome{Code: code, Err: err})
	}
	return out, nil
}

func importFormat(f string) importfile.Format { return importfile.Format(f) }
