// Package auditchain makes an append-only audit table tamper-evident. Each
// row carries prev_hash, the SHA-256 of the row before it in the same table,
// and hash, the SHA-256 of its own canonical serialisation with prev_hash
// included: a hash chain. Triggers already refuse UPDATE and DELETE to the
// application; someone with direct database access can disable them, but
// cannot then edit, remove or reorder a row without breaking the chain at
// that row, and Verify names it. (They could rewrite every later hash too:
// keep the head hash Verify prints somewhere outside the database to catch
// that.)
//
// Appends to one table are serialised: on PostgreSQL by a transaction-scoped
// advisory lock per table, on SQLite by taking its single write lock (even
// in a transaction that was not begun IMMEDIATE). The last row is always read inside the transaction that
// inserts the next, so two appends can never both link to the same row.
package auditchain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
)

// Row is a row of a chained table. The table's model implements it.
type Row interface {
	// ChainID is the row's primary key (0 before insert).
	ChainID() int64
	// ChainLink returns the row's prev_hash and hash columns.
	ChainLink() (prev, hash string)
	// SetChainLink sets them before the row is inserted.
	SetChainLink(prev, hash string)
	// ChainFields writes every content column, in a fixed order, never the
	// id or the two hash columns. Adding a column means adding it here at
	// the end (older rows hash its zero value the same way only if it is
	// written as such: prefer never changing the order).
	ChainFields(c *Canon)
}

// Canon is the canonical serialisation of a row: each value tagged with its
// kind and length, so that no two different rows serialise alike.
type Canon struct{ b []byte }

// Str adds a string.
func (c *Canon) Str(s string) {
	c.b = append(c.b, 's')
	c.b = strconv.AppendInt(c.b, int64(len(s)), 10)
	c.b = append(c.b, ':')
	c.b = append(c.b, s...)
}

// Int adds an integer.
func (c *Canon) Int(n int64) {
	c.b = append(c.b, 'i')
	c.b = strconv.AppendInt(c.b, n, 10)
	c.b = append(c.b, ';')
}

// OptInt adds an integer that may be NULL.
func (c *Canon) OptInt(p *int64) {
	if p == nil {
		c.b = append(c.b, 'n')
		return
	}
	c.Int(*p)
}

// Time adds an instant in UTC at microsecond precision, the finest both
// databases keep. Writers truncate their timestamps to the microsecond
// (Now) so that what is hashed is what is read back.
func (c *Canon) Time(t time.Time) {
	c.Str(t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"))
}

// Now is the current instant as a chained row stores it: UTC, truncated to
// the microsecond.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Hash is the hash a row of table must carry after prev.
func Hash(table, prev string, r Row) string {
	var c Canon
	c.Str(table)
	c.Str(prev)
	r.ChainFields(&c)
	sum := sha256.Sum256(c.b)
	return hex.EncodeToString(sum[:])
}

// lockKey is the advisory lock of a table's chain on PostgreSQL.
func lockKey(table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("auditchain:" + table))
	return int64(h.Sum64())
}

// Lock serialises appends to table until tx ends. Append takes it itself;
// a transaction that will append after taking row locks should call Lock
// first, so that it never holds a row another appender waits on while
// waiting for the chain (which would deadlock).
func Lock(tx *gorm.DB, table string) error {
	if db.DialectOf(tx) == db.Postgres {
		return tx.Exec("SELECT pg_advisory_xact_lock(?)", lockKey(table)).Error
	}
	// SQLite has one writer at a time. A write that matches no row (and so
	// fires no append-only trigger) still takes the database's write lock,
	// so even a transaction begun DEFERRED is the writer from here on,
	// before it reads the last row. table is a constant of the caller's.
	return tx.Exec("UPDATE " + table + " SET id = id WHERE 0 = 1").Error
}

// Append links r to the last row of table and inserts it. tx must be a
// transaction (the lock and the read of the last row hold until it ends).
func Append(tx *gorm.DB, table string, r Row) error {
	if err := Lock(tx, table); err != nil {
		return fmt.Errorf("auditchain: lock %s: %w", table, err)
	}
	var last []struct{ Hash string }
	if err := tx.Table(table).Select("hash").Order("id DESC").Limit(1).Scan(&last).Error; err != nil {
		return fmt.Errorf("auditchain: last row of %s: %w", table, err)
	}
	prev := ""
	if len(last) == 1 {
		prev = last[0].Hash
	}
	r.SetChainLink(prev, Hash(table, prev, r))
	return tx.Table(table).Create(r).Error
}

// Report is what Verify found in one table.
type Report struct {
	Table     string
	Rows      int64  // rows read
	Unchained int64  // rows written before the chain began (a leading run with no hash)
	Head      string // hash of the last row: keep it outside the database to detect a rewritten chain
	Broken    *Break // the first broken row, or nil
}

// Break names the first row where the chain does not hold.
type Break struct {
	Table  string
	ID     int64
	Reason string
}

// Error implements error.
func (b *Break) Error() string { return fmt.Sprintf("%s row %d: %s", b.Table, b.ID, b.Reason) }

// Verify walks table in id order, a batch at a time, and checks each link:
// the row's prev_hash is the previous row's hash, and its hash is that of
// its own content. Rows without a hash are accepted only before the first
// chained row (rows written before the chain existed). P is the table's
// model as a pointer type.
func Verify[T any, P interface {
	*T
	Row
}](ctx context.Context, g *gorm.DB, table string) (Report, error) {
	rep := Report{Table: table}
	prev, chained := "", false
	var after int64
	for {
		var batch []T
		if err := g.WithContext(ctx).Table(table).Where("id > ?", after).Order("id").Limit(1000).Find(&batch).Error; err != nil {
			return rep, fmt.Errorf("auditchain: read %s: %w", table, err)
		}
		for i := range batch {
			r := P(&batch[i])
			rep.Rows++
			after = r.ChainID()
			p, h := r.ChainLink()
			var reason string
			switch {
			case h == "" && !chained && p == "":
				rep.Unchained++
				continue
			case h == "":
				reason = "has no hash after the chain began (its hash was removed)"
			case p != prev:
				reason = "its prev_hash is not the hash of the row before it (a row was removed, inserted or rewritten before it)"
			case Hash(table, p, r) != h:
				reason = "its content does not match its hash (the row was edited)"
			}
			if reason != "" {
				rep.Broken = &Break{Table: table, ID: r.ChainID(), Reason: reason}
				return rep, nil
			}
			prev, chained = h, true
		}
		if len(batch) < 1000 {
			rep.Head = prev
			return rep, nil
		}
	}
}
