package web_test

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestProducersReplyOnceAndAdminsHideAudited: the product's producer
// replies once; another producer cannot; an admin hides with a reason,
// audited, and the review leaves the list and the average.
func TestProducersReplyOnceAndAdminsHideAudited(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := deliveredLine(t, app, onSale(t, app))
		code := reviewCode(t, postReview(t, app, l, 1, "Tệ"))
		reply, hide := "/api/v1/portal/reviews/"+code+"/reply", "/api/v1/admin/reviews/"+code+"/hide"
		for _, who := range []string{"producer2@example.com", "admin@example.com"} {
			app.TokenOf(who) // signed in before the table
		}
		list := "/api/v1/products/" + l.Slug + "/reviews"
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "another producer's reply is 404", Method: "POST", URL: reply, As: "producer2@example.com", Body: map[string]string{"reply": "x"}, Status: 404, Unchanged: true},
			{Name: "a shopper cannot reply", Method: "POST", URL: reply, As: reviewShopper, Body: map[string]string{"reply": "x"}, Status: 403, Unchanged: true},
			{Name: "an empty reply is 400", Method: "POST", URL: reply, As: "producer@example.com", Body: map[string]string{"reply": "  "}, Status: 400, Unchanged: true},
			{Name: "a reply with NUL is 400", Method: "POST", URL: reply, As: "producer@example.com", Body: map[string]string{"reply": "a\x00"}, Status: 400, Unchanged: true},
			{Name: "the producer replies", Method: "POST", URL: reply, As: "producer@example.com", Body: map[string]string{"reply": "Xin lỗi anh/chị."}, Status: 200,
				Contains: []string{"Xin lỗi anh/chị."}},
			{Name: "a second reply is 409", Method: "POST", URL: reply, As: "producer@example.com", Body: map[string]string{"reply": "again"}, Status: 409,
				Contains: []string{"review.replied"}, Unchanged: true},
			{Name: "a producer cannot hide", Method: "POST", URL: hide, As: "producer@example.com", Body: map[string]string{"reason": "x"}, Status: 403, Unchanged: true},
			{Name: "hiding needs a reason", Method: "POST", URL: hide, As: "admin@example.com", Body: map[string]string{"reason": ""}, Status: 400, Unchanged: true},
			{Name: "an unknown review is 404", Method: "POST", URL: "/api/v1/admin/reviews/RVNOSUCH/hide", As: "admin@example.com", Body: map[string]string{"reason": "spam"}, Status: 404, Unchanged: true},
			{Name: "an admin hides it", Method: "POST", URL: hide, As: "admin@example.com", Body: map[string]string{"reason": "Xúc phạm"}, Status: 200,
				Contains: []string{`"hidden":true`}, Check: func(t *testing.T, app *webtest.App, _ *webtest.Response) {
					var a []review.Audit
					must(t, app.DB.Where("subject = ?", code).Find(&a).Error)
					if len(a) != 1 || a[0].Action != "review.hide" || a[0].Reason != "Xúc phạm" || a[0].Hash == "" {
						t.Fatalf("audit of the hiding = %+v; want one chained review.hide row with the reason", a)
					}
					rep, err := review.VerifyAudit(context.Background(), app.DB)
					if err != nil || rep.Broken != nil {
						t.Fatalf("review audit chain: %v %+v", err, rep.Broken)
					}
				}},
			{Name: "hiding twice is 409", Method: "POST", URL: hide, As: "admin@example.com", Body: map[string]string{"reason": "again"}, Status: 409, Unchanged: true},
			{Name: "the hidden review leaves the list and the average", URL: list, Status: 200, Contains: []string{`"count":0`, `"items":[]`}, NotContains: []string{"Tệ"}},
		})
	}, withBankSecret)
}

// TestAveragesAndJSONLDCountOnlyVisibleReviews: after reviews of 5, 4 and
// 2 stars and the 2 hidden, the kept aggregate, an indexed recomputation,
// the card, and the product page's JSON-LD all say 4.5 of 2 reviews; the
// JSON-LD lists the two visible reviews only.
func TestAveragesAndJSONLDCountOnlyVisibleReviews(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		v := onSale(t, app)
		var codes []string
		for _, r := range []int{5, 4, 2} {
			codes = append(codes, reviewCode(t, postReview(t, app, deliveredLine(t, app, v), r, "Đánh giá "+string(rune('0'+r))+" sao")))
		}
		res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/admin/reviews/" + codes[2] + "/hide", Token: app.TokenOf("admin@example.com"), Body: map[string]string{"reason": "spam"}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("hide: %d %s", res.StatusCode, res.Body)
		}
		// The independent figure: the visible rows themselves.
		var want struct{ N, Sum int64 }
		must(t, app.DB.Model(&review.Review{}).Select("COUNT(*) AS n, SUM(rating) AS sum").Where("product_id = ? AND hidden_at IS NULL", v.ProductID).Scan(&want).Error)
		wantAvg := math.Round(float64(want.Sum)/float64(want.N)*10) / 10
		if want.N != 2 || wantAvg != 4.5 {
			t.Fatalf("visible rows: %d, average %v; want 2 and 4.5", want.N, wantAvg)
		}
		svc := review.NewService(app.DB, nil, catalog.NewService(app.DB, nil))
		kept, err := svc.Summaries(context.Background(), []int64{v.ProductID})
		must(t, err)
		counted, err := svc.SummariesByQuery(context.Background(), []int64{v.ProductID})
		must(t, err)
		if kept[v.ProductID] != counted[v.ProductID] || kept[v.ProductID].Count != 2 || kept[v.ProductID].Average != 4.5 {
			t.Fatalf("kept aggregate %+v, recomputed %+v; want both 4.5 of 2", kept[v.ProductID], counted[v.ProductID])
		}
		checkLD(t, productLD(t, app, deliveredSlug(t, app, v)), want.N, wantAvg)
		var card struct{ Rating review.Summary }
		app.API(webtest.Req{Method: "GET", Path: "/api/v1/products/" + deliveredSlug(t, app, v)}).JSON(t, &card)
		if card.Rating.Count != 2 || card.Rating.Average != 4.5 {
			t.Errorf("the product's card rating = %+v; want 4.5 of 2", card.Rating)
		}
	}, withBankSecret)
}

func deliveredSlug(t testing.TB, app *webtest.App, v catalog.Variant) string {
	t.Helper()
	var slug string
	must(t, app.DB.Model(&catalog.Product{}).Where("id = ?", v.ProductID).Pluck("slug", &slug).Error)
	return slug
}

// checkLD checks a Product's aggregateRating and reviews against the count
// and average computed from the rows.
func checkLD(t *testing.T, ld map[string]any, n int64, avg float64) {
	t.Helper()
	agg, _ := ld["aggregateRating"].(map[string]any)
	if agg == nil || agg["@type"] != "AggregateRating" || agg["ratingValue"] != avg || agg["reviewCount"] != float64(n) {
		t.Fatalf("aggregateRating = %v; want ratingValue %v, reviewCount %d", agg, avg, n)
	}
	list, _ := ld["review"].([]any)
	if int64(len(list)) != n {
		t.Fatalf("JSON-LD lists %d reviews; want the %d visible ones: %v", len(list), n, list)
	}
	for _, x := range list {
		r := x.(map[string]any)
		rating := r["reviewRating"].(map[string]any)["ratingValue"].(float64)
		if rating == 2 || r["@type"] != "Review" || r["author"] == nil {
			t.Errorf("JSON-LD review %v: the hidden 2-star review, or not a schema.org Review with an author", r)
		}
	}
}
