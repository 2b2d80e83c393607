package db

import (
	"context"
	"database/sql"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// River's tables (the job engine, internal/platform/jobs) are created by
// migration 60 of our own sequence, so `ocop migrate`, every test database
// and every template get them with the rest of the schema, and migrating down
// removes them. The migration is Go, not SQL: it runs River's own migrations
// (rivermigrate) inside goose's transaction, pinned to riverVersion so that it
// never changes once shipped. A River upgrade that adds a schema version gets
// a new migration number of ours that raises the target.
const (
	riverMigration int64 = 60
	riverVersion         = 8 // River v0.51's newest schema version, on both drivers
)

// riverMigrations returns the Go migrations for dialect d. They run outside
// goose's transaction because River's PostgreSQL migrations cannot share one
// (version 6 adds an enum value that a later statement uses, which PostgreSQL
// refuses within the transaction that added it); River runs each of its
// versions in a transaction of its own and records it, so a migration cut
// short resumes where it stopped.
func riverMigrations(d Dialect) []*goose.Migration {
	run := func(direction rivermigrate.Direction, target int) func(ctx context.Context, db *sql.DB) error {
		return func(ctx context.Context, db *sql.DB) error {
			m, err := riverMigrator(d, db)
			if err != nil {
				return err
			}
			_, err = m.Migrate(ctx, direction, &rivermigrate.MigrateOpts{TargetVersion: target})
			return err
		}
	}
	return []*goose.Migration{goose.NewGoMigration(riverMigration,
		&goose.GoFunc{RunDB: run(rivermigrate.DirectionUp, riverVersion)},
		// -1 is rivermigrate's "all the way down".
		&goose.GoFunc{RunDB: run(rivermigrate.DirectionDown, -1)},
	)}
}

// riverMigrator returns River's migrator for d on the pool db.
func riverMigrator(d Dialect, db *sql.DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	var drv riverdriver.Driver[*sql.Tx] = riversqlite.New(db)
	if d == Postgres {
		drv = riverdatabasesql.New(db)
	}
	// River's migrator logs each step at info; goose already says what it runs.
	return rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
}
