package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

func listing(t *testing.T, app *webtest.App, producerSlug, name string) int64 {
	t.Helper()
	p, err := producer.NewStore(app.DB).BySlug(context.Background(), producerSlug)
	if err != nil {
		t.Fatal(err)
	}
	prod := catalog.Product{ProducerID: p.ID, Slug: "test-" + registry.NewCode(), Name: name, GroupCode: "I.3.c", Status: catalog.StatusPublished,
		Variants: []catalog.Variant{{ProducerID: p.ID, SKU: "T-" + registry.NewCode(), Name: "500 g", Price: 120000, Stock: 5}}}
	if err := app.DB.Create(&prod).Error; err != nil {
		t.Fatal(err)
	}
	return prod.ID
}

// TestBadgeComesFromTheDecision: a listing carries a badge only while the
// certificate a decision issued for it is valid; another producer's listing
// cannot be named in an application.
func TestBadgeComesFromTheDecision(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := lifecycle{regClient: regClient{t, app}, producer: app.Token("producer@example.com"), officer: app.Token("officer@example.com")}
		mine := listing(t, app, "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh", "Na sấy dẻo thử")
		theirs := listing(t, app, "hkd-tran-dieu-huong", "Khâu nhục thử")
		l.do(l.producer, "POST", "/api/v1/portal/applications", map[string]any{"product_name": "Khâu nhục thử", "group_code": "I.3.d", "product_id": theirs}, http.StatusBadRequest)

		badges := registry.NewBadgeStore(app.DB)
		today := day.Today()
		if b, _ := badges.ValidOn(t.Context(), []int64{mine}, today); len(b) != 0 {
			t.Fatalf("badge before any decision: %+v", b)
		}
		a := l.apply(map[string]any{"product_name": "Na sấy dẻo thử", "group_code": "I.3.c", "product_id": mine})
		l.toScored(a.Code, true, sheet(30, 20, 25, true))
		c := l.decide(l.officer, "DEMO-B1/QĐ-UBND", today, a.Code).Results[0].Certificate
		b, err := badges.ValidOn(t.Context(), []int64{mine, theirs}, today)
		if err != nil || b[mine].Stars != 4 || b[mine].Code != c.Code || len(b) != 1 {
			t.Fatalf("badges after a 4★ decision: %+v, %v", b, err)
		}
		l.do(l.officer, "POST", "/api/v1/registry/certificates/"+c.Code+"/revoke", map[string]any{"decision_no": "DEMO-B2", "date": today, "reason": "Demo"}, http.StatusOK)
		if b, _ := badges.ValidOn(t.Context(), []int64{mine}, today); len(b) != 0 {
			t.Fatalf("badge after revocation: %+v", b)
		}
	})
}

// TestHistoricImport keeps the original authority level, district ones included.
// The refusals of the import rules are in registry_import_test.go.
func TestHistoricImport(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		tok := app.Token("officer@example.com")
		body := func(level string, date string, stars int, score float64) map[string]any {
			return map[string]any{"producer_slug": "hkd-tran-dieu-huong", "product_name": "Lạp sườn thử", "group_code": "I.3.d", "authority_level": level,
				"authority_name": "UBND huyện Cao Lộc (cũ)", "decision_no": "DEMO-H-" + date, "decision_date": date, "stars": stars, "score": score,
				"criteria_version": "148", "owner_address": "Thôn Demo, xã Demo, huyện Cao Lộc, tỉnh Lạng Sơn"}
		}
		var c struct {
			Code, AuthorityLevel, OwnerAddress string
			Status                             string `json:"status"`
		}
		r.do(tok, "POST", "/api/v1/registry/certificates/import", body("district", "2024-03-01", 3, 61.5), http.StatusCreated).JSON(t, &c)
		var v struct {
			AuthorityLevel string `json:"authority_level"`
			Status         string `json:"status"`
		}
		r.do("", "GET", "/api/v1/verify/"+c.Code, nil, http.StatusOK).JSON(t, &v)
		if v.AuthorityLevel != "district" {
			t.Errorf("imported district certificate verifies as %q", v.AuthorityLevel)
		}
		r.do(tok, "POST", "/api/v1/registry/certificates/import", body("district", "2022-03-01", 3, 61.5), http.StatusBadRequest)   // before districts recognised
		r.do(tok, "POST", "/api/v1/registry/certificates/import", body("district", "2024-03-01", 4, 75), http.StatusBadRequest)     // districts gave 3★ only
		r.do(tok, "POST", "/api/v1/registry/certificates/import", body("province", "2021-03-01", 4, 65), http.StatusBadRequest)     // score and stars disagree
		r.do(tok, "POST", "/api/v1/registry/certificates/import", body("province", "2099-03-01", 4, 75), http.StatusBadRequest)     // future
		r.do(tok, "POST", "/api/v1/registry/certificates/import", body("province", "2021-03-01", 4, 75.123), http.StatusBadRequest) // three decimals

		// A certificate ending within 90 days reminds its producer to renew.
		soon := day.Today().AddMonths(-registry.ValidityMonths).AddDays(30)
		b := body("province", soon.String(), 4, 75)
		b["product_name"], b["authority_name"] = "Tương ớt thử", "UBND tỉnh Lạng Sơn"
		var imported struct{ Code string }
		r.do(tok, "POST", "/api/v1/registry/certificates/import", b, http.StatusCreated).JSON(t, &imported)
		// It counts once a second officer has confirmed it against the scanned decision.
		if res := confirmScan(app, newOfficer(t, app, "officer2@example.com", "20"), imported.Code, "quyet-dinh.pdf", pdfBytes); res.StatusCode != http.StatusOK {
			t.Fatalf("confirm the import: %d %s", res.StatusCode, res.Body)
		}
		p := app.Browser()
		p.Login("producer2@example.com")
		if page := string(p.Get("/portal/registry").Body); !strings.Contains(page, `id="renew-`+imported.Code+`"`) || !strings.Contains(page, "Tương ớt thử") {
			t.Error("the producer is not reminded of a certificate ending within 90 days")
		}
	})
}

// TestRacingOfficersMoveAnApplicationOnce: two officers propose the same
// application at once; the compare-and-set lets exactly one through.
func TestRacingOfficersMoveAnApplicationOnce(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := lifecycle{regClient: regClient{t, app}, producer: app.Token("producer@example.com"), officer: app.Token("officer@example.com")}
		a := l.apply(map[string]any{"product_name": "Đua thử", "group_code": "I.3.c"})
		l.upload(l.producer, a.Code, "a.pdf", pdfBytes, http.StatusCreated)
		l.do(l.producer, "POST", "/api/v1/portal/applications/"+a.Code+"/submit", nil, http.StatusOK)
		svc := registry.NewService(app.DB, nil, nil)
		u, err := account.NewService(app.DB, nil).UserByEmail(t.Context(), "officer@example.com")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]error, 4)
		for i := range results {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, results[i] = svc.Propose(context.Background(), &u, a.Code, "")
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			if err == nil {
				ok++
			} else if !errors.Is(err, errs.ErrConflict) {
				t.Errorf("a losing proposal failed with %v, want a conflict", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of 4 racing proposals succeeded (%v), want exactly 1", ok, results)
		}
		var n int64
		app.DB.Model(&registry.AuditEntry{}).Where("action = ? AND outcome = ?", "application.propose", "ok").Count(&n)
		if n != 1 {
			t.Errorf("%d successful proposals audited, want 1", n)
		}
	})
}
