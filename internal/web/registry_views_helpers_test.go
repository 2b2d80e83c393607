package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/platform/day"
	fold "github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// addCert records a certificate as a decision or an import would have, with
// defaults for what the test does not care about. Every test certificate
// goes through here, so a change of the certificate's shape is one edit.
func addCert(t *testing.T, app *webtest.App, c registry.Certificate) registry.Certificate {
	t.Helper()
	if c.Code == "" {
		c.Code = registry.NewCode()
	}
	if c.ProducerID == 0 {
		c.ProducerID, c.ProvinceCode = lsProducer(t, app)
	}
	if c.ProvinceCode == "" {
		c.ProvinceCode = "20"
	}
	if c.Number == "" {
		c.Number = "T-" + c.Code
	}
	if c.AuthorityLevel == "" {
		c.AuthorityLevel = registry.AuthorityProvince
	}
	if c.AuthorityName == "" {
		c.AuthorityName = "UBND Tỉnh Lạng Sơn"
	}
	if c.DecisionNo == "" {
		c.DecisionNo = "TEST/QĐ-UBND"
	}
	if c.DecisionDate.IsZero() {
		c.DecisionDate = day.Today().AddDays(-30)
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = c.DecisionDate
	}
	if c.ValidUntil.IsZero() {
		c.ValidUntil = registry.ValidUntilFor(c.ValidFrom)
	}
	if c.ProductName == "" {
		c.ProductName = "Sản phẩm thử " + c.Code
	}
	if c.GroupCode == "" {
		c.GroupCode = "I.3.c"
	}
	if c.Stars == 0 {
		c.Stars = 3
	}
	if c.Score == 0 {
		c.Score = map[int]float64{3: 60, 4: 75, 5: 92}[c.Stars]
	}
	if c.CriteriaVersion == "" {
		c.CriteriaVersion = registry.Criteria148
	}
	if c.OwnerName == "" {
		c.OwnerName = "Chủ thể thử"
	}
	if c.OwnerAddress == "" {
		c.OwnerAddress = "Xã thử, Tỉnh Lạng Sơn"
	}
	c.SearchFolded = fold.Fold(c.ProductName + " " + c.OwnerName + " " + c.DecisionNo)
	c.CreatedAt = time.Now().UTC()
	if err := app.DB.Create(&c).Error; err != nil {
		t.Fatalf("add certificate: %v", err)
	}
	return c
}

// lsProducer is a demo producer of Lạng Sơn (province 20).
func lsProducer(t *testing.T, app *webtest.App) (int64, string) {
	t.Helper()
	var p struct {
		ID           int64
		ProvinceCode string
	}
	if err := app.DB.Table("producers").Select("id, province_code").Where("province_code = ?", "20").Order("id").Limit(1).Scan(&p).Error; err != nil || p.ID == 0 {
		t.Fatalf("no producer in Lạng Sơn: %v", err)
	}
	return p.ID, p.ProvinceCode
}

// producerOfUser is the producer that the demo account email belongs to.
func producerOfUser(t *testing.T, app *webtest.App, email string) int64 {
	t.Helper()
	var id int64
	err := app.DB.Table("producer_members m").Select("m.producer_id").Joins("JOIN users u ON u.id = m.user_id").Where("u.email = ?", email).Scan(&id).Error
	if err != nil || id == 0 {
		t.Fatalf("producer of %s: %v", email, err)
	}
	return id
}

// hanoiProducer adds a producer in Hà Nội (province 01), which the demo data has none of.
func hanoiProducer(t *testing.T, app *webtest.App) int64 {
	t.Helper()
	now := time.Now().UTC()
	if err := app.DB.Exec(`INSERT INTO producers (slug, kind, legal_name, name_folded, province_code, commune_code, status, created_at, updated_at)
		VALUES ('htx-thu-ha-noi', 'cooperative', 'HTX Thử Hà Nội', 'htx thu ha noi', '01', (SELECT MIN(code) FROM communes WHERE province_code = '01'), 'approved', ?, ?)`,
		now, now).Error; err != nil {
		t.Fatal(err)
	}
	var id int64
	app.DB.Table("producers").Select("id").Where("slug = ?", "htx-thu-ha-noi").Scan(&id)
	return id
}

var (
	certLinkRe = regexp.MustCompile(`<a href="/registry/certificates/([A-Z0-9]+)">`)
	nextRe     = regexp.MustCompile(`<a href="([^"]+)" id="next-page"`)
	tbodyRe    = regexp.MustCompile(`(?s)<table class="table" id="certificates">.*?</table>`)
)

// walkPages follows the list's "next page" links from path and returns
// the codes of every row, in the order shown, and how many pages it read.
func walkPages(t *testing.T, b *webtest.Browser, path string) ([]string, int) {
	t.Helper()
	var codes []string
	pages := 0
	for path != "" {
		res := b.Get(path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%.400s", path, res.StatusCode, res.Body)
		}
		pages++
		if pages > 200 {
			t.Fatalf("more than 200 pages from %s: the cursor does not advance", path)
		}
		table := tbodyRe.Find(res.Body)
		for _, m := range certLinkRe.FindAllSubmatch(table, -1) {
			codes = append(codes, string(m[1]))
		}
		path = ""
		if m := nextRe.FindSubmatch(res.Body); m != nil {
			path = html.UnescapeString(string(m[1]))
		}
	}
	return codes, pages
}

// csvTable is a parsed export: the header and each row by column name.
type csvTable struct {
	Header []string
	Rows   []map[string]string
}

// parseExport checks the BOM and parses a CSV export.
func parseExport(t *testing.T, body []byte) csvTable {
	t.Helper()
	rest, ok := bytes.CutPrefix(body, []byte("\uFEFF"))
	if !ok {
		t.Fatalf("the export does not start with a UTF-8 byte order mark: %.40q", body)
	}
	recs, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("the export is not CSV: %v", err)
	}
	out := csvTable{Header: recs[0]}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out.Rows = append(out.Rows, m)
	}
	return out
}

// codes lists the verify codes of the export's rows.
func (c csvTable) codes() []string {
	out := make([]string, 0, len(c.Rows))
	for _, r := range c.Rows {
		out = append(out, r["code"])
	}
	return out
}

// sameSet reports how got differs from want as sets, and any code that got holds twice.
func sameSet(got, want []string) string {
	var diff []string
	seen := map[string]int{}
	for _, c := range got {
		seen[c]++
		if seen[c] == 2 {
			diff = append(diff, "twice: "+c)
		}
	}
	w := map[string]bool{}
	for _, c := range want {
		w[c] = true
		if seen[c] == 0 {
			diff = append(diff, "missing: "+c)
		}
	}
	for c := range seen {
		if !w[c] {
			diff = append(diff, "extra: "+c)
		}
	}
	sort.Strings(diff)
	if len(diff) > 8 {
		diff = append(diff[:8], fmt.Sprintf("… %d more", len(diff)-8))
	}
	return strings.Join(diff, ", ")
}

// certsWhere loads every certificate and keeps those keep accepts, as codes.
func certsWhere(t *testing.T, app *webtest.App, keep func(registry.Certificate) bool) []string {
	t.Helper()
	var all []registry.Certificate
	if err := app.DB.Order("id").Find(&all).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range all {
		if keep(c) {
			out = append(out, c.Code)
		}
	}
	return out
}
