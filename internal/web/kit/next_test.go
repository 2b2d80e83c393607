package kit

import (
	"strings"
	"testing"
)

// hostileNext are redirect targets that leave the site in some browser, or
// that a browser or proxy might rewrite into one that does.
var hostileNext = []string{
	"//evil.example",
	"///evil.example",
	"/\\evil.example",
	"\\\\evil.example",
	"/\t/evil.example/x",   // browsers drop the tab: //evil.example/x
	"/\v/evil.example/x",   // vertical tab
	"/\n/evil.example/x",   // newline
	"/\r/evil.example/x",   // carriage return
	"/ /evil.example/x",    // space
	"/\u00a0/evil.example", // no-break space
	"/\u3000/evil.example", // ideographic space
	"/\u200b/evil.example", // zero-width space (format character)
	"/\x00/evil.example",
	"/\x7f/evil.example",
	"/\xff/evil.example",  // invalid UTF-8
	"/%09/evil.example/x", // the tab, still encoded (double-encoded in the query)
	"/%0b/evil.example/x",
	"/%2F/evil.example",
	"/%2f%2fevil.example",
	"/%5Cevil.example",
	"/%5cevil.example",
	"/%zz",
	"https://evil.example/",
	"http:/evil.example",
	"javascript:alert(1)",
	"JaVaScRiPt:alert(1)",
	"data:text/html,x",
	"evil.example",
	"./x",
	"",
}

func TestSafeNextRefusesEveryWayOffTheSite(t *testing.T) {
	for _, next := range hostileNext {
		if got := SafeNext(next, "/fallback"); got != "/fallback" {
			t.Errorf("SafeNext(%q) = %q, want the fallback", next, got)
		}
	}
	long := "/" + strings.Repeat("a", maxNext)
	if got := SafeNext(long, "/fallback"); got != "/fallback" {
		t.Errorf("a %d-byte target was accepted", len(long))
	}
}

func TestSafeNextKeepsLocalPaths(t *testing.T) {
	for _, next := range []string{
		"/", "/account", "/products?q=vit+quay&stars=4", "/products?q=v%E1%BB%8Bt%20quay", "/products/na-chi-lang#gallery",
		"/verify/ABC123", "/portal/products/new", "/products/v%E1%BB%8Bt", "/products/vịt-quay",
	} {
		if got := SafeNext(next, "/fallback"); got != next {
			t.Errorf("SafeNext(%q) = %q, want it kept", next, got)
		}
	}
}
