package catalog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Cursor marks where a page of search results ended: the sort it belongs
// to, the sort key of the last row and its id (the tie-breaker). It is
// keyset pagination, so page 1,000 costs what page 1 costs.
type Cursor struct {
	Sort string `json:"s"`
	Key  int64  `json:"k"`
	ID   int64  `json:"i"`
}

// CursorCodec signs cursors so that a client cannot hand-edit one into a
// query the server never produced. The signature is an HMAC, not secrecy:
// the content is only a position in a public list.
type CursorCodec struct{ key []byte }

// NewCursorCodec returns a codec keyed with secret.
func NewCursorCodec(secret []byte) *CursorCodec { return &CursorCodec{key: secret} }

// Encode returns the opaque text of c.
func (cc *CursorCodec) Encode(c Cursor) string {
	raw, _ := json.Marshal(c)
	body := base64.RawURLEncoding.EncodeToString(raw)
	return body + "." + base64.RawURLEncoding.EncodeToString(cc.sign(body))
}

// Decode checks and parses s. Anything malformed, unsigned or signed with
// another key is a validation error on the "cursor" field.
func (cc *CursorCodec) Decode(s string) (Cursor, error) {
	var c Cursor
	bad := errs.Invalid("cursor", "catalog.bad_cursor")
	if len(s) > 512 {
		return c, bad
	}
	body, sig, ok := strings.Cut(s, ".")
	if !ok {
		return c, bad
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, cc.sign(body)) { // security: constant-time comparison
		return c, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(raw, &c) != nil || !validSort(c.Sort) || c.ID <= 0 {
		return Cursor{}, bad
	}
	return c, nil
}

func (cc *CursorCodec) sign(body string) []byte {
	m := hmac.New(sha256.New, cc.key)
	m.Write([]byte("catalog-cursor\x00" + body))
	return m.Sum(nil)[:16]
}
