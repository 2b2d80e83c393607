package review_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/seed"
)

// reviewedDB is a database with the generated catalogue of products
// products, perProduct visible reviews of each of the first cards of them
// (one per order line, as the schema holds), one in ten hidden, and the
// kept aggregates written as the service writes them. It returns the ids
// of the reviewed products: a page of cards.
func reviewedDB(b *testing.B, products, cards, perProduct int) (*gorm.DB, []int64) {
	b.Helper()
	var g *gorm.DB
	if os.Getenv("OCOP_TEST_POSTGRES_URL") != "" {
		g = dbtest.Postgres(b)
	} else {
		g = dbtest.SQLite(b)
	}
	ctx := context.Background()
	must(b, seed.Reference(ctx, g))
	must(b, seed.Scale(ctx, g, products, io.Discard))
	now := time.Now().UTC()
	u := account.User{Email: "bench@example.com", Name: "Bench", PasswordHash: "x", Role: account.RoleShopper, CreatedAt: now, UpdatedAt: now}
	must(b, g.Create(&u).Error)
	var vs []catalog.Variant
	must(b, g.Order("product_id, id").Limit(cards*3).Find(&vs).Error)
	var ids []int64
	seen := map[int64]bool{}
	for _, v := range vs {
		if !seen[v.ProductID] && len(ids) < cards {
			seen[v.ProductID] = true
			ids = append(ids, v.ProductID)
			reviewsOf(b, g, u.ID, v, perProduct, now)
		}
	}
	g.Exec("ANALYZE")
	return g, ids
}

// reviewsOf writes n reviews of v's product, each on an order line of its own.
func reviewsOf(b *testing.B, g *gorm.DB, userID int64, v catalog.Variant, n int, now time.Time) {
	var commune string
	must(b, g.Table("communes").Where("province_code = ?", "20").Limit(1).Pluck("code", &commune).Error)
	grp := order.Group{Code: fmt.Sprintf("DHB%d", v.ID), UserID: userID, Status: order.GroupPaid, PaymentMethod: order.MethodVietQR,
		ItemsTotal: 1000, Total: 1000, RecipientName: "B", Phone: "0912345678", ProvinceCode: "20", CommuneCode: commune, Street: "x", ExpiresAt: now, CreatedAt: now, UpdatedAt: now}
	must(b, g.Create(&grp).Error)
	o := order.Order{Code: grp.Code + "-1", GroupID: grp.ID, ProducerID: v.ProducerID, Status: order.StatusDelivered, ItemsTotal: 1000, Total: 1000, CreatedAt: now, UpdatedAt: now}
	must(b, g.Create(&o).Error)
	items := make([]order.Item, n)
	for i := range items {
		items[i] = order.Item{OrderID: o.ID, VariantID: v.ID, ProductName: "p", VariantName: "v", SKU: "s", UnitPrice: 1000, Quantity: 1}
	}
	must(b, g.CreateInBatches(&items, 500).Error)
	rs := make([]review.Review, n)
	var count, sum int64
	for i := range rs {
		rs[i] = review.Review{Code: fmt.Sprintf("RVB%d-%d", v.ID, i), ProductID: v.ProductID, ProducerID: v.ProducerID, OrderItemID: items[i].ID,
			UserID: userID, AuthorName: "B", Rating: 1 + i%5, CreatedAt: now}
		if i%10 == 9 {
			rs[i].HiddenAt, rs[i].HiddenReason = &now, "spam"
			continue
		}
		count, sum = count+1, sum+int64(rs[i].Rating)
	}
	must(b, g.CreateInBatches(&rs, 500).Error)
	must(b, g.Create(&review.Stats{ProductID: v.ProductID, ReviewCount: count, RatingSum: sum}).Error)
}

// BenchmarkCardAverages compares the two ways a page of 24 cards gets its
// averages: the aggregate kept on write (review_stats, by primary key) and
// a GROUP BY over the reviews (the partial index on product_id, id). Run:
// go test -bench CardAverages -run '^$' ./internal/review/
func BenchmarkCardAverages(b *testing.B) {
	for _, per := range []int{20, 500} {
		g, ids := reviewedDB(b, 200, 24, per)
		svc := review.NewService(g, nil, catalog.NewService(g, nil))
		ctx := context.Background()
		kept, err := svc.Summaries(ctx, ids)
		must(b, err)
		counted, err := svc.SummariesByQuery(ctx, ids)
		must(b, err)
		for _, id := range ids {
			if kept[id] != counted[id] || kept[id].Count != int64(per-per/10) {
				b.Fatalf("product %d: kept %+v, counted %+v", id, kept[id], counted[id])
			}
		}
		b.Run(fmt.Sprintf("kept/%d-per-product", per), func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Summaries(ctx, ids); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("group-by/%d-per-product", per), func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.SummariesByQuery(ctx, ids); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
