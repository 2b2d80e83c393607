package web_test

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// visit is one page the walkers open: the route it stands for, the account
// it is opened as ("" is a visitor who is not signed in) and its path.
type visit struct{ Route, As, Path string }

// notPages are GET routes that answer something other than a whole page (a
// file, a fragment htmx swaps in, a redirect); the walkers leave them out.
// A route not listed here and not a page fails pageVisits, so a new page is
// walked from the day it is registered.
var notPages = map[string]bool{
	"/lang/:lang":                                true, // a redirect
	"/checkout/communes":                         true, // an htmx fragment
	"/orders/:code/status":                       true, // an htmx fragment
	"/orders/:code/qr.png":                       true,
	"/verify/:code/certificate.pdf":              true,
	"/verify/:code/scan":                         true,
	"/portal/registry/:code/documents/:id":       true,
	"/registry/applications/:code/documents/:id": true,
	"/registry/certificates/export.csv":          true,
	"/admin/payouts.csv":                         true,
	"/thong-ke/:table":                           true, // CSV
	"/stats/:table":                              true, // CSV
	"/checkout/summary":                          true, // the checkout's htmx summary
	"/products/:slug/related":                    true, // the product page's htmx related cards
	"/registry/imports/template/:format":         true, // a CSV or XLSX file
	"/registry/imports/bulk/:code/progress":      true, // the bulk import's htmx progress bar
	"/registry/decisions/annex.pdf":              true,
}

// fixedLanguage are pages whose address names their language (the
// statistics: /thong-ke in Vietnamese, /stats in English), whatever the
// visitor chose.
var fixedLanguage = map[string]string{"/thong-ke": "vi", "/stats": "en"}

// isPageRoute reports whether a GET route of Echo's table is a page the
// walkers open: not the API, files, operations or the not-found catch-all.
func isPageRoute(path string) bool {
	if webtest.IsAPI(path) || notPages[path] || strings.HasSuffix(path, "/*") {
		return false
	}
	switch path {
	case "/healthz", "/readyz", "/robots.txt", "/sitemap.xml":
		return false
	}
	return true
}

// accountsOf are the accounts a page is opened as: an area's pages by its
// role (the registry by a province and the central officer, but a bulk
// import batch, which only its province may see, by the province), pages that
// need a signed-in user by the shopper, and public pages by a visitor. The
// home and account pages are opened by every role, since each role's
// header differs (and it is the same header on every other page).
func accountsOf(path string) []string {
	switch {
	case path == "/" || path == "/account":
		out := []string{"shopper@example.com", "producer@example.com", "officer@example.com", "central@example.com", "admin@example.com"}
		if path == "/" {
			out = append(out, "")
		}
		return out
	case strings.HasPrefix(path, "/portal"):
		return []string{"producer@example.com"}
	case strings.HasPrefix(path, "/registry/imports/bulk/"):
		// A batch is its province's only: the central officer is refused it.
		return []string{"officer@example.com"}
	case strings.HasPrefix(path, "/registry"):
		return []string{"officer@example.com", "central@example.com"}
	case strings.HasPrefix(path, "/admin"):
		return []string{"admin@example.com"}
	case strings.HasPrefix(path, "/account"), strings.HasPrefix(path, "/checkout"), strings.HasPrefix(path, "/orders"):
		return []string{"shopper@example.com"}
	}
	return []string{""}
}

// walkData is what the sample paths of routes with parameters are made
// from: the seed's rows, and the orders and rows the walk makes first.
type walkData struct {
	product, producer, portalProduct, certificate, order  string
	delivered, review, address, batch, annex, unsubscribe string   // paths and a query of the pages that need a row the seed lacks
	variant                                               int64    // of product: the shipping estimate's sample
	applications                                          []string // one per status, in the Lạng Sơn officer's scope
	ownApps                                               map[string]bool
	status                                                map[string]registry.AppStatus
}

// walkSetup places an order by the shopper (paid, so the ledger and payout
// pages have rows), a second one delivered (so a line may be reviewed),
// makes the rows the seed lacks (pagewalk_rows_test.go) and reads the seed
// for one sample of each parameter.
func walkSetup(t *testing.T, app *webtest.App) walkData {
	t.Helper()
	v := sell(t, app, item{producer: producer1Slug, price: 1067000, stock: 50, grams: 800})
	tok := app.TokenOf("shopper@example.com")
	if res := addToCart(t, app, tok, v.ID, 1); res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		t.Fatalf("add to cart: %d %s", res.StatusCode, res.Body)
	}
	g := checkout(t, app, tok, checkoutBody(app, t, "vietqr"))
	payByBank(t, app, g)
	review, delivered := walkDelivered(t, app, v)
	// And one unpaid, in the cart too, so the cart, checkout and an unpaid order have content.
	if res := addToCart(t, app, tok, v.ID, 2); res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		t.Fatalf("add to cart: %d %s", res.StatusCode, res.Body)
	}
	d := walkData{producer: producer1Slug, order: g.Code, ownApps: map[string]bool{}, status: map[string]registry.AppStatus{},
		delivered: delivered, review: review, address: walkAddress(t, app), batch: walkBatch(t, app), annex: walkAnnex(t, app),
		unsubscribe: walkUnsubscribe(t, app)}
	var p catalog.Product
	if err := app.DB.Where("status = ?", catalog.StatusPublished).Order("id").Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	d.product = p.Slug
	var pv catalog.Variant
	if err := app.DB.Where("product_id = ?", p.ID).Order("id").Take(&pv).Error; err != nil {
		t.Fatal(err)
	}
	d.variant = pv.ID
	d.portalProduct = p.Slug
	var own catalog.Product
	if err := app.DB.Where("id = ?", v.ProductID).Take(&own).Error; err == nil {
		d.portalProduct = own.Slug
	}
	var c registry.Certificate
	if err := app.DB.Where("revoked_on IS NULL").Order("id").Take(&c).Error; err != nil {
		t.Fatal(err)
	}
	d.certificate = c.Code
	var apps []registry.Application
	if err := app.DB.Where("province_code = ?", "20").Order("id").Find(&apps).Error; err != nil {
		t.Fatal(err)
	}
	var pr producer.Producer
	if err := app.DB.Where("slug = ?", producer1Slug).Take(&pr).Error; err != nil {
		t.Fatal(err)
	}
	seen := map[registry.AppStatus]bool{}
	for _, a := range apps {
		d.ownApps[a.Code] = a.ProducerID == pr.ID
		d.status[a.Code] = a.Status
		if !seen[a.Status] {
			seen[a.Status] = true
			d.applications = append(d.applications, a.Code)
		}
	}
	return d
}

// samples gives the paths that stand for a route with parameters, and a
// few query strings of pages whose look depends on them. The bulk import's
// progress fragment and the annex PDF are no pages, but the HEAD walk sends
// their samples too.
func (d walkData) samples() map[string][]string {
	appPages := func(prefix string) []string {
		var out []string
		for _, code := range d.applications {
			out = append(out, prefix+code)
		}
		return out
	}
	estimate := "/shipping/estimate?slug=" + d.product + "&variant_id=" + strconv.FormatInt(d.variant, 10) + "&quantity=2&province_code="
	return map[string][]string{
		"/products":                             {"/products", "/products?q=na", "/products?q=khongcogi"},
		"/products/:slug":                       {"/products/" + d.product},
		"/shipping/estimate":                    {"/shipping/estimate?slug=" + d.product, estimate + "01", estimate}, // the form, its result, refused (no province)
		"/producers/:slug":                      {"/producers/" + d.producer},
		"/verify":                               {"/verify", "/verify?code=NO-SUCH-CODE"},
		"/verify/:code":                         {"/verify/" + d.certificate, "/verify/NO-SUCH-CODE"},
		"/verify/:code/print":                   {"/verify/" + d.certificate + "/print"},
		"/orders/:code":                         {"/orders/" + d.order, d.delivered},
		"/orders/:code/reviews/:variant_id":     {d.review},
		"/account/addresses/:code":              {"/account/addresses/" + d.address},
		"/account/addresses/:code/delete":       {"/account/addresses/" + d.address + "/delete"},
		"/registry/imports/bulk/:code":          {"/registry/imports/bulk/" + d.batch},
		"/registry/imports/bulk/:code/progress": {"/registry/imports/bulk/" + d.batch + "/progress"},
		"/registry/decisions/annex":             {"/registry/decisions/annex?" + d.annex},
		"/registry/decisions/annex.pdf":         {"/registry/decisions/annex.pdf?" + d.annex},
		"/notifications/unsubscribe/:token":     {"/notifications/unsubscribe/" + d.unsubscribe},
		"/orders/:code/cancel":                  {"/orders/" + d.order + "/cancel"},
		"/portal/products/:slug":                {"/portal/products/" + d.portalProduct},
		"/portal/registry/:code":                appPages("/portal/registry/"),
		"/registry/applications/:code":          appPages("/registry/applications/"),
		"/registry/certificates/:code":          {"/registry/certificates/" + d.certificate},
	}
}

// pageVisits lists every page of every role, derived from Echo's route
// table: each GET page route, with its samples, as each of its accounts.
// A route with parameters and no sample fails the test: add one to
// samples (or, for a file or fragment, to notPages).
func pageVisits(t *testing.T, app *webtest.App, d walkData) []visit {
	t.Helper()
	samples := d.samples()
	var out []visit
	for _, rt := range app.Server.Routes() {
		if rt.Method != http.MethodGet || !isPageRoute(rt.Path) {
			continue
		}
		paths, ok := samples[rt.Path]
		if !ok {
			if strings.Contains(rt.Path, ":") {
				t.Errorf("page route %s has parameters and no sample path: add one to walkData.samples, or to notPages if it is not a page", rt.Path)
				continue
			}
			paths = []string{rt.Path}
		}
		for _, as := range accountsOf(rt.Path) {
			for _, p := range paths {
				if !d.mayOpen(as, p) {
					continue
				}
				out = append(out, visit{Route: rt.Path, As: as, Path: p})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].As < out[j].As })
	return out
}

// mayOpen reports whether the account may open the sample path: the
// producer only their own applications, officers no drafts, the central
// officer only forwarded applications and no province's certificate page
// (the rest are rightly refused; refusal pages are walked elsewhere).
func (d walkData) mayOpen(as, path string) bool {
	if code, ok := strings.CutPrefix(path, "/portal/registry/"); ok {
		return d.ownApps[code]
	}
	if code, ok := strings.CutPrefix(path, "/registry/applications/"); ok {
		if as == "central@example.com" {
			return d.status[code] == registry.StatusForwarded
		}
		return d.status[code] != registry.StatusDraft
	}
	if strings.HasPrefix(path, "/registry/certificates/") && as == "central@example.com" {
		return false
	}
	return true
}

// expectedStatus is the status a walked page answers: 404 for the samples
// that name nothing, 400 for a form refused, 403 for a page of another
// role, else 200.
func expectedStatus(v visit) int {
	switch {
	case strings.Contains(v.Path, "NO-SUCH-CODE") || v.Route == "(none)":
		return http.StatusNotFound
	case strings.HasSuffix(v.Path, "province_code="):
		return http.StatusBadRequest
	case strings.HasPrefix(v.Path, "/admin") && v.As != "admin@example.com":
		return http.StatusForbidden
	}
	return http.StatusOK
}

// TestEveryGetRouteAnswersHead sends HEAD to every GET route of Echo's
// table (with the walk's samples) and expects what GET answers, without a
// body: crawlers, link checkers and uptime monitors use HEAD.
func TestEveryGetRouteAnswersHead(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		d := walkSetup(t, app)
		samples := d.samples()
		for _, rt := range app.Server.Routes() {
			if rt.Method != http.MethodGet || strings.HasSuffix(rt.Path, "/*") || strings.Contains(rt.Path, ":") && samples[rt.Path] == nil {
				continue
			}
			path := rt.Path
			if s := samples[rt.Path]; len(s) > 0 {
				path = s[0]
			}
			as := accountsOf(rt.Path)[0]
			b := app.As(as)
			get := b.Get(path)
			req, err := http.NewRequest(http.MethodHead, app.HTTP.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := b.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != get.StatusCode {
				t.Errorf("HEAD %s as %q: %d, GET answers %d", path, as, res.StatusCode, get.StatusCode)
			}
		}
	}, withBankSecret)
}
