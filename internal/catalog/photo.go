package catalog

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // registers PNG with image.DecodeConfig and image.Decode
	"io"
	"time"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP

	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"gorm.io/gorm"
)

// Photo limits. The pixel limit is what protects memory: a 50 KB PNG can
// claim 50,000 × 50,000 pixels and would need 10 GB to decode.
const (
	MaxPhotoBytes  = 8 << 20
	MaxPhotoPixels = 40_000_000
	MaxPhotoSide   = 12_000
	MaxPhotos      = 12
)

// PhotoSizes are the widths made from each upload: cards in lists and the
// product page's gallery. Each is a JPEG; re-encoding drops EXIF (and with
// it any GPS position a phone wrote into the file).
var PhotoSizes = map[string]int{"card": 480, "page": 1200}

// ProcessedPhoto is an upload after checking and resizing.
type ProcessedPhoto struct {
	Width, Height int
	Files         map[string][]byte // size name → JPEG
}

// ProcessPhoto checks r by content (JPEG, PNG or WebP, whatever its name or
// declared type), rejects it if too large in bytes or pixels before
// decoding, and returns re-encoded, resized JPEGs.
func ProcessPhoto(r io.Reader) (ProcessedPhoto, error) {
	var out ProcessedPhoto
	raw, err := io.ReadAll(io.LimitReader(r, MaxPhotoBytes+1))
	if err != nil {
		return out, err
	}
	if len(raw) > MaxPhotoBytes {
		return out, errs.Invalid("photo", "catalog.photo_too_large")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || (format != "jpeg" && format != "png" && format != "webp") {
		return out, errs.Invalid("photo", "catalog.photo_type")
	}
	// security: dimensions are checked before any pixel is decoded.
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxPhotoSide || cfg.Height > MaxPhotoSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPhotoPixels {
		return out, errs.Invalid("photo", "catalog.photo_pixels")
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return out, errs.Invalid("photo", "catalog.photo_type")
	}
	b := img.Bounds()
	out.Width, out.Height = b.Dx(), b.Dy()
	out.Files = map[string][]byte{}
	for name, w := range PhotoSizes {
		if w > out.Width {
			w = out.Width
		}
		h := out.Height * w / out.Width
		if h < 1 {
			h = 1
		}
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		// White under transparent PNG/WebP pixels, since JPEG has no alpha.
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82}); err != nil {
			return out, err
		}
		out.Files[name] = buf.Bytes()
	}
	return out, nil
}

// PhotoService stores photos in a blob store and records them.
type PhotoService struct {
	db    *gorm.DB
	blobs blob.Store
}

// NewPhotoService returns a PhotoService on g and store.
func NewPhotoService(g *gorm.DB, store blob.Store) *PhotoService {
	return &PhotoService{db: g, blobs: store}
}

// Add processes r and attaches it to producerID's product slug, or to the
// producer's profile when slug is "". Another producer's product is ErrNotFound.
func (s *PhotoService) Add(ctx context.Context, producerID int64, slug string, r io.Reader) (Photo, error) {
	var productID *int64
	if slug != "" {
		var p Product
		err := s.db.WithContext(ctx).Select("id").Where("slug = ? AND producer_id = ?", slug, producerID).Take(&p).Error
		if db.IsNotFound(err) {
			return Photo{}, fmt.Errorf("product %q: %w", slug, errs.ErrNotFound)
		} else if err != nil {
			return Photo{}, err
		}
		productID = &p.ID
	}
	var n int64
	q := s.db.WithContext(ctx).Model(&Photo{}).Where("producer_id = ?", producerID)
	if productID != nil {
		q = q.Where("product_id = ?", *productID)
	} else {
		q = q.Where("product_id IS NULL")
	}
	if err := q.Count(&n).Error; err != nil {
		return Photo{}, err
	}
	if n >= MaxPhotos {
		return Photo{}, &errs.Reasoned{Err: errs.ErrConflict, Reason: "catalog.too_many_photos"}
	}
	pp, err := ProcessPhoto(r)
	if err != nil {
		return Photo{}, err
	}
	var rnd [12]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return Photo{}, err
	}
	id := hex.EncodeToString(rnd[:])
	key := "photos/" + id[:2] + "/" + id
	for name, data := range pp.Files {
		if err := s.blobs.Put(ctx, key+"-"+name+".jpg", "image/jpeg", bytes.NewReader(data)); err != nil {
			return Photo{}, fmt.Errorf("store photo: %w", err)
		}
	}
	ph := Photo{ProducerID: producerID, ProductID: productID, Key: key, Width: pp.Width, Height: pp.Height,
		Position: int(n), CreatedAt: time.Now().UTC()}
	err = db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Create(&ph).Error; err != nil {
			return err
		}
		if productID != nil && n == 0 {
			return tx.Model(&Product{}).Where("id = ?", *productID).Update("cover_key", key).Error
		}
		return nil
	})
	return ph, err
}

// OfProducts lists the photos of products, by product id, in order.
func (s *PhotoService) OfProducts(ctx context.Context, productIDs []int64) (map[int64][]Photo, error) {
	out := map[int64][]Photo{}
	if len(productIDs) == 0 {
		return out, nil
	}
	var ps []Photo
	if err := s.db.WithContext(ctx).Where("product_id IN ?", productIDs).Order("position, id").Find(&ps).Error; err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[*p.ProductID] = append(out[*p.ProductID], p)
	}
	return out, nil
}

// OfProducer lists the profile photos of producerID.
func (s *PhotoService) OfProducer(ctx context.Context, producerID int64) ([]Photo, error) {
	var ps []Photo
	err := s.db.WithContext(ctx).Where("producer_id = ? AND product_id IS NULL", producerID).Order("position, id").Find(&ps).Error
	return ps, err
}

// Open reads a stored photo file by its full key.
func (s *PhotoService) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.blobs.Open(ctx, key)
}
