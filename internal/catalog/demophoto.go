package catalog

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
)

// DemoPhotoPrefix marks photo keys of demo data. Their pictures are drawn
// on request rather than stored, so seeding needs no blob store and
// downloads nothing.
const DemoPhotoPrefix = "photos/demo-"

// DemoPhoto draws the picture of a demo key: soft stripes in colours
// derived from the key, at the width of the size name ("card" or "page").
func DemoPhoto(key string) ([]byte, bool) {
	base, size, ok := strings.Cut(strings.TrimSuffix(key, ".jpg"), "-card")
	if ok {
		size = "card"
	} else if base, _, ok = strings.Cut(strings.TrimSuffix(key, ".jpg"), "-page"); ok {
		size = "page"
	}
	if !ok || !strings.HasPrefix(base, DemoPhotoPrefix) {
		return nil, false
	}
	h := fnv.New32a()
	h.Write([]byte(base))
	sum := h.Sum32()
	w := PhotoSizes[size] / 2
	ht := w * 3 / 4
	c1 := color.RGBA{uint8(sum), uint8(sum >> 8), uint8(sum >> 16), 255}
	c2 := color.RGBA{255 - c1.R/2, 255 - c1.G/2, 255 - c1.B/2, 255}
	img := image.NewRGBA(image.Rect(0, 0, w, ht))
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			c := c1
			if ((x+y)/24)%2 == 0 {
				c = c2
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70}); err != nil {
		return nil, false // no demo photo rather than a broken one
	}
	return buf.Bytes(), true
}
