package registry_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed"
)

// TestStatusSQLAgreesWithStatusOn holds the SQL forms of a status to
// Certificate.StatusOn, the definition: StatusSQL, which the officers' list
// filters with, and ActiveSQL, which every public query (badges, search, the
// storefront's stars) narrows with. On each day around the boundaries, each
// certificate is selected by exactly the one status StatusOn gives it, and
// by ActiveSQL exactly when that status is active.
func TestStatusSQLAgreesWithStatusOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		if err := seed.Reference(context.Background(), g); err != nil {
			t.Fatal(err)
		}
		var producerID int64
		if err := g.Exec(`INSERT INTO producers (slug, kind, legal_name, name_folded, province_code, commune_code, status, created_at, updated_at)
			VALUES ('status-sql', 'cooperative', 'Status SQL', 'status sql', '20', (SELECT MIN(code) FROM communes WHERE province_code = '20'), 'approved', ?, ?)`,
			time.Now(), time.Now()).Error; err != nil {
			t.Fatal(err)
		}
		g.Table("producers").Select("id").Where("slug = ?", "status-sql").Scan(&producerID)
		from := day.New(2024, 3, 15)
		shapes := map[string]func(*registry.Certificate){
			"plain":      func(*registry.Certificate) {},
			"revoked":    func(c *registry.Certificate) { c.RevokedOn = day.New(2025, 1, 10) },
			"superseded": func(c *registry.Certificate) { c.SupersededOn = day.New(2026, 2, 1) },
			"both":       func(c *registry.Certificate) { c.RevokedOn = day.New(2026, 6, 1); c.SupersededOn = day.New(2025, 6, 1) },
			"late":       func(c *registry.Certificate) { c.RevokedOn = registry.ValidUntilFor(from).AddDays(10) },
			"import":     func(c *registry.Certificate) { c.ImportPending = true },
			"import, revoked": func(c *registry.Certificate) {
				c.ImportPending, c.RevokedOn = true, day.New(2025, 1, 10)
			},
		}
		var certs []registry.Certificate
		for name, shape := range shapes {
			c := registry.Certificate{Code: registry.NewCode(), Number: "STATUS-" + name, AuthorityLevel: registry.AuthorityProvince,
				AuthorityName: "UBND tỉnh Lạng Sơn", DecisionNo: "TEST", DecisionDate: from, ProducerID: producerID, ProductName: name,
				GroupCode: "I.3.d", OwnerName: "Demo", OwnerAddress: "Demo", ProvinceCode: "20", Stars: 3, Score: 60,
				CriteriaVersion: "148", ValidFrom: from, ValidUntil: registry.ValidUntilFor(from), CreatedAt: time.Now()}
			shape(&c)
			if err := g.Create(&c).Error; err != nil {
				t.Fatal(err)
			}
			certs = append(certs, c)
		}
		days := []day.Date{from.AddDays(-1), from, day.New(2025, 1, 9), day.New(2025, 1, 10), day.New(2025, 6, 1),
			day.New(2026, 1, 31), day.New(2026, 2, 1), registry.ValidUntilFor(from), registry.ValidUntilFor(from).AddDays(1),
			registry.ValidUntilFor(from).AddDays(10)}
		for _, d := range days {
			for _, st := range []registry.CertStatus{registry.CertActive, registry.CertExpired, registry.CertRevoked, registry.CertSuperseded, registry.CertPending} {
				cond, args := registry.StatusSQL("c", st, d)
				selected := selectedIDs(t, g.Table("certificates c").Where("c.number LIKE ?", "STATUS-%").Where(cond, args...), "c.id")
				for _, c := range certs {
					if want := c.StatusOn(d) == st; selected[c.ID] != want {
						t.Errorf("%s on %s: StatusSQL(%s) selects it = %v, StatusOn says %s", c.Number, d, st, selected[c.ID], c.StatusOn(d))
					}
				}
			}
			// ActiveSQL without a table prefix, as the badge and search queries use it.
			active, args := registry.ActiveSQL("", d)
			selected := selectedIDs(t, g.Model(&registry.Certificate{}).Where("number LIKE ?", "STATUS-%").Where(active, args...), "id")
			for _, c := range certs {
				if want := c.StatusOn(d) == registry.CertActive; selected[c.ID] != want {
					t.Errorf("%s on %s: ActiveSQL selects it = %v, StatusOn says %s", c.Number, d, selected[c.ID], c.StatusOn(d))
				}
			}
		}
	})
}

// selectedIDs runs q and returns the set of the ids it selects.
func selectedIDs(t *testing.T, q *gorm.DB, column string) map[int64]bool {
	t.Helper()
	var ids []int64
	if err := q.Pluck(column, &ids).Error; err != nil {
		t.Fatal(err)
	}
	selected := make(map[int64]bool, len(ids))
	for _, id := range ids {
		selected[id] = true
	}
	return selected
}
