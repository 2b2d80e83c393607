package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
)

// demoBasePrice is a plausible price in đồng of the smallest variant, by
// Decision 148 group prefix (longest prefix wins).
var demoBasePrice = []struct {
	prefix string
	price  int64
}{
	{"I.3.d", 320_000}, {"I.1", 60_000}, {"I.2", 250_000}, {"I.3", 120_000}, {"I.4", 220_000}, {"I.5", 150_000},
	{"II.1", 140_000}, {"III", 190_000}, {"VI", 50_000}, {"", 100_000},
}

// demoCatalog lists every product of the Lạng Sơn CSV, published under its
// demo producer and named exactly as in the CSV (the registry links its
// certificates by producer and name). Prices, stock and SKUs are demo
// values; photos are drawn on request (catalog.DemoPhoto).
func demoCatalog(ctx context.Context, g *gorm.DB) error {
	rows, err := DemoProducts()
	if err != nil {
		return err
	}
	svc := catalog.NewService(g, nil)
	for i, r := range rows {
		var pr producer.Producer
		if err := g.WithContext(ctx).Where("slug = ?", r.ProducerSlug).Take(&pr).Error; err != nil {
			return fmt.Errorf("seed: catalog: producer %s: %w", r.ProducerSlug, err)
		}
		commune, err := CommuneCode(ctx, g, r.CommuneName)
		if err != nil {
			return err
		}
		in := catalog.ProductInput{
			Name:              r.Name,
			Description:       r.Name + " – đặc sản của " + r.CommuneName + ", tỉnh Lạng Sơn. Thông tin giá và tồn kho là dữ liệu mẫu (demo).",
			DescriptionEn:     r.Name + ", a specialty of " + r.CommuneName + ", Lạng Sơn. Prices and stock are demo data.",
			Story:             "Sản phẩm của " + pr.LegalName + ".",
			GroupCode:         r.GroupCode,
			OriginCommuneCode: commune,
			Variants:          demoVariants(i, r),
		}
		in.Unit = in.Variants[0].Name
		p, err := svc.Create(ctx, pr.ID, in)
		if err != nil {
			return fmt.Errorf("seed: catalog: %s: %w", r.Name, err)
		}
		if _, err := svc.SetStatus(ctx, pr.ID, p.Slug, catalog.StatusPublished); err != nil {
			return err
		}
		key := fmt.Sprintf("%s%03d-%s", catalog.DemoPhotoPrefix, i, p.Slug)
		ph := catalog.Photo{ProducerID: pr.ID, ProductID: &p.ID, Key: key, Width: catalog.PhotoSizes["page"] / 2,
			Height: catalog.PhotoSizes["page"] * 3 / 8, CreatedAt: time.Now().UTC()}
		if err := g.WithContext(ctx).Create(&ph).Error; err != nil {
			return err
		}
		if err := g.WithContext(ctx).Model(&catalog.Product{}).Where("id = ?", p.ID).Update("cover_key", key).Error; err != nil {
			return err
		}
	}
	return nil
}

// demoVariants gives a service one bookable unit and goods two pack sizes.
func demoVariants(i int, r DemoProduct) []catalog.VariantInput {
	var base int64
	for _, bp := range demoBasePrice {
		if strings.HasPrefix(r.GroupCode, bp.prefix) {
			base = bp.price
			break
		}
	}
	base += int64(i%5) * 10_000
	sku := fmt.Sprintf("DEMO-%03d", i+1)
	switch {
	case strings.HasPrefix(r.GroupCode, "VI"):
		return []catalog.VariantInput{{SKU: sku + "-VE", Name: "Vé tham quan", Price: base, Stock: 500}}
	case strings.HasPrefix(r.GroupCode, "II.1"):
		return []catalog.VariantInput{
			{SKU: sku + "-500ML", Name: "Chai 500 ml", Price: base, Stock: 60, WeightGrams: 900},
			{SKU: sku + "-2L", Name: "Bình 2 lít", Price: base * 35 / 10, Stock: 15, WeightGrams: 2600},
		}
	}
	return []catalog.VariantInput{
		{SKU: sku + "-500G", Name: "Gói 500 g", Price: base, Stock: 40 + int64(i%7)*5, WeightGrams: 500},
		{SKU: sku + "-1KG", Name: "Hộp 1 kg", Price: base * 19 / 10, Stock: 20, WeightGrams: 1000},
	}
}
