package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

func init() {
	// Photo uploads are raw image bodies; let the request validator read them.
	for _, ct := range []string{"image/jpeg", "image/webp", "application/octet-stream"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// productDoc is the part of a product response the tests look at.
type productDoc struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	IsService bool   `json:"is_service"`
	AdultOnly bool   `json:"adult_only"`
	MinPrice  int64  `json:"min_price"`
	Badge     *struct {
		Stars       int    `json:"stars"`
		Code        string `json:"code"`
		ExpiresSoon bool   `json:"expires_soon"`
	} `json:"badge"`
	Variants []struct {
		ID  int64  `json:"id"`
		SKU string `json:"sku"`
	} `json:"variants"`
	Photos []struct {
		CardURL string `json:"card_url"`
	} `json:"photos"`
}

type listDoc struct {
	Items      []productDoc `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

var skuSeq int

// newProduct creates and optionally publishes a product through the portal API.
func newProduct(t *testing.T, app *webtest.App, token, name, group string, publish bool) productDoc {
	t.Helper()
	skuSeq++
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/products", Token: token, Body: map[string]any{
		"name": name, "group_code": group, "description": "Mô tả " + name,
		"variants": []map[string]any{{"sku": fmt.Sprintf("T-%d-A", skuSeq), "name": "Gói 500 g", "price": 150000, "stock": 10, "weight_grams": 500}},
	}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create %s: %d %s", name, res.StatusCode, res.Body)
	}
	var p productDoc
	res.JSON(t, &p)
	if publish {
		res = app.API(webtest.Req{Method: "POST", Path: "/api/v1/portal/products/" + p.Slug + "/publish", Token: token})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("publish %s: %d %s", name, res.StatusCode, res.Body)
		}
		res.JSON(t, &p)
	}
	return p
}

// certify inserts a certificate for product slug straight into the table,
// as the registry would after a recognition decision.
func certify(t *testing.T, app *webtest.App, slug string, stars int, from, until day.Date, revoked day.Date) string {
	t.Helper()
	var p catalog.Product
	if err := app.DB.Where("slug = ?", slug).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	var province string
	app.DB.Table("producers").Where("id = ?", p.ProducerID).Pluck("province_code", &province)
	skuSeq++
	c := registry.Certificate{Code: fmt.Sprintf("TEST%06d", skuSeq), Number: fmt.Sprintf("DEMO-%d", skuSeq), AuthorityLevel: "province",
		AuthorityName: "UBND tỉnh Lạng Sơn (test)", DecisionNo: "DEMO", DecisionDate: from, ProducerID: p.ProducerID, ProductID: &p.ID,
		ProductName: p.Name, GroupCode: p.GroupCode, OwnerName: "test", OwnerAddress: "test", ProvinceCode: province, Stars: stars,
		Score: float64(50 + 10*(stars-3)), CriteriaVersion: "148", ValidFrom: from, ValidUntil: until, RevokedOn: revoked,
		IsDemo: true, CreatedAt: time.Now().UTC()}
	if err := app.DB.Create(&c).Error; err != nil {
		t.Fatal(err)
	}
	return c.Code
}

func getProduct(t *testing.T, app *webtest.App, slug string) (int, productDoc) {
	t.Helper()
	res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/products/" + slug})
	var p productDoc
	if res.StatusCode == http.StatusOK {
		res.JSON(t, &p)
	}
	return res.StatusCode, p
}

func search(t *testing.T, app *webtest.App, query string) listDoc {
	t.Helper()
	res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/products?" + query})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("search %q: %d %s", query, res.StatusCode, res.Body)
	}
	var l listDoc
	res.JSON(t, &l)
	return l
}

func names(l listDoc) map[string]bool {
	out := map[string]bool{}
	for _, p := range l.Items {
		out[p.Name] = true
	}
	return out
}
