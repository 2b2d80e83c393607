package kit

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNext bounds the length of a redirect target; nothing on this site needs more.
const maxNext = 2048

// SafeNext keeps redirects after sign-in and language switches on this site:
// next must be a path on this origin ("/account", "/products?q=na"), else
// fallback is returned.
//
// security: browsers drop tabs and newlines from URLs and read a backslash
// as a slash, so "/\t/evil.example" or "/\\evil.example" would leave the
// site once the browser cleaned them up. Rather than guess how each browser
// cleans a URL, anything a browser might rewrite is refused: control
// characters, any white space, backslashes, invalid UTF-8, a second leading
// slash, a scheme or host, and the same tricks percent-encoded in the path.
func SafeNext(next, fallback string) string {
	if next == "" || len(next) > maxNext || !plainURLText(next) {
		return fallback
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	// The path once decoded must pass the same test: "/%09/evil.example"
	// and "/%2F/evil.example" are refused too (a server or proxy along the
	// way may decode them).
	if p, err := url.PathUnescape(u.EscapedPath()); err != nil || !plainURLText(p) || strings.HasPrefix(p, "//") {
		return fallback
	}
	return next
}

// plainURLText reports whether s is valid UTF-8 with no control character,
// no white space (ASCII or Unicode) and no backslash.
func plainURLText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
