package seed_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/seed"
)

func TestReferenceAndDemoAreIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		accounts := account.NewService(g, nil)
		for i := 0; i < 2; i++ {
			if err := seed.Reference(ctx, g); err != nil {
				t.Fatalf("reference run %d: %v", i+1, err)
			}
			if err := seed.Demo(ctx, g, accounts); err != nil {
				t.Fatalf("demo run %d: %v", i+1, err)
			}
		}
		var provinces, langSon, users int64
		g.Model(&region.Province{}).Count(&provinces)
		g.Model(&region.Commune{}).Where("province_code = ?", region.LangSon).Count(&langSon)
		g.Model(&account.User{}).Count(&users)
		if provinces != 34 || langSon != 65 {
			t.Errorf("got %d provinces and %d Lạng Sơn communes, want 34 and 65", provinces, langSon)
		}
		if int(users) != len(seed.DemoAccounts) {
			t.Errorf("got %d users after two demo runs, want %d", users, len(seed.DemoAccounts))
		}
		var lower int64
		g.Model(&region.Commune{}).Where("substr(full_name, 1, 1) = ?", "x").Count(&lower)
		if lower != 0 {
			t.Errorf("%d commune names still start with a lower-case xã", lower)
		}
		u, err := accounts.Authenticate(ctx, "producer@example.com", seed.DemoPassword, "test")
		if err != nil {
			t.Fatalf("demo producer cannot sign in: %v", err)
		}
		p, err := producer.NewStore(g).OfUser(ctx, u.ID)
		if err != nil || p.CommuneCode == "" || p.ProvinceCode != region.LangSon {
			t.Fatalf("demo producer membership: %+v, %v", p, err)
		}
	})
}
