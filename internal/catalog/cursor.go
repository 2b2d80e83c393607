package catalog

import (
	"github.com/chocop/ocop/internal/platform/cursor"
	"github.com/chocop/ocop/internal/platform/errs"
)

// cursorPurpose names the catalog's lists to the shared codec, so that a
// cursor of another list (reviews, certificates) never opens here.
const cursorPurpose = "catalog-cursor"

// Cursor marks where a page of search results ended: the sort it belongs
// to, the sort key of the last row and its id (the tie-breaker). It is
// keyset pagination, so page 1,000 costs what page 1 costs.
type Cursor struct {
	Sort string `json:"s"`
	Key  int64  `json:"k"`
	ID   int64  `json:"i"`
}

// CursorCodec signs catalog cursors with the platform's cursor codec and
// checks that what it opens is a position of a sort the catalog knows.
type CursorCodec struct{ codec *cursor.Codec }

// NewCursorCodec returns a codec keyed with secret.
func NewCursorCodec(secret []byte) *CursorCodec { return &CursorCodec{codec: cursor.New(secret)} }

// Encode returns the opaque text of c.
func (cc *CursorCodec) Encode(c Cursor) string {
	s, err := cc.codec.Seal(cursorPurpose, c)
	if err != nil {
		// A struct of a string and two integers always marshals; reaching
		// here is a programming error, not input.
		panic("catalog: cursor does not marshal: " + err.Error())
	}
	return s
}

// Decode checks and parses s. Anything malformed, unsigned, signed with
// another key or for another list is a validation error on the "cursor"
// field.
func (cc *CursorCodec) Decode(s string) (Cursor, error) {
	var c Cursor
	if cc.codec.Open(cursorPurpose, s, &c) != nil || !validSort(c.Sort) || c.ID <= 0 {
		return Cursor{}, errs.Invalid("cursor", "catalog.bad_cursor")
	}
	return c, nil
}
