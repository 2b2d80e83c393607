package catalogweb

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/review"
)

// TestListJSONMatchesEncodingJSON holds the hand-written list encoding
// (listjson.go) to encoding/json's bytes: hostile strings, every optional
// field present and absent, the cursor, an empty and a nil list.
func TestListJSONMatchesEncodingJSON(t *testing.T) {
	hostile := []string{
		"", "Na Chi Lăng", `quote " backslash \ slash /`, "<script>alert(1)</script> & co",
		"line\nbreak\rreturn\ttab\bbell\fform\x00nul\x01\x1f\x7f", "\u2028\u2029 separators",
		"bad \xff\xfe utf-8 \xc3", "emoji 🦆 and 漢字", strings.Repeat("dài ", 300),
	}
	var cards []productCardJSON
	for i, s := range hostile {
		c := productCardJSON{ID: int64(i), Slug: s, Name: s, NameEn: s, GroupCode: s, Unit: s, MinPrice: int64(i) * 1_000_000_007,
			Currency: "VND", IsService: i%2 == 0, AdultOnly: i%3 == 0, URL: s, Producer: producerRefJSON{Slug: s, Name: s, ProvinceCode: s}}
		if i%2 == 1 {
			c.ImageURL = "/media/" + s + "-card.jpg"
		}
		if i%3 != 2 {
			c.Badge = &badgeJSON{Stars: 3 + i%3, Code: s, ValidUntil: s, VerifyURL: s, ExpiresSoon: i%2 == 0, DaysLeft: i - 4}
		}
		if i%4 != 3 {
			c.Rating = &review.Summary{Count: int64(i), Average: []float64{0, 4.5, 5, 1.2, 3.3333333333333335, 1e-7, 2.1}[i%7]}
		}
		cards = append(cards, c)
	}
	cards = append(cards, productCardJSON{MinPrice: -1}) // every field at its zero value
	for _, l := range []productListJSON{
		{Items: cards, NextCursor: "eyJzIjoicmVsZXZhbmNlIn0.abc-_"},
		{Items: cards[:1]},
		{Items: []productCardJSON{}},
		{},
		{NextCursor: hostile[4]},
	} {
		want, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		if got := listJSON(l); !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("differs at byte %d:\n got …%q\nwant …%q", i, got[max(i-40, 0):min(i+40, len(got))], want[max(i-40, 0):min(i+40, len(want))])
		}
	}
}

// TestListJSONKnowsEveryField fails when a field is added to a type the
// list writes by hand without being added to listjson.go: the encoding
// test above fills the fields it knows, so it cannot see a new one.
func TestListJSONKnowsEveryField(t *testing.T) {
	for typ, fields := range map[reflect.Type]int{
		reflect.TypeFor[productListJSON](): 2, reflect.TypeFor[productCardJSON](): 15, reflect.TypeFor[producerRefJSON](): 3,
		reflect.TypeFor[badgeJSON](): 7, reflect.TypeFor[review.Summary](): 2,
	} {
		if typ.NumField() != fields {
			t.Errorf("%v has %d fields, listjson.go writes %d: add the new one there and here", typ, typ.NumField(), fields)
		}
	}
}
