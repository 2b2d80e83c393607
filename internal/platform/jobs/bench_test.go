package jobs_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/jobs"
)

// BenchmarkEnqueueTx measures what EnqueueTx adds to a transaction: a
// transaction with one small write (a session row stands for the change)
// alone, then with a unique job enqueued in it, on each dialect.
//
//	OCOP_TEST_POSTGRES_URL=... go test ./internal/platform/jobs -run '^$' -bench EnqueueTx -benchtime 2000x
func BenchmarkEnqueueTx(b *testing.B) {
	for _, dialect := range []string{dbtest.DialectSQLite, dbtest.DialectPostgres} {
		b.Run(dialect, func(b *testing.B) {
			var g *gorm.DB
			if dialect == dbtest.DialectSQLite {
				g = dbtest.SQLite(b)
			} else {
				g = dbtest.Postgres(b)
			}
			e, err := jobs.New(g, jobs.Options{})
			if err != nil {
				b.Fatal(err)
			}
			river.AddWorker(e.Workers(), &noteWorker{})
			ctx := context.Background()
			ddl := "CREATE TABLE bench_change (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)"
			if dialect == dbtest.DialectPostgres {
				ddl = "CREATE TABLE bench_change (id BIGSERIAL PRIMARY KEY, v TEXT)"
			}
			if err := g.Exec(ddl).Error; err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, withJob := range []bool{false, true} {
				name := "change_only"
				if withJob {
					name = "change_and_job"
				}
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						if err := db.Tx(ctx, g, func(tx *gorm.DB) error {
							n++
							if err := tx.Exec("INSERT INTO bench_change (v) VALUES (?)", strconv.Itoa(n)).Error; err != nil {
								return err
							}
							if !withJob {
								return nil
							}
							return e.EnqueueTx(ctx, tx, noteArgs{Key: strconv.Itoa(n)}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
						}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
