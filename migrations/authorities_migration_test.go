package migrations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestAuthoritiesMigrationMovesExistingData runs migration 00040 over data
// written under the old schema: free-text authority names that differ in
// case and spaces, numbers that differ in spacing and case, a district
// certificate, a certificate recorded by the old import API. After it,
// every certificate belongs to the right authority, the keys are what
// registry.NumberKey computes, duplicates are kept but marked, the old
// import waits for a second officer, and the foreign keys still hold.
func TestAuthoritiesMigrationMovesExistingData(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		p, err := db.Provider(g, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Down with data in the tables, then write what the old code could write.
		if _, err := p.DownTo(ctx, 30); err != nil {
			t.Fatalf("down to 30: %v", err)
		}
		officerID := writeOldCertificates(t, g)
		if _, err := p.Up(ctx); err != nil {
			t.Fatalf("up over old data: %v", err)
		}
		checkMigratedCertificates(t, g, officerID)
	})
}

// writeOldCertificates writes certificates and an import's audit entry as
// the schema before migration 00040 held them, and returns the importing
// officer's id.
func writeOldCertificates(t *testing.T, g *gorm.DB) (officerID int64) {
	t.Helper()
	var producerID int64
	g.Table("producers").Select("id").Where("slug = ?", "hkd-tran-dieu-huong").Scan(&producerID)
	g.Table("users").Select("id").Where("email = ?", "officer@example.com").Scan(&officerID)
	old := func(code, level, authority, number string) {
		t.Helper()
		row := map[string]any{"code": code, "number": number, "authority_level": level, "authority_name": authority, "decision_no": "OLD",
			"decision_date": "2024-03-01", "signatory": "", "producer_id": producerID, "product_name": "Old " + code, "group_code": "I.3.d",
			"owner_name": "Old", "owner_address": "Old", "province_code": "20", "stars": 3, "score": 60, "criteria_version": "148",
			"valid_from": "2024-03-01", "valid_until": "2027-02-28", "revocation_decision": "", "revocation_reason": "",
			"is_demo": true, "created_at": time.Now().UTC(), "search_folded": "old"}
		if level == "central" {
			row["stars"], row["score"] = 5, 92
		}
		if err := g.Table("certificates").Create(row).Error; err != nil {
			t.Fatalf("old row %s: %v", code, err)
		}
	}
	old("MIGA000001", "province", "UBND Tỉnh Lạng Sơn", "  12/QĐ-UBND ")
	old("MIGB000002", "province", "UBND tỉnh Lạng Sơn", "12/qđ-ubnd")
	old("MIGC000003", "province", "UBND tỉnh Lạng Sơn ", "12/QĐ-UBND")
	old("MIGD000004", "central", "Bộ Nông nghiệp và Phát triển nông thôn", "12/QĐ-UBND")
	old("MIGE000005", "district", "UBND huyện Chi Lăng", "5/GCN\t\tx")
	old("MIGF000006", "province", "UBND tỉnh Lạng Sơn", "7\u00a0/ QĐ\n\n  ab")
	var importedID int64
	g.Table("certificates").Select("id").Where("code = ?", "MIGE000005").Scan(&importedID)
	audit := map[string]any{"at": time.Now().UTC(), "actor_id": officerID, "actor_email": "officer@example.com", "action": "certificate.import",
		"outcome": "ok", "certificate_id": importedID, "before_json": "", "after_json": "", "note": "old import"}
	if err := g.Table("registry_audit").Create(audit).Error; err != nil {
		t.Fatal(err)
	}

	return officerID
}

// checkMigratedCertificates reads back what writeOldCertificates wrote,
// after the migration: authorities, number keys, duplicates, the pending
// import, and the constraints and foreign keys of the rebuilt table.
func checkMigratedCertificates(t *testing.T, g *gorm.DB, officerID int64) {
	t.Helper()
	auth := map[string]int64{}
	var as []registry.Authority
	g.Find(&as)
	for _, a := range as {
		auth[a.Key()] = a.ID
	}
	if len(as) != 35 || auth["central"] == 0 || auth["20"] == 0 {
		t.Fatalf("authorities after the migration: %d", len(as))
	}
	get := func(code string) registry.Certificate {
		t.Helper()
		var c registry.Certificate
		if err := g.Where("code = ?", code).First(&c).Error; err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		return c
	}
	a := get("MIGA000001")
	if a.AuthorityID != auth["20"] || a.Number != "12/QĐ-UBND" || a.NumberKey != "12/QĐ-UBND" || a.AuthorityName != "UBND Tỉnh Lạng Sơn" {
		t.Errorf("first of the duplicates: %+v", a)
	}
	for _, code := range []string{"MIGB000002", "MIGC000003"} {
		if c := get(code); c.AuthorityID != auth["20"] || c.NumberKey != "12/QĐ-UBND #"+code {
			t.Errorf("%s: a later duplicate keeps authority %d, key %q; want Lạng Sơn and a marked key", code, c.AuthorityID, c.NumberKey)
		}
	}
	if d := get("MIGD000004"); d.AuthorityID != auth["central"] || d.NumberKey != "12/QĐ-UBND" {
		t.Errorf("central certificate: authority %d, key %q", d.AuthorityID, d.NumberKey)
	}
	e := get("MIGE000005")
	if e.AuthorityID != auth["20"] || e.AuthorityLevel != registry.AuthorityDistrict || e.AuthorityName != "UBND huyện Chi Lăng" || e.NumberKey != "5/GCN X" {
		t.Errorf("district certificate: %+v", e)
	}
	if !e.ImportPending || e.ValidOn(e.ValidFrom) {
		t.Error("a certificate of the old import API is not pending after the migration")
	}
	var rec registry.ImportRecord
	if err := g.Where("certificate_id = ?", e.ID).First(&rec).Error; err != nil || rec.ImportedBy != officerID || rec.ConfirmedBy != nil {
		t.Errorf("import record of the old import: %+v, %v", rec, err)
	}
	if f := get("MIGF000006"); f.Number != "7 / QĐ ab" || f.NumberKey != registry.NumberKey(f.Number) {
		t.Errorf("whitespace in the number: %q, key %q", f.Number, f.NumberKey)
	}
	// Every key the SQL wrote is the one the code computes.
	var all []registry.Certificate
	g.Find(&all)
	for _, c := range all {
		if !strings.Contains(c.NumberKey, " #") && c.NumberKey != registry.NumberKey(c.Number) {
			t.Errorf("%s: SQL key %q, registry.NumberKey %q", c.Code, c.NumberKey, registry.NumberKey(c.Number))
		}
	}
	// The new constraint holds for new rows.
	dup := a
	dup.ID, dup.Code, dup.Number, dup.AuthorityID, dup.ImportPending = 0, "MIGG000007", " 12/qđ-UBND", 0, false
	if err := g.Create(&dup).Error; !db.IsDuplicate(err) {
		t.Errorf("a variant of an existing number in the same authority: %v, want a duplicate", err)
	}
	// References into the rebuilt table still hold and are still enforced.
	if err := g.Exec("INSERT INTO registry_expiries (certificate_id, expired_on, recorded_at) VALUES (?, ?, ?)", 987654321, "2025-01-01", time.Now().UTC()).Error; err == nil {
		t.Error("a reference to a missing certificate was accepted: foreign keys are off")
	}
	if db.DialectOf(g) == db.SQLite {
		var problems []map[string]any
		g.Raw("PRAGMA foreign_key_check").Scan(&problems)
		if len(problems) != 0 {
			t.Errorf("foreign key problems after the rebuild: %v", problems)
		}
	}
}
