package jobs_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
)

// noteArgs is a job that records its key in a table of the test.
type noteArgs struct {
	Key  string `json:"key"`
	Fail bool   `json:"fail"`
}

func (noteArgs) Kind() string { return "test.note" }

type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	runs sync.Map // key → *atomic.Int32
}

func (w *noteWorker) Work(ctx context.Context, j *river.Job[noteArgs]) error {
	n, _ := w.runs.LoadOrStore(j.Args.Key, new(atomic.Int32))
	n.(*atomic.Int32).Add(1)
	if j.Args.Fail {
		return errors.New("the provider said no")
	}
	return nil
}

func (w *noteWorker) count(key string) int {
	n, ok := w.runs.Load(key)
	if !ok {
		return 0
	}
	return int(n.(*atomic.Int32).Load())
}

func newEngine(t *testing.T, g *gorm.DB) (*jobs.Engine, *noteWorker) {
	t.Helper()
	e := jobstest.New(t, g, jobs.Options{MaxAttempts: 3})
	w := &noteWorker{}
	river.AddWorker(e.Workers(), w)
	return e, w
}

func TestEnqueueTxCommitsWithTheChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		e, w := newEngine(t, g)
		if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
			return e.EnqueueTx(ctx, tx, noteArgs{Key: "committed"}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("the change failed")
		if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
			if err := e.EnqueueTx(ctx, tx, noteArgs{Key: "rolled-back"}, nil); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("tx error = %v", err)
		}
		if err := e.EnqueueTx(ctx, g, noteArgs{Key: "no-tx"}, nil); !errors.Is(err, jobs.ErrNotInTransaction) {
			t.Fatalf("EnqueueTx outside a transaction = %v, want ErrNotInTransaction", err)
		}
		jobstest.Drain(t, e)
		if got := w.count("committed"); got != 1 {
			t.Errorf("committed job ran %d times, want 1", got)
		}
		if got := w.count("rolled-back"); got != 0 {
			t.Errorf("job of a rolled-back transaction ran %d times", got)
		}
		c, err := e.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c[jobs.FilterAll] != 1 || c[jobs.FilterCompleted] != 1 {
			t.Errorf("counts = %v, want one completed job and nothing else", c)
		}
	})
}

func TestUniqueJobRunsOnceWhenReplayed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		e, w := newEngine(t, g)
		opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
		var wg sync.WaitGroup
		errc := make(chan error, 20)
		for range 20 { // a webhook replayed 20 times at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				errc <- db.Tx(ctx, g, func(tx *gorm.DB) error { return e.EnqueueTx(ctx, tx, noteArgs{Key: "paid"}, opts) })
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		jobstest.Drain(t, e)
		// Once done, the same event again is still a duplicate.
		if err := e.Enqueue(ctx, noteArgs{Key: "paid"}, opts); err != nil {
			t.Fatal(err)
		}
		jobstest.Drain(t, e)
		if got := w.count("paid"); got != 1 {
			t.Errorf("unique job ran %d times, want 1", got)
		}
	})
}

func TestFailingJobRetriesThenIsDiscardedAndReported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		e, w := newEngine(t, g)
		var discarded []int64
		var mu sync.Mutex
		e.OnDiscard(func(_ context.Context, j *rivertype.JobRow) {
			mu.Lock()
			defer mu.Unlock()
			discarded = append(discarded, j.ID)
		})
		if err := e.Enqueue(ctx, noteArgs{Key: "refund", Fail: true}, nil); err != nil {
			t.Fatal(err)
		}
		jobstest.Drain(t, e)
		if got := w.count("refund"); got != 3 {
			t.Errorf("failing job ran %d times, want 3 (MaxAttempts)", got)
		}
		page, err := e.List(ctx, jobs.FilterFailed, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Jobs) != 1 {
			t.Fatalf("failed jobs = %+v, want one", page.Jobs)
		}
		j := page.Jobs[0]
		if j.Attempt != 3 || len(j.Errors) != 3 || j.LastError() != "the provider said no" || !j.Retryable() {
			t.Errorf("failed job = %+v: want 3 attempts, each error kept", j)
		}
		mu.Lock()
		if len(discarded) != 1 || discarded[0] != j.ID {
			t.Errorf("OnDiscard saw %v, want once job %d", discarded, j.ID)
		}
		mu.Unlock()
	})
}
