package seed

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/registry"
)

// Demo registry data, all marked demo (DEMO- decision numbers):
//   - each rated product of the Lạng Sơn list gets the certificate of its
//     rating year, so some are valid and some have expired by now;
//   - Na Chi Lăng: 3★ in 2021, upgraded to 4★ in 2022 (the 3★ superseded);
//   - Rượu men lá người Dao: revoked by a demo decision;
//   - Khâu nhục Mai Sao: a 3★ recognised by the former district level (2024);
//   - Hồng không hạt Bảo Lâm: no certificate; its application is scored and
//     waits for a decision;
//   - Chè dưới tán hồi Bình Gia: 91.5 points, forwarded to the central level;
//   - a few more applications in other states, so officers have a queue.

// demoDecisionDate is the day of the demo decision for a rating year.
func demoDecisionDate(year int) day.Date {
	if year == 2025 {
		return day.New(2025, 12, 31) // the day of Lạng Sơn's real Decision 2865/QĐ-UBND
	}
	return day.New(year, 12, 15)
}

func demoRegistry(ctx context.Context, g *gorm.DB) error {
	g = g.WithContext(ctx)
	products, err := DemoProducts()
	if err != nil {
		return err
	}
	var officerID int64
	if err := g.Table("users").Select("id").Where("email = ?", "officer@example.com").Scan(&officerID).Error; err != nil || officerID == 0 {
		return fmt.Errorf("seed registry: demo officer: %v", err)
	}
	certs := map[string]registry.Certificate{}
	for _, dp := range products {
		if dp.Stars == 0 || dp.RatedYear == 0 {
			continue
		}
		if dp.Name == "Na Chi Lăng" {
			old, err := demoCert(g, dp, 3, 2021, registry.AuthorityProvince, nil)
			if err != nil {
				return err
			}
			c, err := demoCert(g, dp, 4, 2022, registry.AuthorityProvince, &old)
			if err != nil {
				return err
			}
			certs[dp.Name] = c
			continue
		}
		level := registry.AuthorityProvince
		if dp.Name == "Khâu nhục Mai Sao" {
			level = registry.AuthorityDistrict
		}
		c, err := demoCert(g, dp, dp.Stars, dp.RatedYear, level, nil)
		if err != nil {
			return err
		}
		certs[dp.Name] = c
	}
	if c, ok := certs["Rượu men lá người Dao"]; ok {
		err := g.Model(&registry.Certificate{}).Where("id = ?", c.ID).Updates(map[string]any{
			"revoked_on": day.New(2025, 3, 20), "revocation_decision": "DEMO-112/QĐ-SNN",
			"revocation_reason": "Demo: bao bì khác với bao bì đã được công nhận (packaging differs from the certified one)"}).Error
		if err != nil {
			return err
		}
	}
	return demoApplications(g, products, certs, officerID)
}

// demoCert writes one certificate as recognised by a demo decision and, when
// old is given, supersedes it from the new decision's date.
func demoCert(g *gorm.DB, dp DemoProduct, stars, year int, level registry.AuthorityLevel, old *registry.Certificate) (registry.Certificate, error) {
	var p struct {
		ID                                           int64
		LegalName, Street, CommuneCode, ProvinceCode string
	}
	if err := g.Table("producers").Select("id, legal_name, street, commune_code, province_code").Where("slug = ?", dp.ProducerSlug).Scan(&p).Error; err != nil || p.ID == 0 {
		return registry.Certificate{}, fmt.Errorf("seed registry: producer %s: %v", dp.ProducerSlug, err)
	}
	from := demoDecisionDate(year)
	criteria, authority := registry.Criteria148, "UBND tỉnh Lạng Sơn"
	if from.Before(day.New(2023, 2, 24)) {
		criteria = registry.Criteria1048
	}
	if level == registry.AuthorityDistrict {
		authority = "UBND huyện (cũ) – demo"
	}
	score := 62.5
	if stars == 4 {
		score = 76.25
	}
	var addr, commune, province string
	g.Table("communes").Select("full_name").Where("code = ?", p.CommuneCode).Scan(&commune)
	g.Table("provinces").Select("full_name").Where("code = ?", p.ProvinceCode).Scan(&province)
	addr = commune + ", " + province
	decision := fmt.Sprintf("DEMO-%d/QĐ-UBND", year)
	if year == 2025 {
		decision = "DEMO-2865/QĐ-UBND"
	}
	cc := p.CommuneCode
	c := registry.Certificate{Code: registry.NewCode(), Number: decision + "/" + text.Slug(dp.Name),
		AuthorityLevel: level, AuthorityName: authority, DecisionNo: decision, DecisionDate: from, Signatory: "Demo",
		ProducerID: p.ID, ProductID: demoProductID(g, p.ID, dp.Name), ProductName: dp.Name, GroupCode: dp.GroupCode,
		OwnerName: p.LegalName, OwnerAddress: addr, ProvinceCode: p.ProvinceCode, CommuneCode: &cc, Stars: stars, Score: score,
		CriteriaVersion: criteria, ValidFrom: from, ValidUntil: registry.ValidUntilFor(from), IsDemo: true,
		SearchFolded: text.Fold(dp.Name + " " + p.LegalName + " " + decision), CreatedAt: time.Now().UTC()}
	if err := g.Create(&c).Error; err != nil {
		return c, fmt.Errorf("seed registry: %s: %w", dp.Name, err)
	}
	if old != nil {
		err := g.Model(&registry.Certificate{}).Where("id = ?", old.ID).
			Updates(map[string]any{"superseded_by_id": c.ID, "superseded_on": c.ValidFrom}).Error
		if err != nil {
			return c, err
		}
	}
	return c, nil
}

// demoProductID links to the catalog's listing of the same producer and
// name when it exists (the catalog seed runs first).
func demoProductID(g *gorm.DB, producerID int64, name string) *int64 {
	var id int64
	if g.Table("products").Select("id").Where("producer_id = ? AND name = ?", producerID, name).Limit(1).Scan(&id).Error != nil || id == 0 {
		return nil
	}
	return &id
}

type demoApp struct {
	product string
	kind    registry.AppKind
	status  registry.AppStatus
	renews  string    // product whose certificate is renewed or upgraded
	sheets  []float64 // the demo officer's totals, mandatory criteria passed
}

func demoApplications(g *gorm.DB, products []DemoProduct, certs map[string]registry.Certificate, officerID int64) error {
	byName := map[string]DemoProduct{}
	for _, p := range products {
		byName[p.Name] = p
	}
	apps := []demoApp{
		{product: "Hồng không hạt Bảo Lâm", kind: registry.KindNew, status: registry.StatusScored, sheets: []float64{71.25}},
		{product: "Chè dưới tán hồi Bình Gia", kind: registry.KindUpgrade, status: registry.StatusForwarded, renews: "Chè dưới tán hồi Bình Gia", sheets: []float64{91.5}},
		{product: "Na Chi Lăng", kind: registry.KindRenewal, status: registry.StatusSubmitted, renews: "Na Chi Lăng"},
		{product: "Quýt vàng Bắc Sơn", kind: registry.KindRenewal, status: registry.StatusProposed, renews: "Quýt vàng Bắc Sơn"},
		{product: "Vịt quay Diệu Hương", kind: registry.KindUpgrade, status: registry.StatusDraft, renews: "Vịt quay Diệu Hương"},
	}
	now := time.Now().UTC()
	for _, da := range apps {
		dp, ok := byName[da.product]
		if !ok {
			return fmt.Errorf("seed registry: no demo product %q", da.product)
		}
		var p struct {
			ID                        int64
			CommuneCode, ProvinceCode string
		}
		if err := g.Table("producers").Select("id, commune_code, province_code").Where("slug = ?", dp.ProducerSlug).Scan(&p).Error; err != nil {
			return err
		}
		a := registry.Application{Code: registry.NewCode(), Kind: da.kind, Status: da.status, ProducerID: p.ID,
			ProductID: demoProductID(g, p.ID, dp.Name), ProductName: dp.Name, GroupCode: dp.GroupCode,
			Description: "Demo: " + dp.Note, ProvinceCode: p.ProvinceCode, CommuneCode: p.CommuneCode,
			SelfPartA: 30, SelfPartB: 18, SelfPartC: 26, IsDemo: true}
		if c, ok := certs[da.renews]; ok {
			a.PreviousCertificateID = &c.ID
		}
		if da.status != registry.StatusDraft {
			a.SubmittedAt = &now
		}
		if len(da.sheets) > 0 {
			a.ProposalNote = "Demo: UBND xã đã kiểm tra hồ sơ và đề xuất."
		}
		if err := g.Create(&a).Error; err != nil {
			return err
		}
		for _, total := range da.sheets {
			sh := registry.ScoreSheet{ApplicationID: a.ID, Level: registry.AuthorityProvince, MemberID: officerID, CriteriaVersion: registry.Criteria148,
				PartA: 0, PartB: 0, PartC: 0, MandatoryPassed: true, Total: total}
			sh.PartA, sh.PartB, sh.PartC = split(total)
			if err := g.Create(&sh).Error; err != nil {
				return err
			}
		}
		if da.status == registry.StatusForwarded {
			err := g.Model(&registry.Application{}).Where("id = ?", a.ID).
				Updates(map[string]any{"council_score": da.sheets[0], "mandatory_passed": true, "result_stars": 5}).Error
			if err != nil {
				return err
			}
		}
		entry := registry.AuditEntry{At: now, ActorEmail: "seed", Action: "application.create", Outcome: "ok", ApplicationID: &a.ID, Note: "demo data"}
		if err := registry.AppendAudit(g, &entry); err != nil {
			return err
		}
	}
	return nil
}

// split spreads a demo total over parts A, B and C within their 148 maxima.
func split(total float64) (a, b, c float64) {
	a = math.Round(total*40) / 100
	b = math.Round(total*25) / 100
	c = math.Round((total-a-b)*100) / 100
	return a, b, c
}
