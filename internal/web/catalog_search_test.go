package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/web/webtest"
	"github.com/chocop/ocop/seed"
)

func TestSearchVietnameseNames(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		cases := []struct {
			q    string
			want []string
			not  []string
		}{
			{"vit quay", []string{"Vịt quay Hồng Xiêm", "Vịt quay Nguyên Xinh", "Vịt quay Diệu Hương"}, []string{"Na Chi Lăng"}},
			{"Vịt quay", []string{"Vịt quay Hồng Xiêm", "Vịt quay Diệu Hương"}, nil},
			{"VIT QUAY", []string{"Vịt quay Nguyên Xinh"}, nil},
			{"khau nhuc", []string{"Khâu nhục Diệu Hương", "Khâu nhục Mai Sao"}, []string{"Vịt quay Hồng Xiêm"}},
			{"rượu mẫu sơn", []string{"Rượu Mẫu Sơn 29 độ"}, nil},
			{"dong banh", []string{"Na Chi Lăng"}, nil}, // the producer's name is searchable too
			{"đình bắc lệ", []string{"Di tích Đình Bắc Lệ"}, nil},
		}
		for _, tc := range cases {
			got := names(search(t, app, "q="+url.QueryEscape(tc.q)))
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("q=%q: %q missing from %v", tc.q, w, got)
				}
			}
			for _, n := range tc.not {
				if got[n] {
					t.Errorf("q=%q: %q should not match", tc.q, n)
				}
			}
		}
		if db.DialectOf(app.DB) == db.Postgres {
			// A typo, or a word not typed to its end, still finds roast duck
			// through the trigram match.
			for _, q := range []string{"vịt quya", "vit qua"} {
				if got := names(search(t, app, "q="+url.QueryEscape(q))); !got["Vịt quay Hồng Xiêm"] {
					t.Errorf("q=%q: typo-tolerant search missed roast duck: %v", q, got)
				}
			}
		}
		if got := search(t, app, "q=zzzqqqxxx"); len(got.Items) != 0 {
			t.Errorf("nonsense query found %d products", len(got.Items))
		}
	})
}

func TestSearchFacetsAndPagination(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		f := &facets{app: app}
		webtest.RunSteps(t, []webtest.Step{
			{Name: "paging by price walks every demo product once, in order", Run: f.paging},
			{Name: "group, price, commune, province and producer filters", Run: f.filters},
			{Name: "stars come from valid certificates only", Run: f.stars},
			{Name: "in stock leaves a sold-out product out", Run: f.inStock},
		})
	})
}

// facets is what TestSearchFacetsAndPagination's steps share.
type facets struct {
	app *webtest.App
	p   productDoc // a 5★ product
}

func (f *facets) paging(t *testing.T) {
	app := f.app.For(t)
	all := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		q := "limit=5&sort=price_asc"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		l := search(t, app, q)
		var last int64
		for _, p := range l.Items {
			if all[p.Slug] {
				t.Fatalf("page %d repeats %s", pages, p.Slug)
			}
			if p.MinPrice < last {
				t.Fatalf("price order broken: %d after %d", p.MinPrice, last)
			}
			last = p.MinPrice
			all[p.Slug] = true
		}
		pages++
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	if len(all) != 24 || pages != 5 {
		t.Errorf("walked %d products in %d pages, want the 24 demo products in 5", len(all), pages)
	}
}

func (f *facets) filters(t *testing.T) {
	app := f.app.For(t)
	// Alcohol is adult-only, the heritage site a service.
	for _, p := range search(t, app, "group=II.1").Items {
		if !p.AdultOnly {
			t.Errorf("%s in II.1 is not adult-only", p.Name)
		}
	}
	if l := search(t, app, "group=VI"); len(l.Items) != 1 || !l.Items[0].IsService {
		t.Errorf("group VI: %+v", l.Items)
	}
	for _, p := range search(t, app, "price_min=200000&price_max=400000").Items {
		if p.MinPrice < 200000 || p.MinPrice > 400000 {
			t.Errorf("price filter let %s at %d through", p.Name, p.MinPrice)
		}
	}
	chiLang, err := seed.CommuneCode(context.Background(), app.DB, "Xã Chi Lăng")
	if err != nil {
		t.Fatal(err)
	}
	if got := names(search(t, app, "province=20&commune="+chiLang)); !got["Na Chi Lăng"] || !got["Hoa hồi khô Chi Lăng"] || got["Vịt quay Hồng Xiêm"] {
		t.Errorf("commune facet (Xã Chi Lăng): %v", got)
	}
	if l := search(t, app, "province=01"); len(l.Items) != 0 {
		t.Errorf("Hà Nội has no demo products, got %d", len(l.Items))
	}
	if l := search(t, app, "producer=hkd-tran-dieu-huong"); len(l.Items) != 2 {
		t.Errorf("producer filter: %d items, want 2", len(l.Items))
	}
}

func (f *facets) stars(t *testing.T) {
	app := f.app.For(t)
	f.p = newProduct(t, app, app.TokenOf("producer@example.com"), "Na dai Chi Lăng thử nghiệm", "I.1.a", true)
	today := day.Today()
	certify(t, app, f.p.Slug, 5, today.AddDays(-10), today.AddDays(500), day.Date{})
	l := search(t, app, "stars=5")
	if got := names(l); !got["Na dai Chi Lăng thử nghiệm"] {
		t.Errorf("stars=5 missed the 5★ product: %v", got)
	}
	for _, it := range l.Items {
		if it.Badge == nil || it.Badge.Stars < 5 {
			t.Errorf("stars=5 returned %s with badge %+v", it.Name, it.Badge)
		}
	}
	if l := search(t, app, "sort=stars&limit=1"); len(l.Items) != 1 || l.Items[0].Slug != f.p.Slug {
		t.Errorf("sort=stars does not start with the 5★ product: %+v", l.Items)
	}
}

// inStock sells out the product's only variant.
func (f *facets) inStock(t *testing.T) {
	app := f.app.For(t)
	app.DB.Exec("UPDATE variants SET stock = 0 WHERE id = ?", f.p.Variants[0].ID)
	if got := names(search(t, app, "in_stock=true&q=na+dai")); got["Na dai Chi Lăng thử nghiệm"] {
		t.Error("in_stock=true listed a sold-out product")
	}
}

func TestSearchBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		good := search(t, app, "limit=2&sort=newest").NextCursor
		other := search(t, app, "limit=2&sort=price_asc").NextCursor
		for _, q := range []string{
			"stars=abc", "stars=2", "stars=9", "sort=cheapest", "price_min=-5", "price_min=500&price_max=100",
			"limit=abc", "in_stock=maybe", "cursor=forged", "cursor=" + url.QueryEscape(good[:len(good)-3]+"AAA"),
			"sort=stars&cursor=" + url.QueryEscape(other),
		} {
			res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/products?" + q})
			if res.StatusCode != 400 {
				t.Errorf("%s: status %d, want 400: %s", q, res.StatusCode, res.Body)
			}
		}
		// Unknown values of open-ended filters are a safe empty result.
		for _, q := range []string{"group=XIV", "province=99", "producer=nobody", "commune=00000"} {
			if l := search(t, app, q); len(l.Items) != 0 {
				t.Errorf("%s: %d items, want none", q, len(l.Items))
			}
		}
		// A huge limit is capped, not an error.
		if l := search(t, app, "limit=100000"); len(l.Items) != 24 {
			t.Errorf("limit=100000 gave %d items", len(l.Items))
		}
	})
}

// TestSearchMatchesWholeWords checks what a search word matches, the same on
// both dialects: a whole word of the name, producer or group (a syllable, in
// Vietnamese), whatever punctuation stands beside it, never a part of one.
func TestSearchMatchesWholeWords(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		newProduct(t, app, tok, "Nấm hương rừng Xứ Lạng", "I.1.a", true)
		newProduct(t, app, tok, "Na dai Xứ Lạng", "I.1.a", true)
		newProduct(t, app, tok, "Mật ong rừng (500g)", "I.1.a", true)
		cases := []struct {
			q         string
			want, not []string
		}{
			{"na xu lang", []string{"Na dai Xứ Lạng"}, []string{"Nấm hương rừng Xứ Lạng"}},
			{"nấm xứ lạng", []string{"Nấm hương rừng Xứ Lạng"}, []string{"Na dai Xứ Lạng"}},
			{"500g", []string{"Mật ong rừng (500g)"}, []string{"Na dai Xứ Lạng"}},
			{"(500g)", []string{"Mật ong rừng (500g)"}, nil},
			{"mật-ong", []string{"Mật ong rừng (500g)"}, nil}, // a hyphen separates words in the query too
			{"rung", []string{"Mật ong rừng (500g)", "Nấm hương rừng Xứ Lạng"}, []string{"Na dai Xứ Lạng"}},
		}
		for _, tc := range cases {
			got := names(search(t, app, "limit=60&q="+url.QueryEscape(tc.q)))
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("q=%q: %q missing from %v", tc.q, w, got)
				}
			}
			for _, n := range tc.not {
				if got[n] {
					t.Errorf("q=%q: %q matched a part of a word", tc.q, n)
				}
			}
		}
		// Symbols alone are no words: nothing matches exactly, and nothing
		// fails (PostgreSQL then tries the trigram match, which finds none).
		for _, q := range []string{"!!!", "()", "%", "_", "*", "[a-z]*", "'", "&|!"} {
			res := app.API(webtest.Req{Method: "GET", Path: "/api/v1/products?q=" + url.QueryEscape(q)})
			if res.StatusCode != 200 {
				t.Errorf("q=%q: %d %s", q, res.StatusCode, res.Body)
			}
		}
	})
}

// TestSearchPagesSkipUnlistedProducers walks every page of a text search
// whose best-ranked products belong to a producer who has been suspended:
// the ranking window holds only theirs, so each page must come from the
// whole query, and still list every listed product exactly once, in order.
func TestSearchPagesSkipUnlistedProducers(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		listed, hidden := app.Token("producer@example.com"), app.Token("producer2@example.com")
		var want []string
		for i := range 5 {
			want = append([]string{newProduct(t, app, listed, fmt.Sprintf("Xhangtest chè %d", i), "I.1.a", true).Slug}, want...)
		}
		for i := range 9 { // newer, so ranked first within the same relevance
			newProduct(t, app, hidden, fmt.Sprintf("Xhangtest trà %d", i), "I.1.a", true)
		}
		walk := func() []string { return searchPages(t, app, "limit=2&q=xhangtest", 20) }
		if got := walk(); len(got) != 14 {
			t.Fatalf("before the suspension %d products, want 14: %v", len(got), got)
		}
		admin := app.Browser()
		admin.Login("admin@example.com")
		if res := admin.Post("/", "/admin/producers/"+producer2Slug+"/suspend", url.Values{"from": {"approved"}}); res.StatusCode != 303 {
			t.Fatalf("suspend: %d", res.StatusCode)
		}
		if got := walk(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("pages after the suspension:\n got %v\nwant %v", got, want)
		}
	})
}

// TestSearchRanksByTier walks every page of text searches whose matches
// fall in all three tiers (internal/catalog/rank.go), created interleaved
// so that no tier is a run of ids: the first tier comes from its own index
// and the rest from the ranking of every match, and a page may hold both.
// The expected order is built here from the rule, not from the search.
func TestSearchRanksByTier(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		type made struct {
			slug  string
			tier  int
			group string
		}
		var all []made
		// Two rounds of each kind, in an order that mixes the tiers.
		for round := range 3 {
			for _, p := range []struct {
				name string
				tier int // -1: must not match "zuvo quay"
			}{
				{"Đặc sản zuvo quay %d", 1},  // the phrase begins a later word
				{"Zuvo quay Lạng Sơn %d", 2}, // the text begins with the words
				{"Quay zuvo %d", 0},          // both words, not as the phrase
				{"Zuvo quay, gói nhỏ %d", 1}, // the phrase, then a comma: not the first words
				{"Zuvo quayx %d", -1},        // "quayx" is not the word "quay"
				{"Zuvo quay %d", 2},
			} {
				group := "I.1.a"
				if round == 1 {
					group = "I.3.c" // left out by the group filter below
				}
				d := newProduct(t, app, tok, fmt.Sprintf(p.name, round), group, true)
				all = append(all, made{d.Slug, p.tier, group})
			}
		}
		expect := func(group string) []string {
			var want []string
			for tier := 2; tier >= 0; tier-- {
				for i := len(all) - 1; i >= 0; i-- { // newest first within a tier
					if all[i].tier == tier && strings.HasPrefix(all[i].group, group) {
						want = append(want, all[i].slug)
					}
				}
			}
			return want
		}
		for _, tc := range []struct{ q, group string }{
			{"q=zuvo+quay", ""}, {"q=Zuvo+Quay&group=I.1", "I.1."}, {"q=ZUVO%20QUAY&price_max=150000", ""},
		} {
			q, want := tc.q, expect(tc.group)
			for _, limit := range []int{1, 2, 5, 60} {
				got := searchPages(t, app, fmt.Sprintf("%s&limit=%d", q, limit), len(all)+1)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s, %d a page:\n got %v\nwant %v", q, limit, got, want)
				}
			}
		}
	})
}

// searchPages follows a search's cursors to its end and returns the slugs
// of every page in order; more than most pages is a failure (a cursor that
// does not move on would loop).
func searchPages(t *testing.T, app *webtest.App, query string, most int) []string {
	t.Helper()
	var got []string
	cursor := ""
	for range most {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		l := search(t, app, q)
		for _, p := range l.Items {
			got = append(got, p.Slug)
		}
		if cursor = l.NextCursor; cursor == "" {
			return got
		}
	}
	t.Fatalf("%s: more than %d pages", query, most)
	return nil
}
