package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestTwelveProfilePhotosUnderConcurrentUploads: 20 photos sent to one
// producer's profile at once; exactly MaxPhotos are stored at positions
// 0..11 and the rest are refused (409). Profile uploads take turns on a
// lock the catalogue owns, not on the producer's row. Both dialects.
func TestTwelveProfilePhotosUnderConcurrentUploads(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		ps, err := producer.NewStore(g).Approved(ctx, "", 1)
		if err != nil || len(ps) != 1 {
			t.Fatalf("a demo producer: %v", err)
		}
		var before int64
		if err := g.Model(&catalog.Photo{}).Where("producer_id = ? AND product_id IS NULL", ps[0].ID).Count(&before).Error; err != nil {
			t.Fatal(err)
		}
		blobs, err := blob.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		svc := catalog.NewPhotoService(g, blobs)
		img := testJPEG(t, 40, 30)
		const uploads = 20
		results := make([]error, uploads)
		var wg sync.WaitGroup
		for i := range uploads {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = svc.Add(ctx, ps[0].ID, "", bytes.NewReader(img))
			}()
		}
		wg.Wait()
		stored := 0
		for _, err := range results {
			switch {
			case err == nil:
				stored++
			case !errors.Is(err, errs.ErrConflict):
				t.Errorf("an upload failed with %v, want success or a conflict", err)
			}
		}
		var positions []int
		if err := g.Model(&catalog.Photo{}).Where("producer_id = ? AND product_id IS NULL", ps[0].ID).Order("position").Pluck("position", &positions).Error; err != nil {
			t.Fatal(err)
		}
		if want := catalog.MaxPhotos - int(before); stored != want || len(positions) != catalog.MaxPhotos {
			t.Fatalf("%d uploads stored, %d profile photos in all (positions %v); want %d and %d", stored, len(positions), positions, want, catalog.MaxPhotos)
		}
		for i, pos := range positions {
			if pos != i {
				t.Fatalf("positions %v, want 0..%d", positions, catalog.MaxPhotos-1)
			}
		}
	})
}
