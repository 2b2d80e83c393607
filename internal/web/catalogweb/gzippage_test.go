package catalogweb

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestGzippedPageIsTheJoinedPage: for pages with no, one and several
// placeholders (at the start, the end, side by side, around a part too
// large for one DEFLATE block) and tokens of every shape, the stream built
// from the cached parts is one valid gzip member (CRC and length checked by
// the reader) that inflates to exactly the page with the token put in.
func TestGzippedPageIsTheJoinedPage(t *testing.T) {
	big := strings.Repeat("<p>Vịt quay Lạng Sơn, mắc mật, hồi.</p>\n", 3000) // ~130 KB: several blocks
	pages := []string{
		"", "<html>no token</html>", csrfPlaceholder, csrfPlaceholder + csrfPlaceholder,
		"<form>" + csrfPlaceholder + "</form>", csrfPlaceholder + "<p>start</p>", "<p>end</p>" + csrfPlaceholder,
		big + csrfPlaceholder + big + csrfPlaceholder + "<footer>",
	}
	tokens := []string{"", "a", "CBgLiXDZyBJZWnFGGTSpJjnTjFhXnfJC", `<&>"'`, strings.Repeat("z", 70000)}
	for pi, html := range pages {
		p, err := splitAtToken(html)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			gz, ok := p.gzipped(tok)
			if len(tok) > 0xffff {
				if ok {
					t.Errorf("page %d: a %d-byte token fits no stored block, gzipped said ok", pi, len(tok))
				}
				continue
			}
			r, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatalf("page %d, token %.10q: %v", pi, tok, err)
			}
			r.Multistream(false)
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("page %d, token %.10q: %v", pi, tok, err)
			}
			if want := p.with(tok); !bytes.Equal(got, want) {
				t.Errorf("page %d, token %.10q: inflated %d bytes, want %d", pi, tok, len(got), len(want))
			}
			if _, err := r.Read(make([]byte, 1)); err != io.EOF {
				t.Errorf("page %d: bytes after the member: %v", pi, err)
			}
		}
	}
}
