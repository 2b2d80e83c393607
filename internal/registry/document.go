package registry

import (
	"bytes"
	"net/http"
	"path"
	"strings"

	"github.com/chocop/ocop/internal/platform/errs"
)

// MaxDocumentSize is the largest dossier file accepted (a scanned form or a
// test report; a whole dossier is many such files).
const MaxDocumentSize = 5 << 20

// DocumentKinds are the parts of a dossier (Decision 148 / 1489).
var DocumentKinds = []string{"registration_form", "business_plan", "product_description", "business_registration", "food_safety", "quality", "self_assessment", "other"}

// allowedDocTypes maps a file extension to the content type its bytes must have.
var allowedDocTypes = map[string]string{
	".pdf":  "application/pdf",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".webp": "image/webp",
}

// CheckDocument decides a dossier file's content type from its bytes and
// checks that it is what its name claims: a PDF or an image, no larger than
// MaxDocumentSize. head is the start of the file (at least 512 bytes when
// the file is that long).
func CheckDocument(fileName string, size int64, head []byte) (string, error) {
	if size <= 0 {
		return "", errs.Invalid("file", "registry.err.file_empty")
	}
	if size > MaxDocumentSize {
		return "", errs.Invalid("file", "registry.err.file_too_large")
	}
	want, ok := allowedDocTypes[strings.ToLower(path.Ext(fileName))]
	if !ok {
		return "", errs.Invalid("file", "registry.err.file_type")
	}
	got := sniff(head)
	if got != want {
		return "", errs.Invalid("file", "registry.err.file_mismatch")
	}
	return got, nil
}

// sniff names the content type of head by its magic bytes, only among the
// types a dossier may hold.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "image/webp"
	}
	ct := http.DetectContentType(head)
	if ct == "image/jpeg" || ct == "image/png" {
		return ct
	}
	return ""
}

// CleanFileName keeps a file name safe to show and to send back in a
// Content-Disposition header: no path, no control or quote characters.
func CleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '"' || r == ';' {
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len([]rune(out)) > 120 {
		out = string([]rune(out)[:120])
	}
	if out == "" || out == "." || out == "/" {
		out = "document"
	}
	return out
}
