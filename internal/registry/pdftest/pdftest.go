// Package pdftest reads the text that a PDF made by the registry shows, for
// tests: it inflates every content stream and looks for the UTF-16 strings
// that fpdf writes for an embedded Unicode font (the font's CIDs are the
// code points, so the bytes of a shown string are its UTF-16BE text).
package pdftest

import (
	"bytes"
	"compress/zlib"
	"io"
	"strings"
	"unicode/utf16"
)

// Shows reports whether the PDF draws s on a page in one piece (one text
// operation: a line that a cell wraps is two).
func Shows(pdf []byte, s string) bool {
	needle := []byte(escape(utf16BE(s)))
	for _, st := range Streams(pdf) {
		if bytes.Contains(st, needle) {
			return true
		}
	}
	return false
}

// Streams returns the content of every stream in the PDF, inflated when it
// is compressed (fonts and images come out as they are; only text matters).
func Streams(pdf []byte) [][]byte {
	var out [][]byte
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			return out
		}
		raw := rest[:j]
		rest = rest[j:]
		if zr, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			if b, err := io.ReadAll(zr); err == nil {
				out = append(out, b)
				continue
			}
		}
		out = append(out, raw)
	}
}

func utf16BE(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u >> 8))
		b.WriteByte(byte(u))
	}
	return b.String()
}

// escape is what fpdf does to a string literal in a content stream.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", `\r`).Replace(s)
}
