package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

// DemoPassword is the password of every demo account. Demo accounts exist
// only where `seed --demo` ran; production never runs it by itself.
const DemoPassword = "ocop-demo"

// DemoAccount describes one demo user, for the README and the tests.
type DemoAccount struct {
	Email    string
	Name     string
	Role     account.Role
	Level    account.OfficerLevel
	Province string // officer's province code
	Commune  string // a commune officer's commune, by full name ("Xã Chi Lăng")
	Producer string // slug of the producer a producer user belongs to
}

// DemoAccounts are created by Demo: one per role, plus a second producer and
// an officer of another province so that scoping can be tried by hand.
var DemoAccounts = []DemoAccount{
	{Email: "admin@example.com", Name: "Quản trị viên", Role: account.RoleAdmin},
	{Email: "officer@example.com", Name: "Cán bộ Sở NN&MT Lạng Sơn", Role: account.RoleOfficer, Level: account.LevelProvince, Province: region.LangSon},
	{Email: "central@example.com", Name: "Cán bộ Bộ NN&MT", Role: account.RoleOfficer, Level: account.LevelCentral},
	{Email: "commune@example.com", Name: "Cán bộ UBND xã Chi Lăng", Role: account.RoleOfficer, Level: account.LevelCommune, Province: region.LangSon, Commune: "Xã Chi Lăng"},
	{Email: "officer.hanoi@example.com", Name: "Cán bộ Sở NN&MT Hà Nội", Role: account.RoleOfficer, Level: account.LevelProvince, Province: "01"},
	{Email: "producer@example.com", Name: "Nguyễn Văn Bành", Role: account.RoleProducer, Producer: "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh"},
	{Email: "producer2@example.com", Name: "Trần Diệu Hương", Role: account.RoleProducer, Producer: "hkd-tran-dieu-huong"},
	{Email: "shopper@example.com", Name: "Lê Thị Mua", Role: account.RoleShopper},
}

// DemoProduct is one row of langson-ocop-products.csv with the demo producer it is listed under.
type DemoProduct struct {
	Name         string
	Stars        int // 0 where no OCOP rating is known
	RatedYear    int
	GroupCode    string
	CommuneName  string
	Shippable    bool
	Note         string
	ProducerSlug string
}

// demoProducer is a producer built from the product list.
type demoProducer struct {
	Slug, LegalName, CommuneName string
	Kind                         producer.Kind
}

// DemoProducts reads the Lạng Sơn product list and assigns each product a
// producer: the owner the sources name, or a demo owner named after the
// product where the sources name none.
func DemoProducts() ([]DemoProduct, error) {
	_, products, err := demoRows()
	return products, err
}

func demoRows() ([]demoProducer, []DemoProduct, error) {
	rows, err := readCSV("langson-ocop-products.csv")
	if err != nil {
		return nil, nil, err
	}
	var producers []demoProducer
	seen := map[string]bool{}
	var products []DemoProduct
	for _, r := range rows {
		owner, kind := r["owner"], producer.Kind(r["owner_type"])
		if owner == "" {
			owner = "Cơ sở sản xuất " + r["product"] + " (demo)"
		}
		if kind == "" {
			kind = producer.KindHousehold
		}
		slug := text.Slug(owner)
		if !seen[slug] {
			seen[slug] = true
			producers = append(producers, demoProducer{Slug: slug, LegalName: owner, CommuneName: r["commune_2025"], Kind: kind})
		}
		p := DemoProduct{Name: r["product"], GroupCode: r["category_148"], CommuneName: r["commune_2025"],
			Shippable: r["shippable"] == "true", Note: r["note"], ProducerSlug: slug}
		fmt.Sscan(r["stars"], &p.Stars)
		fmt.Sscan(r["rated_year"], &p.RatedYear)
		products = append(products, p)
	}
	return producers, products, nil
}

// CommuneCode finds a Lạng Sơn commune by its full name ("Xã Chi Lăng").
func CommuneCode(ctx context.Context, g *gorm.DB, fullName string) (string, error) {
	var c region.Commune
	err := g.WithContext(ctx).Where("province_code = ? AND full_name = ?", region.LangSon, upperFirst(fullName)).Take(&c).Error
	if err != nil {
		return "", fmt.Errorf("seed: commune %q: %w", fullName, err)
	}
	return c.Code, nil
}

// Demo writes the demo producers and accounts. It does nothing when the demo
// admin exists already, so running it twice is harmless.
func Demo(ctx context.Context, g *gorm.DB, accounts *account.Service) error {
	if _, err := accounts.UserByEmail(ctx, DemoAccounts[0].Email); err == nil {
		return nil
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	producers, _, err := demoRows()
	if err != nil {
		return err
	}
	store := producer.NewStore(g)
	ids := map[string]int64{}
	now := time.Now().UTC()
	for _, dp := range producers {
		code, err := CommuneCode(ctx, g, dp.CommuneName)
		if err != nil {
			return err
		}
		p := producer.Producer{
			Slug: dp.Slug, Kind: dp.Kind, LegalName: dp.LegalName, NameFolded: text.Fold(dp.LegalName),
			ProvinceCode: region.LangSon, CommuneCode: code,
			Email:  dp.Slug + "@example.com",
			Story:  "Hồ sơ mẫu (demo) của " + dp.LegalName + ", một chủ thể OCOP của tỉnh Lạng Sơn.",
			Status: producer.StatusApproved, IsDemo: true, ApprovedAt: &now,
			// Demo payout account at Agribank; the number is visibly fake.
			BankBIN: "970405", BankAccount: "000000" + fmt.Sprintf("%04d", len(ids)+1), BankHolder: text.ASCII(dp.LegalName),
		}
		if err := store.Create(ctx, &p); err != nil {
			return fmt.Errorf("seed: producer %s: %w", dp.Slug, err)
		}
		ids[dp.Slug] = p.ID
	}
	for _, a := range DemoAccounts {
		commune := ""
		if a.Commune != "" {
			if commune, err = CommuneCode(ctx, g, a.Commune); err != nil {
				return err
			}
		}
		u, err := accounts.Create(ctx, account.NewUser{Email: a.Email, Name: a.Name, Password: DemoPassword, Role: a.Role,
			OfficerLevel: a.Level, OfficerProvinceCode: a.Province, OfficerCommuneCode: commune})
		if err != nil {
			return fmt.Errorf("seed: account %s: %w", a.Email, err)
		}
		if a.Producer != "" {
			id, ok := ids[a.Producer]
			if !ok {
				return fmt.Errorf("seed: account %s: no demo producer %q", a.Email, a.Producer)
			}
			if err := store.AddMember(ctx, id, u.ID, "owner"); err != nil {
				return err
			}
		}
	}
	// Each area seeds its own demo data, in dependency order: products, then
	// the certificates that name them, then orders that buy them.
	for _, step := range []func(context.Context, *gorm.DB) error{demoCatalog, demoRegistry, demoOrders} {
		if err := step(ctx, g); err != nil {
			return err
		}
	}
	return nil
}
