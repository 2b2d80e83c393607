// Package qr draws QR codes as PNG and SVG. Certificates print their verify
// URL as a QR code on packages; VietQR payment payloads are QR codes too.
package qr

import (
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Level M recovers from 15% damage: enough for a printed label that gets
// scuffed, without making dense payloads (VietQR) hard to scan on cheap phones.
const level = qrcode.Medium

// PNG encodes content as a PNG of size×size pixels.
func PNG(content string, size int) ([]byte, error) {
	b, err := qrcode.Encode(content, level, size)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return b, nil
}

// SVG encodes content as a scalable SVG: one path of unit squares, with the
// four-module quiet zone the standard asks for.
func SVG(content string) (string, error) {
	q, err := qrcode.New(content, level)
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	bits := q.Bitmap() // includes the quiet zone
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
