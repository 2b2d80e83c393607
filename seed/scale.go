package seed

import (
	"context"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
)

// scaleWords are the parts product names are made of, so that searches
// over the generated catalogue behave like searches over real names.
var (
	scaleKinds = []struct{ name, group string }{
		{"Vịt quay", "I.3.d"}, {"Khâu nhục", "I.3.d"}, {"Lạp sườn", "I.3.d"}, {"Na", "I.1.a"}, {"Quýt vàng", "I.1.a"},
		{"Bưởi", "I.1.a"}, {"Chè", "I.5.a"}, {"Trà hoa vàng", "I.5.b"}, {"Mật ong", "I.2.b"}, {"Hoa hồi khô", "I.4.b"},
		{"Tinh dầu hồi", "III.3"}, {"Rượu men lá", "II.1.a"}, {"Bánh chưng", "I.3.b"}, {"Miến dong", "I.3.c"},
		{"Gạo nếp", "I.1.a"}, {"Nấm hương", "I.1.a"}, {"Măng khô", "I.3.c"}, {"Thạch đen", "I.3.c"},
	}
	scaleAdjectives = []string{"đặc biệt", "hữu cơ", "truyền thống", "thượng hạng", "núi đá", "gia truyền", "sạch", "vùng cao"}
	scaleKindsOwner = []producer.Kind{producer.KindCooperative, producer.KindHousehold, producer.KindEnterprise, producer.KindCooperativeGroup}
)

// Scale generates a national-scale demo catalogue of n products, two per
// producer, spread over all provinces, with variants and certificates valid
// today for about two thirds of them (a few revoked), and a history as
// provinces have one: the other third's certificates expired without
// re-evaluation, and every seventh current one superseded an earlier 3★.
// Batched inserts. It refuses to run twice on
// one database (it checks for its own producers first). Everything it
// writes is marked demo.
func Scale(ctx context.Context, g *gorm.DB, n int, out io.Writer) error {
	start := time.Now()
	var existing int64
	if err := g.WithContext(ctx).Model(&producer.Producer{}).Where("slug LIKE ?", "scale-%").Count(&existing).Error; err != nil {
		return err
	}
	if existing > 0 {
		fmt.Fprintf(out, "scale: %d generated producers exist already; nothing done\n", existing)
		return nil
	}
	var provinces []region.Province
	if err := g.WithContext(ctx).Order("code").Find(&provinces).Error; err != nil {
		return err
	}
	if len(provinces) == 0 {
		return fmt.Errorf("scale: no provinces: run seed without --scale first")
	}
	communes := map[string][]region.Commune{}
	for _, p := range provinces {
		var cs []region.Commune
		if err := g.WithContext(ctx).Where("province_code = ?", p.Code).Order("code").Limit(200).Find(&cs).Error; err != nil {
			return err
		}
		communes[p.Code] = cs
	}
	now := time.Now().UTC()
	nProducers := (n + 1) / 2
	producers := make([]producer.Producer, 0, nProducers)
	places := make([]string, 0, nProducers)
	for i := 0; i < nProducers; i++ {
		pv := provinces[i%len(provinces)]
		cs := communes[pv.Code]
		if len(cs) == 0 {
			return fmt.Errorf("scale: province %s has no communes", pv.Code)
		}
		c := cs[(i/len(provinces))%len(cs)]
		kind := scaleKindsOwner[i%len(scaleKindsOwner)]
		name := fmt.Sprintf("%s %s số %d (demo)", map[producer.Kind]string{producer.KindCooperative: "HTX", producer.KindHousehold: "Hộ",
			producer.KindEnterprise: "Công ty", producer.KindCooperativeGroup: "Tổ hợp tác"}[kind], c.Name, i+1)
		places = append(places, c.Name)
		producers = append(producers, producer.Producer{Slug: fmt.Sprintf("scale-%s-%05d", pv.Code, i+1), Kind: kind, LegalName: name,
			NameFolded: text.Fold(name), ProvinceCode: pv.Code, CommuneCode: c.Code, Email: fmt.Sprintf("scale%05d@example.com", i+1),
			Story: "Hồ sơ sinh tự động (demo) để đo tải.", Status: producer.StatusApproved, IsDemo: true, ApprovedAt: &now,
			CreatedAt: now, UpdatedAt: now})
	}
	if err := g.WithContext(ctx).CreateInBatches(&producers, 1000).Error; err != nil {
		return fmt.Errorf("scale: producers: %w", err)
	}
	fmt.Fprintf(out, "scale: %d producers in %s\n", len(producers), time.Since(start).Round(time.Millisecond))

	products := make([]catalog.Product, 0, n)
	for i := 0; i < n; i++ {
		pr := producers[i/2]
		k := scaleKinds[i%len(scaleKinds)]
		name := fmt.Sprintf("%s %s %s", k.name, scaleAdjectives[(i/len(scaleKinds))%len(scaleAdjectives)], places[i/2])
		price := int64(30_000 + (i*7919)%40*10_000)
		cc := pr.CommuneCode
		pub := now.Add(-time.Duration(n-i) * time.Minute)
		products = append(products, catalog.Product{ProducerID: pr.ID, Slug: fmt.Sprintf("%s-%06d", text.Slug(k.name), i+1), Name: name,
			Description: name + ": sản phẩm sinh tự động (demo).", GroupCode: k.group, OriginCommuneCode: &cc, Unit: "gói",
			IsService: false, AdultOnly: k.group == "II.1.a", Status: catalog.StatusPublished,
			SearchText: text.Fold(name + " " + pr.LegalName), MinPrice: price, PublishedAt: &pub, CreatedAt: pub, UpdatedAt: pub})
	}
	if err := g.WithContext(ctx).Omit("Variants").CreateInBatches(&products, 1000).Error; err != nil {
		return fmt.Errorf("scale: products: %w", err)
	}
	variants := make([]catalog.Variant, 0, 2*n)
	for i, p := range products {
		variants = append(variants,
			catalog.Variant{ProductID: p.ID, ProducerID: p.ProducerID, SKU: fmt.Sprintf("S%06d-A", i+1), Name: "Gói 500 g", Price: p.MinPrice,
				Stock: int64(i % 50), WeightGrams: 500, CreatedAt: now, UpdatedAt: now},
			catalog.Variant{ProductID: p.ID, ProducerID: p.ProducerID, SKU: fmt.Sprintf("S%06d-B", i+1), Name: "Hộp 1 kg", Price: p.MinPrice * 19 / 10,
				Stock: int64(i % 30), WeightGrams: 1000, Position: 1, CreatedAt: now, UpdatedAt: now})
	}
	if err := g.WithContext(ctx).CreateInBatches(&variants, 2000).Error; err != nil {
		return fmt.Errorf("scale: variants: %w", err)
	}
	today := day.Today()
	var auths []registry.Authority
	if err := g.WithContext(ctx).Find(&auths).Error; err != nil {
		return fmt.Errorf("scale: authorities: %w", err)
	}
	authorityOf := map[string]int64{} // one lookup, not one per certificate
	for _, a := range auths {
		authorityOf[a.Key()] = a.ID
	}
	var certs, history []registry.Certificate
	cert := func(i int, p catalog.Product, code string, from day.Date, stars int) registry.Certificate {
		pr := producers[i/2]
		pid, cc := p.ID, pr.CommuneCode
		return registry.Certificate{Code: fmt.Sprintf("%s%07d", code, i+1), Number: fmt.Sprintf("DEMO-%s-%07d", code, i+1),
			AuthorityID: authorityOf[pr.ProvinceCode], AuthorityLevel: "province", AuthorityName: "UBND tỉnh (demo) " + pr.ProvinceCode, DecisionNo: fmt.Sprintf("DEMO-%d/QĐ", i/100),
			DecisionDate: from, ProducerID: pr.ID, ProductID: &pid, ProductName: p.Name, GroupCode: p.GroupCode, OwnerName: pr.LegalName,
			OwnerAddress: "demo", ProvinceCode: pr.ProvinceCode, CommuneCode: &cc, Stars: stars, Score: float64(50 + 20*(stars-3)), CriteriaVersion: "148",
			ValidFrom: from, ValidUntil: registry.ValidUntilFor(from), IsDemo: true, CreatedAt: now}
	}
	for i, p := range products {
		if i%3 == 2 {
			// A third of the listings carry no badge: their certificate expired without re-evaluation.
			history = append(history, cert(i, p, "SCALEX", today.AddDays(-(1100+i%700)), 3))
			continue
		}
		stars := 3 + map[bool]int{true: 1}[i%5 == 0] + map[bool]int{true: 1}[i%97 == 0]
		c := cert(i, p, "SCALE", today.AddDays(-(i % 900)), stars)
		if i%31 == 0 { // a few revoked, as provinces do (statistics must not count them)
			c.RevokedOn, c.RevocationDecision, c.RevocationReason = today.AddDays(-(1 + i%60)), "DEMO-THU-HOI", "Demo: bao bì khác với bao bì đã được công nhận"
		}
		certs = append(certs, c)
	}
	if err := g.WithContext(ctx).CreateInBatches(&certs, 1000).Error; err != nil {
		return fmt.Errorf("scale: certificates: %w", err)
	}
	for i, c := range certs {
		if i%7 == 0 { // an earlier 3★ certificate the current one superseded
			old := c
			old.ID, old.Code, old.Number, old.Stars, old.Score = 0, "SCALEO"+c.Code[5:], "DEMO-O-"+c.Code[5:], 3, 55
			old.DecisionDate, old.ValidFrom = c.ValidFrom.AddDays(-400), c.ValidFrom.AddDays(-400)
			old.ValidUntil, old.RevokedOn, old.RevocationDecision, old.RevocationReason = registry.ValidUntilFor(old.ValidFrom), day.Date{}, "", ""
			id := c.ID
			old.SupersededByID, old.SupersededOn = &id, c.ValidFrom
			history = append(history, old)
		}
	}
	if err := g.WithContext(ctx).CreateInBatches(&history, 1000).Error; err != nil {
		return fmt.Errorf("scale: past certificates: %w", err)
	}
	certs = append(certs, history...)
	fmt.Fprintf(out, "scale: %d products, %d variants, %d certificates of %d producers in %d provinces in %s\n",
		len(products), len(variants), len(certs), len(producers), len(provinces), time.Since(start).Round(time.Millisecond))
	return nil
}
