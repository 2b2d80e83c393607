package main

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/seed"
)

// open opens the database a command wrote, for checks.
func open(t *testing.T, url string) *gorm.DB {
	t.Helper()
	g, err := db.Open(context.Background(), url, db.MaxConns(dbtest.MaxConns))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(g) }) // teardown of a throwaway database: nothing to recover
	return g
}

func TestSeedDemo(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		e := map[string]string{"OCOP_DATABASE_URL": url}
		out, err := ocop(t, e, "seed")
		if err != nil || !strings.Contains(out, "reference data loaded") {
			t.Fatalf("seed: %v\n%s", err, out)
		}
		g := open(t, url)
		var users, provinces int64
		g.Model(&account.User{}).Count(&users)
		g.Table("provinces").Count(&provinces)
		if users != 0 || provinces != 34 {
			t.Fatalf("after seed: %d users (want 0: no demo without --demo), %d provinces (want 34)", users, provinces)
		}
		for i := 0; i < 2; i++ { // twice: seeding is idempotent
			out, err = ocop(t, e, "seed", "--demo")
			if err != nil || !strings.Contains(out, "demo data loaded") || !strings.Contains(out, seed.DemoPassword) {
				t.Fatalf("seed --demo (run %d): %v\n%s", i+1, err, out)
			}
		}
		g.Model(&account.User{}).Count(&users)
		if users != int64(len(seed.DemoAccounts)) {
			t.Errorf("after seed --demo twice: %d users, want %d", users, len(seed.DemoAccounts))
		}
		if _, err := ocop(t, e, "seed", "extra"); err == nil {
			t.Error("seed accepted a stray argument")
		}
	})
}

func TestUserCreate(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		e := map[string]string{"OCOP_DATABASE_URL": url}
		if out, err := ocop(t, e, "seed", "--demo"); err != nil {
			t.Fatalf("seed: %v\n%s", err, out)
		}
		const slug = "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh"
		base := func(email, role string, extra ...string) []string {
			return append([]string{"user", "create", "--email", email, "--name", "Người Thử", "--password", "mat-khau-dai", "--role", role}, extra...)
		}
		cases := []struct {
			name    string
			args    []string
			errWant string // "" for success
		}{
			{"shopper", base("mua@example.com", "shopper"), ""},
			{"admin", base("qt@example.com", "admin"), ""},
			{"producer", base("sx@example.com", "producer", "--producer", slug), ""},
			{"provincial officer", base("cb@example.com", "officer", "--province", "20"), ""},
			{"central officer", base("tw@example.com", "officer", "--level", "central"), ""},
			{"commune officer", base("xa@example.com", "officer", "--level", "commune", "--province", "20", "--commune", "06184"), ""},
			{"commune officer without --commune", base("xa2@example.com", "officer", "--level", "commune", "--province", "20"), "--commune"},
			{"commune officer of another province's commune", base("xa3@example.com", "officer", "--level", "commune", "--province", "04", "--commune", "06184"), "--commune"},
			{"taken e-mail, officer", base("officer@example.com", "officer", "--province", "20"), "already has an account"},
			{"producer without --producer", base("sx2@example.com", "producer"), "--producer"},
			{"producer of an unknown producer", base("sx3@example.com", "producer", "--producer", "no-such-producer"), "no-such-producer"},
			{"officer without a province", base("cb2@example.com", "officer"), "--province"},
			{"officer of an unknown province", base("cb3@example.com", "officer", "--province", "99"), "--province"},
			{"officer of a bad level", base("cb4@example.com", "officer", "--level", "district"), "--level"},
			{"unknown role", base("x@example.com", "king"), "--role"},
			{"bad e-mail", base("not-an-email", "shopper"), "--email"},
			{"taken e-mail", base("admin@example.com", "shopper"), "already has an account"},
			{"short password", []string{"user", "create", "--email", "p@example.com", "--name", "P", "--password", "hunter2", "--role", "shopper"}, "--password"},
			{"no name", []string{"user", "create", "--email", "n@example.com", "--password", "mat-khau-dai", "--role", "shopper"}, "--name"},
			{"no action", []string{"user"}, "create"},
		}
		g := open(t, url)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var before int64
				g.Model(&account.User{}).Count(&before)
				out, err := ocop(t, e, tc.args...)
				if tc.errWant == "" {
					if err != nil {
						t.Fatalf("%v\n%s", err, out)
					}
					if !strings.Contains(out, "created") {
						t.Errorf("no confirmation: %s", out)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), tc.errWant) {
					t.Fatalf("error %v, want one naming %q", err, tc.errWant)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error shows the password: %v", err)
				}
				var after int64
				g.Model(&account.User{}).Count(&after)
				if after != before {
					t.Errorf("a failed user create wrote a user")
				}
			})
		}
		var u account.User
		if err := g.Where("email = ?", "sx@example.com").Take(&u).Error; err != nil {
			t.Fatal(err)
		}
		p, err := producer.NewStore(g).OfUser(context.Background(), u.ID)
		if err != nil || p.Slug != slug {
			t.Errorf("producer user is not a member of %s: %v %q", slug, err, p.Slug)
		}
		var cb account.User
		g.Where("email = ?", "cb@example.com").Take(&cb)
		if !cb.OfficerOf("20") || cb.OfficerOf("01") || cb.IsCentralOfficer() {
			t.Errorf("provincial officer scope wrong: %+v", cb)
		}
		var tw account.User
		g.Where("email = ?", "tw@example.com").Take(&tw)
		if !tw.IsCentralOfficer() {
			t.Errorf("central officer is not central: %+v", tw)
		}
		var xa account.User
		g.Where("email = ?", "xa@example.com").Take(&xa)
		if xa.OfficerLevel != account.LevelCommune || xa.OfficerCommuneCode == nil || *xa.OfficerCommuneCode != "06184" {
			t.Errorf("commune officer scope wrong: %+v", xa)
		}
		// The command line is a door to the registry like the admin page:
		// each officer it made is in the audit log, by the command line.
		var entries []struct {
			Note       string
			ActorID    *int64
			ActorEmail string
		}
		g.Table("registry_audit").Where("action = ? AND outcome = ?", "officer.create", "ok").Order("id").Find(&entries)
		if len(entries) != 3 {
			t.Fatalf("%d officer.create entries, want 3 (provincial, central, commune): %+v", len(entries), entries)
		}
		for _, e := range entries {
			if e.ActorID != nil || e.ActorEmail != registry.CommandLine().Email {
				t.Errorf("entry %q by %v %q, want the command line", e.Note, e.ActorID, e.ActorEmail)
			}
		}
	})
}
