// Package text folds Vietnamese text for search and for ASCII-only fields
// (VietQR purposes, slugs): lower case, diacritics removed, đ → d.
package text

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case with diacritics removed and đ mapped to d,
// with runs of white space collapsed: "Vịt quay  Thất Khê" → "vit quay that khe".
func Fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(ASCII(s))), " ")
}

// ASCII removes diacritics and maps đ/Đ to d/D, keeping case. Characters with
// no ASCII form are dropped.
func ASCII(s string) string {
	if isASCII(s) {
		return s // the common case on hot paths (query strings, codes): no transformer to build
	}
	s = dStroke.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	b := make([]byte, 0, len(out))
	for _, r := range out {
		if r < 0x80 {
			b = append(b, byte(r))
		}
	}
	return string(b)
}

// dStroke maps the one Vietnamese letter that is not a base letter with
// marks, so decomposition does not reach it.
var dStroke = strings.NewReplacer("đ", "d", "Đ", "D")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Slug turns a name into a URL slug: "Na Chi Lăng" → "na-chi-lang".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(ASCII(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
