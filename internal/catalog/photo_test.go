package catalog_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
)

// tinyWebP is a 1×1 lossless WebP (there is no WebP encoder in Go's x/image).
const tinyWebP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.RGBA{200, 10, 10, 255})
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withEXIF inserts an APP1 Exif segment holding a fake GPS marker after SOI.
func withEXIF(j []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), []byte("GPS-21.8537N-106.7615E")...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, j[2:]...)
}

// bombPNG is a valid tiny PNG whose header claims w×h pixels.
func bombPNG(t testing.TB, w, h uint32) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// IHDR data starts at 16: width, height; its CRC covers type+data (12..29).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestProcessPhoto(t *testing.T) {
	webp, _ := base64.StdEncoding.DecodeString(tinyWebP)
	cases := []struct {
		name   string
		data   []byte
		reason string // "" when accepted
	}{
		{"jpeg with EXIF", withEXIF(testJPEG(t, 1600, 900)), ""},
		{"png", func() []byte {
			var b bytes.Buffer
			png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 300, 200)))
			return b.Bytes()
		}(), ""},
		{"webp", webp, ""},
		{"not an image", []byte("<html><script>alert(1)</script></html>"), "catalog.photo_type"},
		{"empty", nil, "catalog.photo_type"},
		{"gif is not accepted", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "catalog.photo_type"},
		{"decompression bomb", bombPNG(t, 50_000, 50_000), "catalog.photo_pixels"},
		{"one very long side", bombPNG(t, 20_000, 10), "catalog.photo_pixels"},
		{"too many bytes", append(testJPEG(t, 8, 8), make([]byte, catalog.MaxPhotoBytes)...), "catalog.photo_too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := catalog.ProcessPhoto(bytes.NewReader(tc.data))
			if tc.reason != "" {
				ve, ok := errs.AsValidation(err)
				if !ok || ve.Fields[0].Message != tc.reason {
					t.Fatalf("err = %v, want validation %s", err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range catalog.PhotoSizes {
				f := got.Files[name]
				cfg, format, err := image.DecodeConfig(bytes.NewReader(f))
				if err != nil || format != "jpeg" {
					t.Fatalf("%s: not a JPEG: %v %s", name, err, format)
				}
				if cfg.Width != min(want, got.Width) {
					t.Errorf("%s: width %d, want %d", name, cfg.Width, min(want, got.Width))
				}
				if bytes.Contains(f, []byte("Exif")) || bytes.Contains(f, []byte("GPS-21")) {
					t.Errorf("%s: EXIF survived re-encoding", name)
				}
			}
		})
	}
}

func TestCursorRoundTripAndTamper(t *testing.T) {
	cc := catalog.NewCursorCodec([]byte("k1"))
	c := catalog.Cursor{Sort: catalog.SortPriceAsc, Key: 150000, ID: 42}
	s := cc.Encode(c)
	got, err := cc.Decode(s)
	if err != nil || got != c {
		t.Fatalf("round trip: %v %v", got, err)
	}
	body, sig, _ := bytes.Cut([]byte(s), []byte("."))
	forged := catalog.NewCursorCodec([]byte("k2")).Encode(catalog.Cursor{Sort: catalog.SortPriceAsc, Key: 1, ID: 1})
	for name, bad := range map[string]string{
		"other key":     forged,
		"body changed":  string(body) + "x." + string(sig),
		"no signature":  string(body),
		"empty":         "",
		"garbage":       "%%%.%%%",
		"huge":          string(bytes.Repeat([]byte("a"), 4000)),
		"sig truncated": s[:len(s)-2],
	} {
		if _, err := cc.Decode(bad); !errors.As(err, new(*errs.ValidationError)) {
			t.Errorf("%s: err = %v, want a validation error", name, err)
		}
	}
}

func FuzzCursorDecode(f *testing.F) {
	cc := catalog.NewCursorCodec([]byte("fuzz"))
	f.Add(cc.Encode(catalog.Cursor{Sort: catalog.SortNewest, Key: 1, ID: 1}))
	f.Add("")
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := cc.Decode(s)
		if err == nil {
			if c.ID <= 0 || cc.Encode(c) == "" {
				t.Fatalf("accepted an invalid cursor %q → %+v", s, c)
			}
		}
	})
}

func FuzzProcessPhoto(f *testing.F) {
	f.Add(testJPEG(f, 4, 4))
	f.Add(bombPNG(f, 60_000, 60_000))
	webp, _ := base64.StdEncoding.DecodeString(tinyWebP)
	f.Add(webp)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := catalog.ProcessPhoto(bytes.NewReader(b))
		if err == nil && (p.Width*p.Height > catalog.MaxPhotoPixels || len(p.Files) != len(catalog.PhotoSizes)) {
			t.Fatalf("accepted %dx%d with %d files", p.Width, p.Height, len(p.Files))
		}
	})
}
