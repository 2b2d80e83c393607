package web_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/web/webtest"
)

// png16Header is a PNG header claiming a w×h RGBA image at 16 bits per
// channel (8 bytes a pixel once decoded), with no pixel data.
func png16Header(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 16, 6
	for _, c := range []struct {
		typ  string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", []byte{0x78, 0x9c}}, {"IEND", nil}} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(c.data)))
		start := len(b)
		b = append(b, c.typ...)
		b = append(b, c.data...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	return b
}

// TestPhotoOverTheDecodeBudgetIsRefused uploads a 6300 × 6300 16-bit PNG
// header (under the pixel limit, 318 MB to decode) to a product and to the
// profile: 400 naming the photo, with the reason, and nothing stored.
func TestPhotoOverTheDecodeBudgetIsRefused(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		p := newProduct(t, app, tok, "Hồng không hạt thử ảnh nặng", "I.1.a", false)
		for _, path := range []string{"/api/v1/portal/products/" + p.Slug + "/photos", "/api/v1/portal/profile/photos"} {
			_, _, before := counts(app)
			res := app.API(webtest.Req{Method: "POST", Path: path, Token: tok, Body: png16Header(6300, 6300), Header: map[string]string{"Content-Type": "image/png"}})
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), `"name":"photo"`) || !strings.Contains(string(res.Body), "16 bit") {
				t.Errorf("%s: %d %s, want 400 naming the photo and why", path, res.StatusCode, res.Body)
			}
			if _, _, after := counts(app); after != before {
				t.Errorf("%s: photos %d → %d", path, before, after)
			}
		}
	})
}

// TestTwelvePhotosUnderConcurrentUploads sends 20 photo uploads to one
// product at once: exactly 12 are stored (the cap is held in the
// transaction that adds the photo), the rest are 409, positions are 0..11,
// and decoding never ran more than PhotoSlots at a time. Both dialects.
func TestTwelvePhotosUnderConcurrentUploads(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		tok := app.Token("producer@example.com")
		p := newProduct(t, app, tok, "Trám đen thử nhiều ảnh", "I.1.a", false)
		img := pngBytes(t, 40, 30)
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := httptest.NewRequest("POST", "/api/v1/portal/products/"+p.Slug+"/photos", bytes.NewReader(img))
				req.Header.Set("Content-Type", "image/png")
				req.Header.Set("Authorization", "Bearer "+tok)
				rec := httptest.NewRecorder()
				app.Server.Handler().ServeHTTP(rec, req)
				mu.Lock()
				statuses[rec.Code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		var positions []int
		app.DB.Model(&catalog.Photo{}).Joins("JOIN products ON products.id = photos.product_id").
			Where("products.slug = ?", p.Slug).Order("position").Pluck("position", &positions)
		if len(positions) != catalog.MaxPhotos {
			t.Errorf("%d photos stored after 20 concurrent uploads, want %d (answers %v)", len(positions), catalog.MaxPhotos, statuses)
		}
		if statuses[201] != catalog.MaxPhotos || statuses[409] != 20-catalog.MaxPhotos {
			t.Errorf("answers %v, want %d×201 and %d×409", statuses, catalog.MaxPhotos, 20-catalog.MaxPhotos)
		}
		for i, pos := range positions {
			if pos != i {
				t.Errorf("positions %v, want 0..%d", positions, catalog.MaxPhotos-1)
				break
			}
		}
		if peak := app.Server.PhotoGatePeak(); peak < 1 || peak > catalog.PhotoSlots {
			t.Errorf("%d photos decoded at once, want 1..%d", peak, catalog.PhotoSlots)
		}
	})
}
