package registry

import (
	"bytes"
	"testing"
	"unicode/utf16"

	"github.com/chocop/ocop/internal/platform/day"
)

func TestCertificatePDFEmbedsAUnicodeFont(t *testing.T) {
	from := day.New(2025, 12, 31)
	v := Verification{Certificate: Certificate{ProductName: "Khâu nhục Mai Sao", ValidFrom: from, ValidUntil: ValidUntilFor(from), DecisionDate: from, Stars: 3}}
	b, err := CertificatePDF(v, nil, "http://x/verify/A", PDFText{Title: "GIẤY CHỨNG NHẬN"}, "Còn hiệu lực")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	for _, want := range []string{"/FontFile2", "/ToUnicode", "/CIDFontType2"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("PDF lacks %s: Vietnamese text needs an embedded TrueType font with a Unicode map", want)
		}
	}
	var title []byte
	for _, u := range utf16.Encode([]rune("Khâu nhục Mai Sao")) {
		title = append(title, byte(u>>8), byte(u))
	}
	if !bytes.Contains(b, title) {
		t.Error("PDF title does not hold the product name with its diacritics")
	}
}
