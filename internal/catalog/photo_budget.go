package catalog

import (
	"encoding/binary"
	"image"
	"image/color"
)

// MaxDecodeBytes is the memory one photo may take to decode. Pixels alone
// do not bound it: a 6300 × 6300 PNG is under the pixel limit, but at 16
// bits per channel it decodes to 318 MB, and six at once took a server to
// 2 GB. 128 MiB fits a 12-megapixel phone photo (18 MB as a baseline JPEG,
// 90 MB as a progressive one) and a 32-megapixel 8-bit PNG.
const MaxDecodeBytes = 128 << 20

// decodeBytes is what decoding an image of cfg takes in memory, in bytes,
// from its header alone: its pixels times the bytes per pixel of the image
// the decoder builds (by color model and bit depth), plus what the format's
// decoder holds beside it (a progressive JPEG keeps a 32-bit coefficient per
// sample; an interlaced PNG decodes each pass into an image of its own).
func decodeBytes(cfg image.Config, format string, raw []byte) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "jpeg":
		return jpegDecodeBytes(px, raw)
	case "png":
		n := px * bytesPerPixel(cfg.ColorModel)
		if len(raw) > 28 && raw[28] == 1 { // IHDR interlace method: Adam7
			n *= 2
		}
		return n
	case "webp":
		switch cfg.ColorModel {
		case color.YCbCrModel: // lossy: 4:2:0 planes
			return px * 3 / 2
		case color.NYCbCrAModel: // lossy with alpha
			return px * 5 / 2
		}
		return px * 8 // lossless: ARGB words while decoding, then NRGBA
	}
	return px * 8
}

// bytesPerPixel is the size of one pixel of an image in model m.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8 // unknown: assume the widest
}

// jpegDecodeBytes reads the JPEG's frame header (SOFn) for its components,
// their sampling and whether it is progressive. Samples are one byte each
// in the decoded image; a progressive decode also keeps an int32
// coefficient per sample; four components (CMYK) add a 4-byte-per-pixel
// image. A header it cannot read counts as the worst case.
func jpegDecodeBytes(px int64, raw []byte) int64 {
	const worst = 3 * 5 // three full-size components, progressive
	sof, progressive, ok := jpegFrame(raw)
	if !ok {
		return px * worst
	}
	n := int(sof[5])
	if n < 1 || len(sof) < 6+3*n {
		return px * worst
	}
	var hmax, vmax int64 = 1, 1
	for i := range n {
		h, v := int64(sof[7+3*i]>>4), int64(sof[7+3*i]&0x0f)
		if h < 1 || v < 1 {
			return px * worst
		}
		hmax, vmax = max(hmax, h), max(vmax, v)
	}
	var samples int64
	for i := range n {
		h, v := int64(sof[7+3*i]>>4), int64(sof[7+3*i]&0x0f)
		samples += px * h * v / (hmax * vmax)
	}
	total := samples
	if progressive {
		total += 4 * samples
	}
	if n == 4 {
		total += 4 * px
	}
	return total
}

// jpegFrame finds the start-of-frame segment of a JPEG and returns its
// payload (precision, height, width, component count, components) and
// whether the frame is progressive (SOF2, SOF6, SOF10, SOF14).
func jpegFrame(b []byte) (sof []byte, progressive, ok bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, false, false
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return nil, false, false
		}
		m := b[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) { // no length
			i += 2
			continue
		}
		if m == 0xD9 || m == 0xDA { // end of image, or scan data before any frame
			return nil, false, false
		}
		l := int(binary.BigEndian.Uint16(b[i+2:]))
		if l < 2 || i+2+l > len(b) {
			return nil, false, false
		}
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			return b[i+4 : i+2+l], m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE, l >= 8
		}
		i += 2 + l
	}
	return nil, false, false
}
