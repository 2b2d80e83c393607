package registry_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestActiveSQLAgreesWithStatusOn holds the SQL form of "active on a day",
// which every query narrows with, to Certificate.StatusOn, the definition:
// for each certificate and each day around its boundaries, the database
// must select it exactly when StatusOn says it is active.
func TestActiveSQLAgreesWithStatusOn(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		var producerID int64
		g.Table("producers").Select("id").Limit(1).Scan(&producerID)
		from := day.New(2024, 3, 15)
		shapes := map[string]func(*registry.Certificate){
			"plain":      func(*registry.Certificate) {},
			"revoked":    func(c *registry.Certificate) { c.RevokedOn = day.New(2025, 1, 10) },
			"superseded": func(c *registry.Certificate) { c.SupersededOn = day.New(2026, 2, 1) },
			"both":       func(c *registry.Certificate) { c.RevokedOn = day.New(2026, 6, 1); c.SupersededOn = day.New(2025, 6, 1) },
			"pending":    func(c *registry.Certificate) { c.ImportPending = true }, // an import no second officer has confirmed
		}
		var certs []registry.Certificate
		for name, shape := range shapes {
			c := registry.Certificate{Code: registry.NewCode(), Number: "ACTIVE-" + name, AuthorityLevel: registry.AuthorityProvince,
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
			day.New(2026, 1, 31), day.New(2026, 2, 1), registry.ValidUntilFor(from), registry.ValidUntilFor(from).AddDays(1)}
		for _, d := range days {
			active, args := registry.ActiveSQL("", d)
			var ids []int64
			if err := g.Model(&registry.Certificate{}).Where("number LIKE ?", "ACTIVE-%").Where(active, args...).Pluck("id", &ids).Error; err != nil {
				t.Fatal(err)
			}
			selected := map[int64]bool{}
			for _, id := range ids {
				selected[id] = true
			}
			for _, c := range certs {
				if want := c.StatusOn(d) == registry.CertActive; selected[c.ID] != want {
					t.Errorf("%s on %s: ActiveSQL selects it = %v, StatusOn says %s", c.Number, d, selected[c.ID], c.StatusOn(d))
				}
			}
		}
	})
}
