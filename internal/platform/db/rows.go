package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// EachRow runs query (with ? placeholders) and calls each with the scan
// function of every row, in order. It is for the hottest reads, whose rows
// the caller scans by hand into plain values (strings, integers,
// booleans): on PostgreSQL outside a transaction it runs on the pgx
// connection itself, which decodes a column straight into its destination,
// where database/sql first makes a driver value of every column and then
// converts it (a fifth of an uncached product list's CPU). SQLite, or a
// gorm.DB in a transaction, runs it through database/sql.
func EachRow(ctx context.Context, g *gorm.DB, query string, args []any, each func(scan func(dest ...any) error) error) error {
	if pool, ok := g.Statement.ConnPool.(*sql.DB); ok && DialectOf(g) == Postgres {
		return eachPgxRow(ctx, pool, query, args, each)
	}
	rows, err := g.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close() // rows.Err, which eachOf returns, reports what went wrong
	return eachOf(rows, each)
}

// rowReader is what database/sql's and pgx's rows have in common.
type rowReader interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

func eachOf(rows rowReader, each func(scan func(dest ...any) error) error) error {
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func eachPgxRow(ctx context.Context, pool *sql.DB, query string, args []any, each func(scan func(dest ...any) error) error) error {
	numbered, err := numberPlaceholders(query, len(args))
	if err != nil {
		return err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close() // returning the connection to the pool reports nothing the query has not
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("db: EachRow: a PostgreSQL connection of type %T, not pgx's", driverConn)
		}
		rows, err := c.Conn().Query(ctx, numbered, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachOf(rows, each)
	})
}

// numberPlaceholders turns the ? placeholders of query into PostgreSQL's
// $1, $2, ... A ? inside a quoted string or identifier is text, not a
// placeholder. n is how many arguments the caller passes: a mismatch is an
// error here rather than a confusing one from the server.
func numberPlaceholders(query string, n int) (string, error) {
	var b strings.Builder
	b.Grow(len(query) + 2*n)
	var quote byte // the quote character of the literal being read, or 0
	k := 0
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0 // a doubled quote ('') closes and reopens: the same state
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '?':
			k++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(k))
			continue
		}
		b.WriteByte(ch)
	}
	if k != n {
		return "", fmt.Errorf("db: EachRow: %d placeholders for %d arguments", k, n)
	}
	return b.String(), nil
}
