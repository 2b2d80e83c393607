// Package statstest gives statistics tests their data and their answers:
// Fill adds a generated national catalogue (seed.Scale, with expired,
// revoked and superseded certificates) and orders in every state to a
// seeded database; Count works the figures out again from the rows, in Go,
// with Certificate.StatusOn, without the queries under test.
package statstest

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed"
)

// ScaleProducts is how many products Fill generates (two per producer,
// over the 34 provinces).
const ScaleProducts = 300

// Fill adds the generated catalogue and orders to g, which holds the
// reference and demo data. Orders are spread over the last 14 months and
// every status, so the 12-month window and the sold statuses both matter.
func Fill(t testing.TB, g *gorm.DB, today day.Date) {
	t.Helper()
	ctx := context.Background()
	if err := seed.Scale(ctx, g, ScaleProducts, io.Discard); err != nil {
		t.Fatalf("statstest: scale: %v", err)
	}
	// Certificates that test the counting rules: a product holding two valid
	// certificates at once (an older 3★ never superseded beside its 4★)
	// counts once at 4★; a historic import with no listing is a product of
	// its own; an import no second officer has confirmed counts nowhere.
	var fours []registry.Certificate
	if err := g.Where("code LIKE ? AND stars = ?", "SCALE0%", 4).Order("id").Limit(6).Find(&fours).Error; err != nil || len(fours) < 6 {
		t.Fatalf("statstest: 4-star certificates: %d, %v", len(fours), err)
	}
	for i, c := range fours {
		extra := c
		extra.ID, extra.Code, extra.Number = 0, fmt.Sprintf("STATSX%04d", i), fmt.Sprintf("DEMO-STATS-%04d", i)
		extra.Stars, extra.RevokedOn, extra.SupersededOn, extra.SupersededByID = 3, day.Date{}, day.Date{}, nil
		extra.DecisionDate, extra.ValidFrom = c.ValidFrom.AddDays(-30), c.ValidFrom.AddDays(-30)
		extra.ValidUntil = registry.ValidUntilFor(extra.ValidFrom)
		switch i {
		case 3:
			extra.ProductID = nil // a historic import with no listing
		case 4:
			extra.ProductID, extra.ImportPending = nil, true
		}
		if err := g.Create(&extra).Error; err != nil {
			t.Fatalf("statstest: certificate: %v", err)
		}
	}
	shopper, err := account.NewService(g, nil).UserByEmail(ctx, "shopper@example.com")
	if err != nil {
		t.Fatalf("statstest: buyer: %v", err)
	}
	buyer := shopper.ID
	var ps []producer.Producer
	if err := g.Where("status = ?", producer.StatusApproved).Order("id").Find(&ps).Error; err != nil {
		t.Fatal(err)
	}
	statuses := []order.Status{order.StatusPaid, order.StatusDelivered, order.StatusRefunded, order.StatusShipped, order.StatusCancelled,
		order.StatusConfirmed, order.StatusPending, order.StatusPacked, order.StatusExpired}
	noon := time.Date(today.Time().Year(), today.Time().Month(), today.Time().Day(), 12, 0, 0, 0, day.Zone)
	for i := 0; i < 120; i++ {
		p := ps[(i*7)%len(ps)]
		st := statuses[i%len(statuses)]
		paid := noon.AddDate(0, 0, -(i*37)%430).UTC() // up to 14 months back
		grp := order.Group{Code: fmt.Sprintf("STATS-G%04d", i), UserID: buyer, Status: order.GroupPaid, PaymentMethod: order.MethodVietQR,
			ItemsTotal: int64(100_000 + i*1_000), Total: int64(130_000 + i*1_000), ShippingTotal: 30_000, RecipientName: "Người mua (demo)",
			Phone: "0900000000", ProvinceCode: "01", CommuneCode: p.CommuneCode, Street: "demo", ExpiresAt: paid, CreatedAt: paid, UpdatedAt: paid}
		if st == order.StatusPending || st == order.StatusCancelled || st == order.StatusExpired {
			grp.Status = order.GroupPending
		} else {
			grp.PaidAt = &paid
		}
		if err := g.Omit("Orders").Create(&grp).Error; err != nil {
			t.Fatalf("statstest: group: %v", err)
		}
		o := order.Order{Code: fmt.Sprintf("STATS-O%04d", i), GroupID: grp.ID, ProducerID: p.ID, Status: st, ItemsTotal: grp.ItemsTotal,
			Shipping: 30_000, Total: grp.Total, CommissionBP: 500, Commission: grp.ItemsTotal / 20, CreatedAt: paid, UpdatedAt: paid}
		if err := g.Omit("Items", "Events").Create(&o).Error; err != nil {
			t.Fatalf("statstest: order: %v", err)
		}
	}
}

// Figures are the counts a test expects, keyed as the API keys them.
type Figures struct {
	Products       int64
	ByStars        map[string]int64 // "3" → n
	ByGroup        map[string]int64 // "I" → n
	ByPlace        map[string]int64 // province or commune code → n
	ByYear         map[string]int64
	Trend          map[string]int64
	Owners         map[string]int64 // kind → n
	Expiring       map[string]int64 // "2027-03" → n
	ListedProducts int64
	Sellers        int64
	Orders         map[string]int64 // month → n
	Sales          map[string]int64 // month → đồng
	PlaceSales     map[string]int64 // place → đồng
}

// Count works out every figure for province and commune ("" = all) on
// today from the rows, one by one.
func Count(t testing.TB, g *gorm.DB, province, commune string, today day.Date) Figures {
	t.Helper()
	f := Figures{ByStars: map[string]int64{}, ByGroup: map[string]int64{}, ByPlace: map[string]int64{}, ByYear: map[string]int64{},
		Trend: map[string]int64{}, Owners: map[string]int64{}, Expiring: map[string]int64{}, Orders: map[string]int64{},
		Sales: map[string]int64{}, PlaceSales: map[string]int64{}}
	var certs []registry.Certificate
	if err := g.Find(&certs).Error; err != nil {
		t.Fatal(err)
	}
	in := func(c registry.Certificate) bool {
		return (province == "" || c.ProvinceCode == province) && (commune == "" || (c.CommuneCode != nil && *c.CommuneCode == commune))
	}
	place := func(c registry.Certificate) string {
		if province == "" {
			return c.ProvinceCode
		}
		if c.CommuneCode == nil {
			return ""
		}
		return *c.CommuneCode
	}
	current := currentOn(certs, today, in)
	owners := map[int64]bool{}
	for _, c := range current {
		f.Products++
		f.ByStars[strconv.Itoa(c.Stars)]++
		top, _, _ := strings.Cut(c.GroupCode, ".")
		f.ByGroup[top]++
		f.ByPlace[place(c)]++
		f.ByYear[strconv.Itoa(c.DecisionDate.Time().Year())]++
	}
	last := day.New(today.Time().Year(), today.Time().Month(), 1).AddMonths(12).AddDays(-1)
	first := 0
	for _, c := range certs {
		if c.ImportPending || !in(c) {
			continue
		}
		if y := c.DecisionDate.Time().Year(); first == 0 || y < first {
			first = y
		}
		if c.StatusOn(today) == registry.CertActive {
			owners[c.ProducerID] = true
			if !c.ValidUntil.After(last) {
				f.Expiring[c.ValidUntil.String()[:7]]++
			}
		}
	}
	for y := max(first, registry.FirstYear); first != 0 && y <= today.Time().Year(); y++ {
		on := day.New(y, 12, 31)
		if y == today.Time().Year() {
			on = today
		}
		f.Trend[strconv.Itoa(y)] = int64(len(currentOn(certs, on, in)))
	}
	var ps []producer.Producer
	if err := g.Find(&ps).Error; err != nil {
		t.Fatal(err)
	}
	byID := map[int64]producer.Producer{}
	for _, p := range ps {
		byID[p.ID] = p
		if owners[p.ID] {
			f.Owners[string(p.Kind)]++
		}
	}
	pin := func(p producer.Producer) bool {
		return (province == "" || p.ProvinceCode == province) && (commune == "" || p.CommuneCode == commune)
	}
	var products []catalog.Product
	if err := g.Where("status = ?", catalog.StatusPublished).Find(&products).Error; err != nil {
		t.Fatal(err)
	}
	sellers := map[int64]bool{}
	for _, p := range products {
		if pr := byID[p.ProducerID]; pr.Status == producer.StatusApproved && pin(pr) {
			f.ListedProducts++
			sellers[p.ProducerID] = true
		}
	}
	f.Sellers = int64(len(sellers))
	var orders []order.Order
	if err := g.Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	var groups []order.Group
	if err := g.Find(&groups).Error; err != nil {
		t.Fatal(err)
	}
	paidAt := map[int64]*time.Time{}
	for _, gr := range groups {
		paidAt[gr.ID] = gr.PaidAt
	}
	from := day.New(today.Time().Year(), today.Time().Month(), 1).AddMonths(-11).String()[:7]
	to := today.String()[:7]
	for _, o := range orders {
		pr := byID[o.ProducerID]
		at := paidAt[o.GroupID]
		switch o.Status {
		case order.StatusPaid, order.StatusConfirmed, order.StatusPacked, order.StatusShipped, order.StatusDelivered:
		default:
			continue
		}
		if at == nil || !pin(pr) {
			continue
		}
		m := at.In(day.Zone).Format("2006-01")
		if m < from || m > to {
			continue
		}
		f.Orders[m]++
		f.Sales[m] += o.ItemsTotal
		pl := pr.ProvinceCode
		if province != "" {
			pl = pr.CommuneCode
		}
		f.PlaceSales[pl] += o.ItemsTotal
	}
	return f
}

// currentOn is, per product, the certificate it counts at on d: of those
// active on d (StatusOn) and in scope, the most stars, then the latest
// decision, then the latest id.
func currentOn(certs []registry.Certificate, d day.Date, in func(registry.Certificate) bool) map[int64]registry.Certificate {
	out := map[int64]registry.Certificate{}
	sorted := append([]registry.Certificate(nil), certs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, c := range sorted {
		if c.StatusOn(d) != registry.CertActive || !in(c) {
			continue
		}
		key := -c.ID
		if c.ProductID != nil {
			key = *c.ProductID
		}
		b, ok := out[key]
		if !ok || c.Stars > b.Stars || (c.Stars == b.Stars && !c.DecisionDate.Before(b.DecisionDate)) {
			out[key] = c
		}
	}
	return out
}

// Stars is how many products count at the stars a CSV row names ("★★★").
func (f Figures) Stars(label string) int {
	return int(f.ByStars[strconv.Itoa(len([]rune(label)))])
}
