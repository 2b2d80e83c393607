package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/glebarez/sqlite"
)

// Writers on SQLite must queue, not fail. A DEFERRED transaction (SQLite's
// default) takes the write lock at its first write; when another connection
// wrote in between, SQLite answers SQLITE_BUSY at once, without waiting on
// busy_timeout, because waiting could deadlock. A transaction begun IMMEDIATE
// takes the write lock at BEGIN, where busy_timeout does apply, so writers
// wait their turn.
//
// The driver (github.com/glebarez/go-sqlite v1.21.2) has a _txlock DSN option
// for this, but its applyQueryParams returns right after reading
// _time_format, so with _time_format in the DSN (which we need, for the
// stored time format) _txlock is never read: the option was silently ignored
// and 200 concurrent checkouts gave dozens of "database is locked". So the
// connections are wrapped here and begin IMMEDIATE themselves, whatever the
// DSN says.

// openSQLite returns a pool on the SQLite database of dsn whose read-write
// transactions begin IMMEDIATE.
func openSQLite(dsn string) (*sql.DB, error) {
	// sql.Open connects to nothing; it is the way to reach the driver that
	// glebarez/sqlite registers, with whatever functions are registered on it.
	probe, err := sql.Open(sqlite.DriverName, "")
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	if err := probe.Close(); err != nil {
		return nil, err
	}
	return sql.OpenDB(sqliteConnector{dsn: dsn, drv: drv}), nil
}

// sqliteConnector opens driver connections and wraps them in immediateConn.
type sqliteConnector struct {
	dsn string
	drv driver.Driver
}

// Connect implements driver.Connector.
func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close() // the connection is unusable either way; the type error is the one to report
		return nil, fmt.Errorf("db: SQLite driver connection %T lacks the context methods", conn)
	}
	return immediateConn{inner}, nil
}

// Driver implements driver.Connector.
func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is what the driver's connection implements; immediateConn passes
// all of it through and replaces only how a transaction begins.
type sqliteConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

// immediateConn is a driver connection whose read-write transactions begin
// IMMEDIATE; read-only ones stay DEFERRED, so readers never queue behind a writer.
type immediateConn struct{ sqliteConn }

// BeginTx implements driver.ConnBeginTx.
func (c immediateConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	begin := "BEGIN IMMEDIATE"
	if opts.ReadOnly {
		begin = "BEGIN"
	}
	// ctx bounds the wait for the write lock: a request that gives up stops waiting.
	if _, err := c.ExecContext(ctx, begin, nil); err != nil {
		return nil, err
	}
	return sqliteTx{c}, nil
}

// Begin implements driver.Conn (database/sql uses BeginTx).
func (c immediateConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// sqliteTx ends a transaction begun by immediateConn.
type sqliteTx struct{ c immediateConn }

// Commit implements driver.Tx. When COMMIT fails (a deferred constraint, an
// I/O error) SQLite may leave the transaction open; it is rolled back so the
// connection does not go back to the pool holding the write lock.
func (t sqliteTx) Commit() error {
	_, err := t.c.ExecContext(context.Background(), "COMMIT", nil)
	if err == nil {
		return nil
	}
	// This ROLLBACK fails when SQLite already ended the transaction, which is
	// the state wanted; the error worth reporting is COMMIT's.
	_, _ = t.c.ExecContext(context.Background(), "ROLLBACK", nil) // see above: COMMIT's error is the one to report
	return err
}

// Rollback implements driver.Tx.
func (t sqliteTx) Rollback() error {
	_, err := t.c.ExecContext(context.Background(), "ROLLBACK", nil)
	return err
}
