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

// DecodePNG returns the text of the QR code in a PNG image.
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
		return "", err
	}
	return res.GetText(), nil
}
