package qr

import (
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/qr/qrtest"
)

func TestPNGDecodesBack(t *testing.T) {
	for _, content := range []string{
		"https://cho-ocop.vn/verify/7KQ2M9XD4T",
		"00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E",
	} {
		png, err := PNG(content, 320)
		if err != nil {
			t.Fatal(err)
		}
		got, err := qrtest.DecodePNG(png)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if got != content {
			t.Fatalf("decoded %q, want %q", got, content)
		}
	}
}

func TestSVGIsWellFormed(t *testing.T) {
	s, err := SVG("https://cho-ocop.vn/verify/ABC")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "<svg") || !strings.HasSuffix(s, "</svg>") || !strings.Contains(s, "h1v1h-1z") {
		t.Fatalf("unexpected SVG: %.120s", s)
	}
}
