package registry

import (
	"context"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// Jobs enqueues background jobs in the caller's transaction (the job
// engine, internal/platform/jobs.Engine, implements it).
type Jobs interface {
	EnqueueTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
}

// SetJobs sets the engine bulk imports are run by. Without one (a tool, a
// test of the service alone) StartBulkImport runs the import itself.
func (s *Service) SetJobs(j Jobs) { s.jobs = j }

// BulkImportArgs is the job that imports the valid rows of a started batch.
type BulkImportArgs struct {
	BulkID int64 `json:"bulk_id"`
}

// Kind names the job in the queue.
func (BulkImportArgs) Kind() string { return "registry.bulk_import" }

// InsertOpts makes the job unique per batch: a batch is imported by one job.
func (BulkImportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// BulkImportWorker runs BulkImportArgs jobs: RunBulkImport, which resumes
// where a failed attempt stopped and never imports a row twice.
type BulkImportWorker struct {
	river.WorkerDefaults[BulkImportArgs]
	svc *Service
}

// NewBulkImportWorker returns the worker of bulk imports on s.
func NewBulkImportWorker(s *Service) *BulkImportWorker { return &BulkImportWorker{svc: s} }

// Work imports the batch.
func (w *BulkImportWorker) Work(ctx context.Context, job *river.Job[BulkImportArgs]) error {
	return w.svc.RunBulkImport(ctx, job.Args.BulkID)
}
