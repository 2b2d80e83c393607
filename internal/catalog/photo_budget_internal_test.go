package catalog

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"runtime"
	"testing"

	"github.com/chocop/ocop/internal/platform/errs"
)

// pngHeader is the start of a PNG claiming w×h pixels of the given bit
// depth and color type (0 gray, 2 RGB, 4 gray+alpha, 6 RGBA), with no pixel
// data: enough for image.DecodeConfig, never enough to decode.
func pngHeader(w, h uint32, depth, colorType, interlace byte) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9], ihdr[12] = depth, colorType, interlace
	chunk := func(typ string, data []byte) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(b, typ...)
		b = append(b, data...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c}) // a zlib header and nothing after it
	chunk("IEND", nil)
	return b
}

// jpegHeader is a real 16×16 JPEG whose frame header is changed to claim
// w×h pixels, every component sampled h:v, progressive or not.
func jpegHeader(t testing.TB, w, h uint16, sampling byte, progressive bool) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0 in Go's JPEG")
	}
	if progressive {
		b[i+1] = 0xC2
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	for c := range int(b[i+9]) {
		b[i+11+3*c] = sampling
	}
	return b
}

// TestDecodeBudgetIsInBytes: a photo under the pixel limit is refused when
// decoding it would take more than MaxDecodeBytes, judged from the header
// alone; the memory the check allocates shows that nothing was decoded.
// A 6300 × 6300 16-bit PNG passed the pixel limit and took 318 MB.
func TestDecodeBudgetIsInBytes(t *testing.T) {
	refused := []struct {
		name string
		raw  []byte
	}{
		{"16-bit RGBA PNG 6300×6300", pngHeader(6300, 6300, 16, 6, 0)},
		{"16-bit RGB PNG 6300×6300", pngHeader(6300, 6300, 16, 2, 0)},
		{"8-bit RGBA PNG 6300×6300 (159 MB)", pngHeader(6300, 6300, 8, 6, 0)},
		{"interlaced 8-bit RGBA PNG 5000×5000", pngHeader(5000, 5000, 8, 6, 1)},
		{"progressive 4:4:4 JPEG 5000×5000", jpegHeader(t, 5000, 5000, 0x11, true)},
	}
	for _, tc := range refused {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ProcessPhoto(bytes.NewReader(tc.raw))
		runtime.ReadMemStats(&after)
		ve, ok := errs.AsValidation(err)
		if !ok || ve.Fields[0].Field != "photo" || ve.Fields[0].Message != "catalog.photo_memory" {
			t.Errorf("%s: %v, want photo refused with catalog.photo_memory", tc.name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
			t.Errorf("%s: %d MB allocated to refuse it: it was decoded", tc.name, got>>20)
		}
	}

	// What people upload stays within the budget.
	within := []struct {
		name string
		cfg  image.Config
		fmt  string
		raw  []byte
		max  int64
	}{
		{"12 MP baseline 4:2:0 JPEG (a phone photo)", image.Config{Width: 4000, Height: 3000}, "jpeg", jpegHeader(t, 4000, 3000, 0x11, false), 36_000_000},
		{"12 MP progressive 4:2:0 JPEG", image.Config{Width: 4000, Height: 3000}, "jpeg", progressive420(t, 4000, 3000), 90_000_000},
		{"24 MP 8-bit RGBA PNG", image.Config{Width: 6000, Height: 4000}, "png", pngHeader(6000, 4000, 8, 6, 0), 96_000_000},
	}
	for _, tc := range within {
		c, format, err := image.DecodeConfig(bytes.NewReader(tc.raw))
		if err != nil || format != tc.fmt {
			t.Fatalf("%s: header: %v %s", tc.name, err, format)
		}
		n := decodeBytes(c, format, tc.raw)
		if n > tc.max || n > MaxDecodeBytes || n <= 0 {
			t.Errorf("%s: estimated %d bytes, want at most %d (budget %d)", tc.name, n, tc.max, MaxDecodeBytes)
		}
	}
}

// progressive420 is a progressive JPEG header with Go's own 4:2:0 sampling
// (luma 2×2, chroma 1×1).
func progressive420(t testing.TB, w, h uint16) []byte {
	b := jpegHeader(t, w, h, 0x11, true)
	i := bytes.Index(b, []byte{0xFF, 0xC2})
	b[i+11] = 0x22
	return b
}
