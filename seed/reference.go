package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
)

// unitsEffective is when the two-level units of Decision 19/2025/QĐ-TTg took effect.
var unitsEffective = day.New(2025, 7, 1)

type unitJSON struct {
	Code, Name, NameEn, FullName, FullNameEn, CodeName string
	Wards                                              []unitJSON
}

// Reference loads provinces, communes, banks, product groups and the
// registry's issuing authorities (one per province, one central). Rows that
// exist already are left alone, so it is safe to run at every start.
func Reference(ctx context.Context, g *gorm.DB) error {
	return g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		authorities := func(tx *gorm.DB) error { return registry.EnsureAuthorities(ctx, tx) }
		for _, step := range []func(*gorm.DB) error{loadUnits, loadBanks, loadGroups, authorities} {
			if err := step(tx); err != nil {
				return err
			}
		}
		return nil
	})
}

func loadUnits(tx *gorm.DB) error {
	raw, err := files.ReadFile("vn-admin-units.json")
	if err != nil {
		return err
	}
	var units []unitJSON
	if err := json.Unmarshal(raw, &units); err != nil {
		return fmt.Errorf("seed: vn-admin-units.json: %w", err)
	}
	var provinces []region.Province
	var communes []region.Commune
	for _, p := range units {
		provinces = append(provinces, region.Province{
			Code: p.Code, Name: p.Name, NameEn: p.NameEn, FullName: p.FullName, FullNameEn: p.FullNameEn,
			Slug: text.Slug(p.Name),
		})
		for _, w := range p.Wards {
			communes = append(communes, region.Commune{
				Code: w.Code, ProvinceCode: p.Code, Name: w.Name, NameEn: w.NameEn,
				FullName: upperFirst(w.FullName), FullNameEn: w.FullNameEn,
				NameFolded: text.Fold(w.Name), EffectiveFrom: unitsEffective,
			})
		}
	}
	ignore := clause.OnConflict{DoNothing: true}
	if err := tx.Clauses(ignore).CreateInBatches(provinces, 100).Error; err != nil {
		return fmt.Errorf("seed: provinces: %w", err)
	}
	if err := tx.Clauses(ignore).CreateInBatches(communes, 500).Error; err != nil {
		return fmt.Errorf("seed: communes: %w", err)
	}
	return nil
}

// upperFirst fixes the few source names that start with a lower-case "xã".
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func loadBanks(tx *gorm.DB) error {
	rows, err := readCSV("vn-bank-bins.csv")
	if err != nil {
		return err
	}
	banks := make([]region.Bank, 0, len(rows))
	for _, r := range rows {
		banks = append(banks, region.Bank{BIN: r["bin"], ShortName: r["short_name"], Name: r["name_vi"]})
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&banks).Error
}

func loadGroups(tx *gorm.DB) error {
	rows, err := readCSV("product-groups.csv")
	if err != nil {
		return err
	}
	// Parents come before children in the file, so inserting in order keeps the foreign key happy.
	for i, r := range rows {
		grp := catalog.Group{
			Code: r["code"], Level: strings.Count(r["code"], ".") + 1,
			Name: r["name"], NameEn: r["name_en"],
			IsService: r["service"] == "true", AdultOnly: r["adult_only"] == "true", Position: i,
		}
		if p := r["parent"]; p != "" {
			grp.ParentCode = &p
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&grp).Error; err != nil {
			return fmt.Errorf("seed: product group %s: %w", grp.Code, err)
		}
	}
	return nil
}
