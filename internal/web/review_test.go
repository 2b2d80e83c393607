package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/webtest"
)

// TestReviewsAreVerifiedPurchasesOncePerLine: only the buyer of a
// delivered line reviews it, once, with a rating of 1 to 5 and clean text;
// every refusal writes nothing.
func TestReviewsAreVerifiedPurchasesOncePerLine(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		paid := buy(t, app, onSale(t, app))
		done := deliveredLine(t, app, onSale(t, app))
		url := done.reviewURL()
		app.TokenOf("officer@example.com") // signed in before the table: a sign-in is a change of its own
		ok := map[string]any{"rating": 5, "body": "Thạch đen ngon, giao nhanh."}
		bad := func(name string, body any) webtest.Scenario {
			return webtest.Scenario{Name: name, Method: "POST", URL: url, As: reviewShopper, Body: body, Status: 400, Unchanged: true}
		}
		webtest.RunScenarios(t, app, []webtest.Scenario{
			{Name: "a visitor is 401", Method: "POST", URL: url, Body: ok, Status: 401, Unchanged: true},
			{Name: "a line not delivered is refused", Method: "POST", URL: paid.reviewURL(), As: reviewShopper, Body: ok, Status: 409,
				Contains: []string{"review.not_delivered"}, Unchanged: true},
			{Name: "someone else's line is 404", Method: "POST", URL: url, As: "officer@example.com", Body: ok, Status: 404, Unchanged: true},
			{Name: "a variant the group does not hold is 404", Method: "POST", URL: "/api/v1/orders/" + done.Group + "/reviews/999999", As: reviewShopper, Body: ok, Status: 404, Unchanged: true},
			{Name: "an unknown group is 404", Method: "POST", URL: "/api/v1/orders/DHNOSUCH/reviews/1", As: reviewShopper, Body: ok, Status: 404, Unchanged: true},
			bad("rating 0", map[string]any{"rating": 0, "body": "x"}),
			bad("rating 6", map[string]any{"rating": 6, "body": "x"}),
			bad("rating -1", map[string]any{"rating": -1}),
			bad("rating as text", `{"rating":"5","body":"x"}`),
			bad("no rating", map[string]any{"body": "x"}),
			bad("NUL in the text", map[string]any{"rating": 4, "body": "ngon\x00quá"}),
			bad("a control character", map[string]any{"rating": 4, "body": "ngon\x07"}),
			bad("an escape sequence", map[string]any{"rating": 4, "body": "\x1b[31mđỏ"}),
			bad("invalid UTF-8", []byte("{\"rating\":4,\"body\":\"ngon \xff\xfe\"}")),
			bad("text over 2,000 characters", map[string]any{"rating": 4, "body": strings.Repeat("ạ", review.MaxBodyLen+1)}),
			bad("an unknown field", map[string]any{"rating": 4, "verified": true}),
			{Name: "the buyer of a delivered line reviews it", Method: "POST", URL: url, As: reviewShopper, Body: ok, Status: 201,
				Contains: []string{`"rating":5`, "Thạch đen ngon"}},
			{Name: "a second review of the line is 409", Method: "POST", URL: url, As: reviewShopper, Body: ok, Status: 409,
				Contains: []string{"review.exists"}, Unchanged: true},
			{Name: "the product lists it", URL: "/api/v1/products/" + done.Slug + "/reviews", Status: 200,
				Contains: []string{`"count":1`, `"average":5`, "Thạch đen ngon"}},
			{Name: "an unlisted product's reviews are 404", URL: "/api/v1/products/no-such-product/reviews", Status: 404},
			{Name: "a forged cursor is 400", URL: "/api/v1/products/" + done.Slug + "/reviews?cursor=abc", Status: 400},
		})
	}, withBankSecret)
}

// TestABurstOfOneReviewWritesOneRow: ten identical reviews at once leave
// one row, one 201 and nine 409s, and the product's count is 1.
func TestABurstOfOneReviewWritesOneRow(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		l := deliveredLine(t, app, onSale(t, app))
		tok := app.TokenOf(reviewShopper)
		const n = 10
		codes := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i] = app.API(webtest.Req{Method: "POST", Path: l.reviewURL(), Token: tok, Body: map[string]any{"rating": 4, "body": "ok"}}).StatusCode
			}()
		}
		close(start)
		wg.Wait()
		created := 0
		for _, c := range codes {
			switch c {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
			default:
				t.Errorf("a request of the burst answered %d; want 201 or 409", c)
			}
		}
		var rows, count int64
		must(t, app.DB.Model(&review.Review{}).Count(&rows).Error)
		must(t, app.DB.Model(&review.Stats{}).Select("COALESCE(SUM(review_count), 0)").Scan(&count).Error)
		if created != 1 || rows != 1 || count != 1 {
			t.Fatalf("burst of %d: %d created, %d rows, stats count %d; want 1, 1, 1 (answers %v)", n, created, rows, count, codes)
		}
	}, withBankSecret)
}
