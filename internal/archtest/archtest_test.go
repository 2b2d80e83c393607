package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// owner says which area owns each table. A new table goes here with its
// area (TestEveryTableHasAnOwner fails until it does). It is the same
// table as scripts/archmetrics.py's, which measures what this test holds at zero.
var owner = map[string][]string{
	"account":  {"users", "sessions", "api_tokens"},
	"region":   {"provinces", "communes", "banks"},
	"producer": {"producers", "producer_members"},
	"catalog":  {"product_groups", "products", "variants", "photos"},
	"registry": {"certificates", "registry_decisions", "registry_applications", "registry_documents", "registry_score_sheets",
		"registry_expiries", "registry_audit", "registry_authorities", "registry_imports", "registry_revocation_proposals", "registry_bulk_imports", "registry_bulk_rows"},
	"order":   {"carts", "cart_items", "order_groups", "orders", "order_items", "order_events", "shipping_rates", "shopper_addresses"},
	"review":  {"reviews", "review_photos", "review_stats", "review_audit"},
	"payment": {"webhook_events", "payment_issues", "payment_audit", "payouts", "ledger_entries", "provider_calls", "platform_settings"},
	"notify":  {"notifications", "notification_prefs"},
	"stats":   {"stats_snapshots"},
	// The job engine (internal/platform/jobs): its audit log and River's own
	// tables (migration 60), which only River's client touches.
	"webhook": {"webhook_endpoints", "webhook_audit"},
	"jobs":    {"job_audit", "river_job", "river_leader", "river_migration", "river_queue", "river_notification", "river_client", "river_client_queue"},
}

// sqlRef finds SQL-looking mentions of a table: after FROM, JOIN, UPDATE,
// INTO or TABLE, or in GORM's Table("..."). Comments count too: a comment
// that names another area's table is usually a query that moved.
var sqlRef = regexp.MustCompile(`(?i)\b(?:from|join|update|into|table)\s+"?([a-z_]+)"?|Table\("([a-z_]+)"\)`)

const root = ".." // internal/

// areaOf is the area of a file under internal/: its first directory when
// that is an area, "web" for the web layer (which owns no table), else "".
func areaOf(rel string) string {
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	if first == "web" {
		return "web"
	}
	if _, ok := owner[first]; ok {
		return first
	}
	return ""
}

// goFiles lists the non-test Go files under internal/, relative to it.
func goFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNoAreaNamesAnotherAreasTable: an area asks another area's service or
// store for what it needs; it never names that area's tables in SQL.
func TestNoAreaNamesAnotherAreasTable(t *testing.T) {
	tableOwner := map[string]string{}
	for a, ts := range owner {
		for _, tb := range ts {
			tableOwner[tb] = a
		}
	}
	var refs []string
	for _, rel := range goFiles(t) {
		a := areaOf(rel)
		if a == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range sqlRef.FindAllStringSubmatch(line, -1) {
				tb := m[1] + m[2]
				if o, ok := tableOwner[tb]; ok && o != a {
					refs = append(refs, "internal/"+filepath.ToSlash(rel)+":"+strconv.Itoa(i+1)+": "+a+" names "+o+"'s table "+tb)
				}
			}
		}
	}
	if len(refs) > 0 {
		t.Errorf("%d cross-area table references (ask the owning area's service or store instead):\n%s", len(refs), strings.Join(refs, "\n"))
	}
}

// TestEveryTableHasAnOwner: every table the migrations create is in owner,
// so that the test above covers it.
func TestEveryTableHasAnOwner(t *testing.T) {
	known := map[string]bool{}
	for _, ts := range owner {
		for _, tb := range ts {
			known[tb] = true
		}
	}
	// Statements of the up parts in order: SQLite rebuilds a table by
	// creating x_new, dropping x and renaming x_new to x.
	create := regexp.MustCompile(`(?i)create\s+table\s+(?:if\s+not\s+exists\s+)?"?([a-z_]+)"?`)
	drop := regexp.MustCompile(`(?i)drop\s+table\s+(?:if\s+exists\s+)?"?([a-z_]+)"?`)
	rename := regexp.MustCompile(`(?i)alter\s+table\s+"?([a-z_]+)"?\s+rename\s+to\s+"?([a-z_]+)"?`)
	for _, dialect := range []string{"postgres", "sqlite"} {
		files, err := filepath.Glob(filepath.Join(root, "..", "migrations", dialect, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no migrations for %s (%v)", dialect, err)
		}
		tables := map[string]string{} // table → the migration that created it
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			up, _, _ := strings.Cut(string(b), "-- +goose Down")
			for _, stmt := range strings.Split(up, ";") {
				if m := create.FindStringSubmatch(stmt); m != nil {
					tables[m[1]] = filepath.Base(f)
				}
				if m := drop.FindStringSubmatch(stmt); m != nil {
					delete(tables, m[1])
				}
				if m := rename.FindStringSubmatch(stmt); m != nil {
					tables[m[2]] = tables[m[1]]
					delete(tables, m[1])
				}
			}
		}
		for tb, f := range tables {
			if !known[tb] {
				t.Errorf("%s/%s creates table %s, which no area owns: add it to owner", dialect, f, tb)
			}
		}
	}
}

// TestAreasImportWithoutCycle: the areas' imports form no cycle, however
// long. (Go forbids cycles between packages; this also forbids them
// between areas, e.g. catalog → registry → catalog/grouptree.)
func TestAreasImportWithoutCycle(t *testing.T) {
	const module = "github.com/chocop/ocop/internal/"
	deps := map[string]map[string]bool{}
	fset := token.NewFileSet()
	for _, rel := range goFiles(t) {
		a := areaOf(rel)
		if a == "" || a == "web" {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(root, rel), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if b := areaOf(strings.TrimPrefix(path, module)); strings.HasPrefix(path, module) && b != "" && b != a {
				if deps[a] == nil {
					deps[a] = map[string]bool{}
				}
				deps[a][b] = true
			}
		}
	}
	// Depth-first search; a grey node met again closes a cycle.
	const (
		white = iota
		grey
		black
	)
	colour := map[string]int{}
	var stack []string
	var visit func(a string)
	visit = func(a string) {
		colour[a] = grey
		stack = append(stack, a)
		next := make([]string, 0, len(deps[a]))
		for b := range deps[a] {
			next = append(next, b)
		}
		sort.Strings(next)
		for _, b := range next {
			switch colour[b] {
			case grey:
				i := slices.Index(stack, b)
				t.Errorf("areas import in a cycle: %s → %s", strings.Join(stack[i:], " → "), b)
			case white:
				visit(b)
			}
		}
		stack = stack[:len(stack)-1]
		colour[a] = black
	}
	areas := make([]string, 0, len(owner))
	for a := range owner {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	for _, a := range areas {
		if colour[a] == white {
			visit(a)
		}
	}
}
