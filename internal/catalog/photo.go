package catalog

import (
	"bytes"
	"context"
	"errors"
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
	"github.com/chocop/ocop/internal/platform/gate"
	"gorm.io/gorm"
)

// Photo limits. A 50 KB PNG can claim 50,000 × 50,000 pixels and would
// need 10 GB to decode: dimensions are checked from the header, and then
// the memory the decode will take (MaxDecodeBytes), before any pixel is read.
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
// declared type), rejects it if too large in bytes, pixels or decoding
// memory before decoding, and returns re-encoded, resized JPEGs.
func ProcessPhoto(r io.Reader) (ProcessedPhoto, error) {
	raw, err := readPhoto(r)
	if err != nil {
		return ProcessedPhoto{}, err
	}
	if err := checkPhoto(raw); err != nil {
		return ProcessedPhoto{}, err
	}
	return decodePhoto(raw)
}

// readPhoto reads an upload, refusing more than MaxPhotoBytes.
func readPhoto(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxPhotoBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxPhotoBytes {
		return nil, errs.Invalid("photo", "catalog.photo_too_large")
	}
	return raw, nil
}

// checkPhoto reads only the header of raw: its type, its dimensions and
// the memory its decoding would take. No pixel is decoded.
func checkPhoto(raw []byte) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || (format != "jpeg" && format != "png" && format != "webp") {
		return errs.Invalid("photo", "catalog.photo_type")
	}
	// security: dimensions are checked before any pixel is decoded.
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxPhotoSide || cfg.Height > MaxPhotoSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPhotoPixels {
		return errs.Invalid("photo", "catalog.photo_pixels")
	}
	if decodeBytes(cfg, format, raw) > MaxDecodeBytes { // security: a 16-bit PNG takes twice an 8-bit one
		return errs.Invalid("photo", "catalog.photo_memory")
	}
	return nil
}

// decodePhoto decodes raw (already checked) and makes the JPEG sizes.
func decodePhoto(raw []byte) (ProcessedPhoto, error) {
	var out ProcessedPhoto
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

// PhotoSlots photos are decoded at once per instance, each taking up to
// MaxDecodeBytes; an upload waits up to PhotoWait for a slot, then is
// refused with 503 and Retry-After. Photos are a producer's occasional
// work: two at a time keep a small server's memory in hand.
const (
	PhotoSlots = 2
	PhotoWait  = 10 * time.Second
)

// PhotoService stores photos in a blob store and records them.
type PhotoService struct {
	db    *gorm.DB
	blobs blob.Store
	gate  *gate.Gate
}

// NewPhotoService returns a PhotoService on g and store.
func NewPhotoService(g *gorm.DB, store blob.Store) *PhotoService {
	return &PhotoService{db: g, blobs: store, gate: gate.New("photo processing", PhotoSlots, PhotoWait)}
}

// Gate is the gate photo decoding passes through, for measurements.
func (s *PhotoService) Gate() *gate.Gate { return s.gate }

// Add processes r and attaches it to producerID's product slug, or to the
// producer's profile when slug is "". Another producer's product is
// ErrNotFound; a product (or profile) with MaxPhotos already is ErrConflict,
// held in the transaction that adds the photo, so concurrent uploads cannot
// pass it.
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
	// A first look spares reading and decoding a photo that cannot be added;
	// the rule itself is held in the transaction below.
	if _, err := photoSlot(s.db.WithContext(ctx), producerID, productID); err != nil {
		return Photo{}, err
	}
	st, err := s.Store(ctx, r)
	if err != nil {
		return Photo{}, err
	}
	key := st.Key
	ph := Photo{ProducerID: producerID, ProductID: productID, Key: key, Width: st.Width, Height: st.Height, CreatedAt: time.Now().UTC()}
	err = db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := lockPhotoParent(tx, producerID, productID); err != nil {
			return err
		}
		n, err := photoSlot(tx, producerID, productID)
		if err != nil {
			return err
		}
		ph.Position = int(n)
		if err := tx.Create(&ph).Error; err != nil {
			return err
		}
		if productID != nil && n == 0 {
			return tx.Model(&Product{}).Where("id = ?", *productID).Update("cover_key", key).Error
		}
		return nil
	})
	if err != nil {
		return Photo{}, errors.Join(err, s.Discard(ctx, key)) // the files of a photo that was not added
	}
	return ph, nil
}

// photoSlot counts the photos of a product (or of the profile when
// productID is nil) and refuses when MaxPhotos are there already.
func photoSlot(q *gorm.DB, producerID int64, productID *int64) (int64, error) {
	var n int64
	q = q.Model(&Photo{}).Where("producer_id = ?", producerID)
	if productID != nil {
		q = q.Where("product_id = ?", *productID)
	} else {
		q = q.Where("product_id IS NULL")
	}
	if err := q.Count(&n).Error; err != nil {
		return 0, err
	}
	if n >= MaxPhotos {
		return n, &errs.Reasoned{Err: errs.ErrConflict, Reason: "catalog.too_many_photos"}
	}
	return n, nil
}

// lockPhotoParent makes photo additions to one product (or profile) take
// turns, so that the count read next is still true at the insert.
// PostgreSQL locks the product's row until the transaction ends; a
// profile's parent is the producer, whose row is the producer area's, so
// profiles take a transaction-scoped advisory lock the catalogue owns,
// keyed by the producer. SQLite has one writer at a time; a first write
// takes that lock before the count is read (a deferred transaction that
// read first could not then write), and a write that matches no row takes
// it too.
func lockPhotoParent(tx *gorm.DB, producerID int64, productID *int64) error {
	if db.DialectOf(tx) == db.Postgres {
		if productID != nil {
			return tx.Exec("SELECT id FROM products WHERE id = ? FOR UPDATE", *productID).Error
		}
		// Producer ids fit the lock's 32-bit key; a collision would only make
		// two producers' profile uploads take turns.
		return tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", profilePhotoLockSpace, int32(producerID)).Error
	}
	if productID != nil {
		return tx.Exec("UPDATE products SET id = id WHERE id = ?", *productID).Error
	}
	return tx.Exec("UPDATE photos SET id = id WHERE 1 = 0").Error
}

// profilePhotoLockSpace is the first key of the advisory locks that
// serialise profile photo uploads, one per producer (the second key). No
// other two-key advisory lock of the application uses this number (the
// payouts' is 7001).
const profilePhotoLockSpace int32 = 7002

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
