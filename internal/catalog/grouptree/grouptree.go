// Package grouptree answers questions about the Decision 148 product-group
// tree (I → I.3 → I.3.c) that more than one area must answer the same way.
// It is the catalog's table, read here so that the registry, which the
// catalog itself depends on, can ask without an import cycle.
package grouptree

import (
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Node is one group of the tree.
type Node struct {
	Code   string
	Name   string
	NameEn string
	Level  int
}

// leafSQL selects the groups that have no sub-group. A group without
// sub-groups is a leaf whatever its depth: I.6 (coffee, cocoa), III.1, VI.
const leafSQL = "NOT EXISTS (SELECT 1 FROM product_groups AS sub WHERE sub.parent_code = product_groups.code)"

// RequireLeaf is the rule every door applies before a product, an
// application or an imported certificate takes a group: code must name a
// leaf of the tree (I.3.c, I.6), never a branch (I, I.3), which is too
// broad to say what was evaluated or sold. The error is a validation error
// on field whose message key is also its reason ("catalog.group_unknown" or
// "catalog.group_not_leaf"). g may be a transaction.
func RequireLeaf(g *gorm.DB, field, code string) error {
	if !wellFormed(code) { // never send NUL or invalid UTF-8 to the database
		return because(field, "catalog.group_unknown")
	}
	var rows []struct{ Leaf int }
	err := g.Table("product_groups").Select("CASE WHEN "+leafSQL+" THEN 1 ELSE 0 END AS leaf").
		Where("code = ?", code).Limit(1).Scan(&rows).Error
	switch {
	case err != nil:
		return err
	case len(rows) == 0:
		return because(field, "catalog.group_unknown")
	case rows[0].Leaf == 0:
		return because(field, "catalog.group_not_leaf")
	}
	return nil
}

// Leaves lists the leaf groups in the tree's order, for the forms that
// offer a group to choose.
func Leaves(g *gorm.DB) ([]Node, error) {
	var out []Node
	err := g.Table("product_groups").Select("code, name, name_en, level").Where(leafSQL).Order("position, code").Scan(&out).Error
	return out, err
}

// wellFormed reports whether code has the shape of a group code: a Roman
// numeral, then optionally ".<number>" and ".<letter>" (I, I.3, I.3.c).
func wellFormed(code string) bool {
	if len(code) == 0 || len(code) > 12 {
		return false
	}
	for _, r := range code {
		if !(r == 'I' || r == 'V' || r == 'X' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

func because(field, key string) error {
	return &errs.Reasoned{Err: errs.Invalid(field, key), Reason: key}
}
