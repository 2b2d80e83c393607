package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Two instances starting on one fresh database at once (two `ocop serve`
// after a deploy, a serve beside `ocop seed`) must not both migrate or both
// seed: goose would create a table twice ("table provinces already exists")
// and the demo seed, which counts users and then writes, would write its
// producers twice. Exclusive serialises such work across processes.

// startLockKey is the PostgreSQL advisory lock key of Exclusive ("OCOP" and
// 1). Advisory locks are per database, so databases on one server do not
// block each other. goose's own migration lock uses another key.
const startLockKey int64 = 0x4f434f50_00000001

// lockPoll is how often a waiting SQLite instance retries the lock file.
const lockPoll = 20 * time.Millisecond

// Exclusive runs fn while holding the database's start-up lock, so that
// processes sharing the database run their fn one after the other; fn must
// itself check whether its work is done already (the second process to get
// the lock finds the schema migrated and the data seeded). On PostgreSQL the
// lock is a session advisory lock on a connection of g's pool (the pool needs
// room for at least one more); on SQLite it is flock(2) on a file beside the
// database file ("<file>.lock"); an in-memory SQLite database is private to
// its process and needs none. Waiting for the lock ends with ctx.
func Exclusive(ctx context.Context, g *gorm.DB, fn func() error) (err error) {
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	if DialectOf(g) == Postgres {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("db: start-up lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", startLockKey); err != nil {
			return fmt.Errorf("db: start-up lock: %w", err)
		}
		defer func() {
			// Unlock even when ctx is done; closing the session would release
			// the lock too, but the connection goes back to the pool.
			if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", startLockKey); uerr != nil {
				err = errors.Join(err, fmt.Errorf("db: start-up unlock: %w", uerr))
			}
		}()
		return fn()
	}
	var path string
	if err := sqlDB.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
		return fmt.Errorf("db: start-up lock: database file: %w", err)
	}
	if path == "" { // in memory, or a temporary database: no other process sees it
		return fn()
	}
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		return fmt.Errorf("db: start-up lock %s.lock: %w", path, err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil {
			err = errors.Join(err, fmt.Errorf("db: start-up unlock %s.lock: %w", path, uerr))
		}
	}()
	return fn()
}
