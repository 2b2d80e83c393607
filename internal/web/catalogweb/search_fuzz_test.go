package catalogweb

import (
	"net/url"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
)

// FuzzSearchQuery feeds arbitrary query strings to the storefront filter
// parser: it must never panic, and whatever it accepts must be a valid query.
func FuzzSearchQuery(f *testing.F) {
	h := &Handlers{Cursors: catalog.NewCursorCodec([]byte("fuzz"))}
	good := h.Cursors.Encode(catalog.Cursor{Sort: catalog.SortPriceAsc, Key: 5, ID: 9})
	for _, seed := range []string{"q=vit+quay", "stars=4&sort=stars", "price_min=1000&price_max=5", "in_stock=1&limit=999",
		"cursor=" + url.QueryEscape(good) + "&sort=price_asc", "cursor=x.y", "q=%ZZ", "stars=-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := h.searchQuery(v)
		if err != nil {
			return
		}
		if q.Limit < 1 || q.Limit > catalog.MaxLimit || q.PriceMin < 0 || (q.MinStars != 0 && (q.MinStars < 3 || q.MinStars > 5)) ||
			(q.After != nil && q.After.Sort != q.Sort) {
			t.Fatalf("accepted an invalid query from %q: %+v", raw, q)
		}
	})
}
