package qrtest_test

import (
	"testing"

	"github.com/chocop/ocop/internal/platform/qr"
	"github.com/chocop/ocop/internal/platform/qr/qrtest"
)

// TestDecodePNGReadsCodesTheDetectorMisjudges: these three verify links,
// found among 2,000 rendered at 512 px, defeat zxing's photo detector (it
// counts 23 modules). A test scanning a certificate with a random code met
// one now and then and failed by chance; DecodePNG now reads them all.
func TestDecodePNGReadsCodesTheDetectorMisjudges(t *testing.T) {
	for _, u := range []string{
		"http://127.0.0.1:30405/verify/OCOP-20-2026-30F01B",
		"http://127.0.0.1:31190/verify/OCOP-20-2026-8FCAFA",
		"http://127.0.0.1:31511/verify/OCOP-20-2026-B694A9",
		"http://127.0.0.1:30000/verify/OCOP-20-2026-000000", // one the detector reads
	} {
		png, err := qr.PNG(u, 512)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := qrtest.DecodePNG(png); err != nil || got != u {
			t.Errorf("%s decodes to %q (%v)", u, got, err)
		}
	}
}
