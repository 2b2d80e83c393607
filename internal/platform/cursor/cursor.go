// Package cursor seals pagination cursors: a position in a list, as opaque
// text that a client hands back and cannot edit into a query the server
// never produced. The signature is an HMAC, not secrecy: the content is
// only a position. (The catalog's cursor does the same for its sorts.)
package cursor

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// strictB64 rejects base64 whose unused trailing bits are not zero, so each
// token has one spelling: a changed last character is never the same token.
var strictB64 = base64.RawURLEncoding.Strict()

// ErrBad is any cursor that is malformed, unsigned, signed with another key
// or for another list.
var ErrBad = errors.New("cursor: not a cursor of this list")

// MaxLen bounds the text of a cursor.
const MaxLen = 512

// Codec seals and opens cursors with one key.
type Codec struct{ key []byte }

// New returns a codec keyed with secret.
func New(secret []byte) *Codec { return &Codec{key: secret} }

// Seal returns the opaque text of v (JSON) for the list named purpose.
func (c *Codec) Seal(purpose string, v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(raw)
	return body + "." + base64.RawURLEncoding.EncodeToString(c.sign(purpose, body)), nil
}

// Open checks s and reads it into v; anything but a cursor Seal made for
// purpose with this key is ErrBad.
func (c *Codec) Open(purpose, s string, v any) error {
	if len(s) > MaxLen {
		return ErrBad
	}
	body, sig, ok := strings.Cut(s, ".")
	if !ok {
		return ErrBad
	}
	got, err := strictB64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, c.sign(purpose, body)) { // security: constant-time comparison
		return ErrBad
	}
	raw, err := strictB64.DecodeString(body)
	if err != nil || json.Unmarshal(raw, v) != nil {
		return ErrBad
	}
	return nil
}

func (c *Codec) sign(purpose, body string) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(purpose + "\x00" + body))
	return m.Sum(nil)[:16]
}
