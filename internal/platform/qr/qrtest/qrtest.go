// Package qrtest reads QR codes back from images, so tests can prove that a
// printed code scans to what it should.
package qrtest

import (
	"bytes"
	"image"
	_ "image/png" // PNG decoder for image.Decode

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

// DecodePNG returns the text of the QR code in a PNG image. The detector
// that finds a code in a photo misjudges about one clean rendered code in
// 700 (it read 23 modules where there are 25); such an image is read again
// as what it is, a code alone on its quiet zone (zxing's PURE_BARCODE).
func DecodePNG(b []byte) (string, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		pure, perr := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if perr != nil {
			return "", err
		}
		res = pure
	}
	return res.GetText(), nil
}
