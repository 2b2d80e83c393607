package catalogweb

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"html/template"
)

// The cached product page of a visitor who is not signed in is the same
// for every such visitor but for the CSRF token in its forms, so it cannot
// be compressed once and sent as is; compressing 12 KB on every request
// costs more CPU than the rest of the request. Instead each part between
// the placeholders is compressed once, when cached, and a request builds a
// gzip stream around them (RFC 1951, 1952): the gzip header, each part's
// DEFLATE blocks, the token between them as a stored block, an empty final
// block, and the CRC-32 and length of the whole page. A part is compressed
// alone and ends with a sync flush, which leaves the stream at a byte
// boundary with no block marked final, so the pieces join into one valid
// stream; only back-references across a token are lost.

// deflatePart compresses one part of a page alone, ending in a sync flush
// (an empty stored block: byte-aligned, not final).
func deflatePart(part []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(part); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gzipHeader is a gzip member header: deflate, no flags, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// finalBlock is an empty stored block marked final.
var finalBlock = []byte{1, 0, 0, 0xff, 0xff}

// gzipped is the page with token in every placeholder's place, as a gzip
// stream made of the parts' cached DEFLATE blocks; false for a token too
// long for one stored block (64 KiB; a CSRF token is 32 bytes).
func (p tokenPage) gzipped(token string) ([]byte, bool) {
	t := []byte(template.HTMLEscapeString(token))
	if len(t) > 0xffff {
		return nil, false
	}
	n := len(gzipHeader) + len(finalBlock) + 8 + (len(p.parts)-1)*(5+len(t))
	for _, d := range p.deflated {
		n += len(d)
	}
	b := make([]byte, 0, n)
	b = append(b, gzipHeader...)
	var crc uint32
	size := 0
	for i, part := range p.parts {
		if i > 0 {
			l := uint16(len(t))
			b = append(b, 0, byte(l), byte(l>>8), ^byte(l), ^byte(l>>8)) // stored block, not final
			b = append(b, t...)
			crc = crc32.Update(crc, crc32.IEEETable, t)
			size += len(t)
		}
		b = append(b, p.deflated[i]...)
		crc = crc32.Update(crc, crc32.IEEETable, part)
		size += len(part)
	}
	b = append(b, finalBlock...)
	b = binary.LittleEndian.AppendUint32(b, crc)
	return binary.LittleEndian.AppendUint32(b, uint32(size)), true
}
