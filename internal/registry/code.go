package registry

import "github.com/chocop/ocop/internal/platform/randcode"

// codeAlphabet leaves out 0/O, 1/I/L so a code read off a package is typed right.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLen is the length of a verify code: 31^10 ≈ 8·10^14 codes, so guessing
// one among tens of thousands of certificates takes billions of tries.
const CodeLen = 10

// NewCode returns a random verify or application code.
func NewCode() string { return randcode.New(codeAlphabet, CodeLen) }

// NormalizeCode upper-cases a code a person typed and reports whether it has
// the shape of a code at all (so lookups of junk never reach the database).
func NormalizeCode(s string) (string, bool) {
	if len(s) != CodeLen {
		return "", false
	}
	out := make([]byte, CodeLen)
	for i := 0; i < CodeLen; i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		ok := false
		for j := 0; j < len(codeAlphabet); j++ {
			if codeAlphabet[j] == ch {
				ok = true
				break
			}
		}
		if !ok {
			return "", false
		}
		out[i] = ch
	}
	return string(out), true
}
