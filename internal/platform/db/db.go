// Package db opens the database (embedded SQLite or PostgreSQL), migrates it
// with goose, and runs transactions. Everything above it speaks GORM; only
// this package knows how a URL becomes a connection.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/chocop/ocop/migrations"
)

// Dialect names the SQL dialect behind a *gorm.DB.
type Dialect string

// The two supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DialectOf tells which dialect g talks to, for the few queries that differ.
func DialectOf(g *gorm.DB) Dialect {
	if g.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}

// DefaultMaxConns is the PostgreSQL pool size when MaxConns is not given
// (OCOP_DB_MAX_CONNS's default): several instances fit in a server's usual
// 100 connections.
const DefaultMaxConns = 20

// sqliteMaxConns is the SQLite pool size. One writer at a time is SQLite's
// nature; a small pool keeps readers concurrent under WAL while immediate
// transactions make writers queue on busy_timeout.
const sqliteMaxConns = 4

// Option adjusts how Open sets up the pool.
type Option func(*options)

type options struct{ maxConns int }

// MaxConns bounds the PostgreSQL pool to n connections (at least 2: the
// start-up lock holds one while migrations use another); half of them, at
// least one, stay open when idle. SQLite keeps its own small pool.
func MaxConns(n int) Option { return func(o *options) { o.maxConns = max(n, 2) } }

// Open connects to url ("sqlite:path" or "postgres://...") and checks the
// connection. It does not migrate. An error names the database (a file path,
// or a URL with its password masked).
func Open(ctx context.Context, url string, opts ...Option) (*gorm.DB, error) {
	o := options{maxConns: DefaultMaxConns}
	for _, opt := range opts {
		opt(&o)
	}
	cfg := &gorm.Config{
		// Unique and foreign-key violations come back as gorm.ErrDuplicatedKey
		// and gorm.ErrForeignKeyViolated, so stores never match error strings.
		TranslateError: true,
		Logger:         logger.Discard, // SQL parameters may hold personal data: never logged.
		NowFunc:        func() time.Time { return time.Now().UTC() },
	}
	var (
		g    *gorm.DB
		err  error
		name string // what an error calls the database: never a password
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		name = "SQLite database " + path
		g, err = openSQLiteGorm(path, cfg)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		name = "PostgreSQL database " + maskURL(url)
		g, err = gorm.Open(postgres.Open(url), cfg)
		if err == nil {
			sqlDB, derr := g.DB()
			if derr != nil {
				return nil, fmt.Errorf("db: %s: %w", name, derr)
			}
			sqlDB.SetMaxOpenConns(o.maxConns)
			sqlDB.SetMaxIdleConns(max(o.maxConns/2, 1))
			sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		return nil, errors.New("db: URL must start with sqlite: or postgres://")
	}
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", name, err)
	}
	if err := Ping(ctx, g); err != nil {
		return nil, errors.Join(fmt.Errorf("db: %s: %w", name, err), Close(g))
	}
	return g, nil
}

// openSQLiteGorm opens the SQLite file at path, creating its directory. SQLite's
// own message for a file it cannot open or create is "out of memory (14)"
// (SQLITE_CANTOPEN), so that case gets a sentence saying what to check.
func openSQLiteGorm(path string, cfg *gorm.Config) (*gorm.DB, error) {
	if path != ":memory:" && !strings.HasPrefix(path, "file:") {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create its directory: %w", err)
			}
		}
	}
	sqlDB, err := openSQLite(SQLiteDSN(path))
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(sqliteMaxConns)
	// gorm.Open makes the first connection (the dialector asks the version).
	g, err := gorm.Open(&sqlite.Dialector{Conn: sqlDB}, cfg)
	if err != nil {
		err = errors.Join(err, sqlDB.Close())
		var se *gosqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqliteCantOpen {
			return nil, fmt.Errorf("cannot open or create the file (is it a directory, or is its directory not writable by this user?): %w", err)
		}
		return nil, err
	}
	return g, nil
}

// sqliteCantOpen is SQLite's primary result code SQLITE_CANTOPEN.
const sqliteCantOpen = 14

// sqliteInterrupt is SQLite's primary result code SQLITE_INTERRUPT.
const sqliteInterrupt = 9

// IsCanceled reports whether err is a query stopped because its context
// was: context.Canceled as PostgreSQL's driver returns it, or SQLite's
// "interrupted (9)", which its driver returns instead (it interrupts the
// statement and does not wrap the context's error).
func IsCanceled(err error) bool {
	if errors.Is(err, context.Canceled) {
		return true
	}
	var se *gosqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteInterrupt
}

// maskURL hides the password of a database URL, for messages.
func maskURL(s string) string {
	u, err := neturl.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = neturl.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// SQLiteDSN adds the pragmas every connection needs: WAL for concurrent
// readers, foreign keys (off by default in SQLite), a busy timeout, and the
// time format stored. Immediate write transactions are not a DSN option: the
// driver ignores _txlock next to _time_format, so openSQLite's connections
// begin IMMEDIATE themselves.
func SQLiteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
}

// Ping checks that the database answers.
func Ping(ctx context.Context, g *gorm.DB) error {
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("db: ping: %w", err)
	}
	return nil
}

// Close closes the pool behind g.
func Close(g *gorm.DB) error {
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Provider returns the goose migration provider for g's dialect. On
// PostgreSQL it holds goose's session advisory lock while it migrates; on
// SQLite it has none, so callers that change the schema run it inside
// Exclusive, as Migrate does.
func Provider(g *gorm.DB, log *slog.Logger) (*goose.Provider, error) {
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	return provider(sqlDB, DialectOf(g), log)
}

func provider(sqlDB *sql.DB, d Dialect, log *slog.Logger) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, string(d))
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(riverMigrations(d)...)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	gd := goose.DialectSQLite3
	if d == Postgres {
		gd = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gd, sqlDB, sub, opts...)
}

// Migrate brings the schema up to the newest version, holding the start-up
// lock (Exclusive) so that processes starting together migrate one after
// the other: the second finds nothing pending.
func Migrate(ctx context.Context, g *gorm.DB, log *slog.Logger) error {
	p, err := Provider(g, log)
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	return Exclusive(ctx, g, func() error {
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("db: migrate up: %w", err)
		}
		return nil
	})
}

// Tx runs fn in a transaction on g, committing when fn returns nil and
// rolling back otherwise (also on panic). Services own transactions; stores
// take the *gorm.DB they are given, which may be a transaction.
func Tx(ctx context.Context, g *gorm.DB, fn func(tx *gorm.DB) error) error {
	return g.WithContext(ctx).Transaction(fn)
}

// IsDuplicate reports whether err is a unique-constraint violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// IsNotFound reports whether err is GORM's record-not-found.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
