package migrations_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// appendOnly lists every audit and ledger table with an INSERT of one row
// (args: the time, the actor's id) and a column to try to rewrite. A new
// *_audit table must be added here: the test fails until it is.
var appendOnly = map[string]struct {
	insert string
	column string
}{
	"ledger_entries": {"INSERT INTO ledger_entries (account, kind, amount, created_at) VALUES ('cash', 'payment', 1000, ?)", "amount"},
	"payment_audit":  {"INSERT INTO payment_audit (actor_id, action, subject, created_at) VALUES (?, 'payout.record', 'p', ?)", "subject"},
	"job_audit":      {"INSERT INTO job_audit (actor_id, action, subject, created_at) VALUES (?, 'job.retry', '1', ?)", "subject"},
	"webhook_audit":  {"INSERT INTO webhook_audit (actor_id, action, subject, created_at) VALUES (?, 'webhook.disable', '1', ?)", "subject"},
	"registry_audit": {"INSERT INTO registry_audit (at, actor_id, action, outcome, note) VALUES (?, ?, 'certificate.revoke', 'ok', 'x')", "note"},
	"review_audit":   {"INSERT INTO review_audit (created_at, actor_id, action, subject, reason) VALUES (?, ?, 'review.hide', 'RV1', 'x')", "reason"},
}

// TestAuditAndLedgerTablesAreAppendOnly: on both dialects, by plain SQL
// (whatever the code does), every audit and ledger table refuses UPDATE,
// DELETE, DELETE without WHERE (SQLite's truncate) and, on PostgreSQL,
// TRUNCATE, also when it comes by CASCADE; the row reads back unchanged.
func TestAuditAndLedgerTablesAreAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		for _, table := range userTables(t, g) {
			if _, ok := appendOnly[table]; strings.HasSuffix(table, "_audit") && !ok {
				t.Errorf("audit table %s is not covered by this test: add it to appendOnly (and give it triggers)", table)
			}
		}
		now := time.Now().UTC()
		if err := g.Exec("INSERT INTO users (email, name, password_hash, role, created_at, updated_at) VALUES ('audit@example.com', 'A', 'x', 'admin', ?, ?)", now, now).Error; err != nil {
			t.Fatal(err)
		}
		var actor int64
		if err := g.Raw("SELECT id FROM users WHERE email = 'audit@example.com'").Scan(&actor).Error; err != nil {
			t.Fatal(err)
		}
		postgres := g.Dialector.Name() == "postgres"
		for table, c := range appendOnly {
			args := []any{now, actor}
			if table == "ledger_entries" {
				args = args[:1]
			} else if table == "payment_audit" || table == "job_audit" || table == "webhook_audit" {
				args = []any{actor, now}
			}
			if err := g.Exec(c.insert, args...).Error; err != nil {
				t.Fatalf("%s: insert: %v", table, err)
			}
			var before []map[string]any
			if err := g.Raw("SELECT * FROM " + table + " ORDER BY id").Scan(&before).Error; err != nil || len(before) != 1 {
				t.Fatalf("%s: read back %d rows, %v", table, len(before), err)
			}
			attempts := []string{
				"UPDATE " + table + " SET " + c.column + " = " + c.column + " WHERE id = (SELECT MIN(id) FROM " + table + ")",
				"UPDATE " + table + " SET created_at = created_at",
				"DELETE FROM " + table + " WHERE id = (SELECT MIN(id) FROM " + table + ")",
				"DELETE FROM " + table, // SQLite's truncate
			}
			if table == "registry_audit" {
				attempts[1] = "UPDATE registry_audit SET at = at"
			}
			if postgres {
				attempts = append(attempts, "TRUNCATE "+table, "TRUNCATE "+table+" CASCADE", "TRUNCATE users CASCADE")
			}
			for _, sql := range attempts {
				if err := g.Exec(sql).Error; err == nil {
					t.Errorf("%s: %q succeeded; the table must be append-only", table, sql)
				}
			}
			var after []map[string]any
			if err := g.Raw("SELECT * FROM " + table + " ORDER BY id").Scan(&after).Error; err != nil {
				t.Fatal(err)
			}
			if len(after) != 1 || !sameRow(before[0], after[0]) {
				t.Errorf("%s after the attempts = %v, want it unchanged: %v", table, after, before)
			}
		}
	})
}

func sameRow(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if x, ok := v.(time.Time); ok {
			if y, ok := b[k].(time.Time); !ok || !x.Equal(y) {
				return false
			}
			continue
		}
		if vb, ok := b[k].([]byte); ok {
			if va, ok := v.([]byte); !ok || string(va) != string(vb) {
				return false
			}
			continue
		}
		if b[k] != v {
			return false
		}
	}
	return true
}
