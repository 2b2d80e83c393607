package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
)

// disableAppendOnly lets the test act as someone with direct database access: it
// switches off the append-only triggers of both audit tables (in this
// test's own database only).
func disableAppendOnly(t *testing.T, g *gorm.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER IF EXISTS registry_audit_no_update", "DROP TRIGGER IF EXISTS registry_audit_no_delete",
		"DROP TRIGGER IF EXISTS payment_audit_no_update", "DROP TRIGGER IF EXISTS payment_audit_no_delete"}
	if db.DialectOf(g) == db.Postgres {
		stmts = []string{"ALTER TABLE registry_audit DISABLE TRIGGER USER", "ALTER TABLE payment_audit DISABLE TRIGGER USER"}
	}
	for _, s := range stmts {
		if err := g.Exec(s).Error; err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestAuditVerifyNamesTheBrokenRow: `ocop audit verify` passes on an
// untouched database, and after each kind of tampering by SQL (an edited
// field, an edited time, a deleted row, a removed hash) it fails naming the
// table and the row where the chain breaks; put back, the chain holds again.
func TestAuditVerifyNamesTheBrokenRow(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		e := map[string]string{"OCOP_DATABASE_URL": url}
		if out, err := ocop(t, e, "seed", "--demo"); err != nil {
			t.Fatalf("seed: %v\n%s", err, out)
		}
		g := open(t, url)
		writeAuditRows(t, g)
		out, err := ocop(t, e, "audit", "verify")
		if err != nil || !strings.Contains(out, "registry_audit: intact") || !strings.Contains(out, "payment_audit: intact") {
			t.Fatalf("verify on an untouched database: %v\n%s", err, out)
		}
		disableAppendOnly(t, g)
		for _, tc := range auditTampers(t, g) {
			for _, s := range tc.break_ {
				if err := g.Exec(s).Error; err != nil {
					t.Fatalf("%s: %s: %v", tc.name, s, err)
				}
			}
			out, err := ocop(t, e, "audit", "verify")
			want := fmt.Sprintf("%s row %d", tc.table, tc.wantID)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(out, fmt.Sprintf("%s: BROKEN at row %d", tc.table, tc.wantID)) {
				t.Errorf("%s: verify says %v\n%s\nwant it to name %s", tc.name, err, out, want)
			}
			if tc.restore == nil {
				continue
			}
			for _, s := range tc.restore {
				if err := g.Exec(s).Error; err != nil {
					t.Fatalf("%s: restore: %s: %v", tc.name, s, err)
				}
			}
			if out, err := ocop(t, e, "audit", "verify"); err != nil {
				t.Fatalf("%s: after putting it back the chain should hold: %v\n%s", tc.name, err, out)
			}
		}
		if _, err := ocop(t, e, "audit", "check"); err == nil {
			t.Error("audit accepted an unknown action")
		}
	})
}

// writeAuditRows adds registry audit rows through the service (remarks)
// and payment audit rows through theirs (commission changes).
func writeAuditRows(t *testing.T, g *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	var officer, admin account.User
	g.Where("email = ?", "officer@example.com").First(&officer)
	g.Where("email = ?", "admin@example.com").First(&admin)
	var scored registry.Application
	if err := g.Where("status = ?", registry.StatusScored).First(&scored).Error; err != nil {
		t.Fatal(err)
	}
	reg := registry.NewService(g, nil, day.Today)
	for i := 0; i < 3; i++ {
		if err := reg.Remark(ctx, &officer, scored.Code, fmt.Sprintf("Ý kiến %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	pay := payment.NewService(g, nil, payment.Config{})
	for _, bp := range []int{600, 700, 800, 900} {
		if err := pay.SetCommission(ctx, admin.ID, bp); err != nil {
			t.Fatal(err)
		}
	}
}

// auditTamper breaks an audit chain at a row, and can put it back.
type auditTamper struct {
	name    string
	table   string
	wantID  int64
	break_  []string // SQL that breaks the chain
	restore []string // SQL that puts it back
}

// auditTampers are the ways someone with database access could break the
// chains of g (edit, delete, strip a hash, move a time), each with the row
// verify must name.
func auditTampers(t *testing.T, g *gorm.DB) []auditTamper {
	t.Helper()
	ids := func(table string) []int64 {
		var out []int64
		g.Table(table).Order("id").Pluck("id", &out)
		return out
	}
	rids, pids := ids("registry_audit"), ids("payment_audit")
	if len(rids) < 6 || len(pids) < 4 {
		t.Fatalf("too few rows to tamper with: %d registry, %d payment", len(rids), len(pids))
	}
	r2, r3, r4, p1, p2, p3 := rids[2], rids[3], rids[4], pids[0], pids[1], pids[2]
	var savedNote string
	g.Raw("SELECT note FROM registry_audit WHERE id = ?", r3).Scan(&savedNote)
	var pAfter string
	g.Raw("SELECT after FROM payment_audit WHERE id = ?", p2).Scan(&pAfter)
	var p1Hash string
	g.Raw("SELECT hash FROM payment_audit WHERE id = ?", p1).Scan(&p1Hash)
	return []auditTamper{
		{"registry note edited", "registry_audit", r3,
			[]string{fmt.Sprintf("UPDATE registry_audit SET note = 'đã sửa' WHERE id = %d", r3)},
			[]string{fmt.Sprintf("UPDATE registry_audit SET note = '%s' WHERE id = %d", strings.ReplaceAll(savedNote, "'", "''"), r3)}},
		{"registry outcome edited", "registry_audit", r2,
			[]string{fmt.Sprintf("UPDATE registry_audit SET outcome = CASE outcome WHEN 'ok' THEN 'refused' ELSE 'ok' END WHERE id = %d", r2)},
			[]string{fmt.Sprintf("UPDATE registry_audit SET outcome = CASE outcome WHEN 'ok' THEN 'refused' ELSE 'ok' END WHERE id = %d", r2)}},
		{"registry row deleted", "registry_audit", r4,
			[]string{"CREATE TABLE saved_audit AS SELECT * FROM registry_audit WHERE id = " + fmt.Sprint(r3), fmt.Sprintf("DELETE FROM registry_audit WHERE id = %d", r3)},
			[]string{"INSERT INTO registry_audit SELECT * FROM saved_audit", "DROP TABLE saved_audit"}},
		{"payment amount edited", "payment_audit", p2,
			[]string{fmt.Sprintf("UPDATE payment_audit SET after = '3000' WHERE id = %d", p2)},
			[]string{fmt.Sprintf("UPDATE payment_audit SET after = '%s' WHERE id = %d", pAfter, p2)}},
		{"payment hash removed to pass the row off as old", "payment_audit", p2,
			[]string{fmt.Sprintf("UPDATE payment_audit SET hash = '', prev_hash = '' WHERE id = %d", p1)},
			[]string{fmt.Sprintf("UPDATE payment_audit SET hash = '%s' WHERE id = %d", p1Hash, p1)}},
		{"payment time moved", "payment_audit", p3,
			[]string{fmt.Sprintf("UPDATE payment_audit SET created_at = (SELECT created_at FROM payment_audit WHERE id = %d) WHERE id = %d", p1, p3)},
			nil},
	}
}
