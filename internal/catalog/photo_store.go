package catalog

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// StoredPhoto is an upload that passed the photo checks and whose sizes
// (PhotoSizes) are in the blob store under Key+"-"+size+".jpg", served by
// /media like a product photo.
type StoredPhoto struct {
	Key           string
	Width, Height int
}

// Store runs an upload through the photo pipeline (size, type, pixels and
// decoding memory checked from the header, decoding through the gate,
// re-encoded JPEG sizes without EXIF) and puts the files in the blob store,
// recording nothing. It is how the catalogue's own photos and other areas'
// pictures (a review's) are stored: one pipeline, one set of limits. A bad
// upload is a validation error on the field "photo". A caller whose record
// then fails to commit removes the files with Discard.
func (s *PhotoService) Store(ctx context.Context, r io.Reader) (StoredPhoto, error) {
	raw, err := readPhoto(r)
	if err != nil {
		return StoredPhoto{}, err
	}
	if err := checkPhoto(raw); err != nil {
		return StoredPhoto{}, err
	}
	leave, err := s.gate.Enter(ctx)
	if err != nil {
		return StoredPhoto{}, err
	}
	pp, err := decodePhoto(raw)
	leave()
	if err != nil {
		return StoredPhoto{}, err
	}
	var rnd [12]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return StoredPhoto{}, err
	}
	id := hex.EncodeToString(rnd[:])
	key := "photos/" + id[:2] + "/" + id
	for name, data := range pp.Files {
		if err := s.blobs.Put(ctx, key+"-"+name+".jpg", "image/jpeg", bytes.NewReader(data)); err != nil {
			return StoredPhoto{}, errors.Join(fmt.Errorf("store photo: %w", err), s.Discard(ctx, key))
		}
	}
	return StoredPhoto{Key: key, Width: pp.Width, Height: pp.Height}, nil
}

// Discard removes the files Store put under key (those that exist).
func (s *PhotoService) Discard(ctx context.Context, key string) error {
	var errList []error
	for name := range PhotoSizes {
		if err := s.blobs.Delete(ctx, key+"-"+name+".jpg"); err != nil {
			errList = append(errList, fmt.Errorf("remove unused photo file: %w", err))
		}
	}
	return errors.Join(errList...)
}
