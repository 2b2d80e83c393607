package registry

import (
	"bytes"
	"os"
	"testing"
	"unicode/utf16"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry/pdftest"
)

func TestCertificatePDFEmbedsAUnicodeFont(t *testing.T) {
	from := day.New(2025, 12, 31)
	v := Verification{Certificate: Certificate{ProductName: "Khâu nhục Mai Sao", ValidFrom: from, ValidUntil: ValidUntilFor(from), DecisionDate: from, Stars: 3}}
	b, err := CertificatePDF(v, nil, "http://x/verify/A", PDFText{Title: "GIẤY CHỨNG NHẬN", StatusText: "Còn hiệu lực"})
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

// TestCertificatePDFIsAnOfficialForm: the page shows the national header,
// the issuer, the number and the signatory's title; a certificate that is
// not valid carries its watermark, and a valid one none.
func TestCertificatePDFIsAnOfficialForm(t *testing.T) {
	from := day.New(2025, 12, 31)
	c := Certificate{Code: "ABCDEFGHJK", Number: "2865/QĐ-UBND/001", ProductName: "Khâu nhục Mai Sao", AuthorityLevel: AuthorityProvince,
		AuthorityName: "UBND Tỉnh Lạng Sơn", DecisionNo: "2865/QĐ-UBND", DecisionDate: from, ValidFrom: from, ValidUntil: ValidUntilFor(from),
		Stars: 4, Score: 75.5, CriteriaVersion: Criteria148, Signatory: "Nguyễn Văn A", OwnerName: "HTX Mai Sao", OwnerAddress: "Xã Mai Sao, Tỉnh Lạng Sơn"}
	text := PDFText{Title: "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP", Number: "Số giấy chứng nhận", NumberLine: "Số: " + c.Number,
		PlaceDate: "Lạng Sơn, ngày 31 tháng 12 năm 2025", StatusText: "Còn hiệu lực"}
	valid, err := CertificatePDF(Verification{Certificate: c, Status: CertActive}, nil, "http://x/verify/ABCDEFGHJK", text)
	if err != nil {
		t.Fatal(err)
	}
	revokedText := text
	revokedText.Watermark, revokedText.StatusText = "ĐÃ THU HỒI", "Đã bị thu hồi"
	rc := c
	rc.RevokedOn, rc.RevocationDecision, rc.RevocationReason = from.AddDays(30), "12/QĐ-UBND", "Vi phạm an toàn thực phẩm"
	revoked, err := CertificatePDF(Verification{Certificate: rc, Status: CertRevoked}, nil, "http://x/verify/ABCDEFGHJK", revokedText)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{NationalName, NationalMotto, "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "Số: 2865/QĐ-UBND/001",
		"Lạng Sơn, ngày 31 tháng 12 năm 2025", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"} {
		if !pdftest.Shows(valid, want) {
			t.Errorf("the PDF does not show %q", want)
		}
	}
	if pdftest.Shows(valid, "ĐÃ THU HỒI") {
		t.Error("a valid certificate carries the revoked watermark")
	}
	if !pdftest.Shows(revoked, "ĐÃ THU HỒI") || !bytes.Contains(revoked, []byte("/ca 0.28")) {
		t.Error("the revoked certificate has no translucent watermark")
	}
	if !pdftest.Shows(revoked, "Vi phạm an toàn thực phẩm") {
		t.Error("the revoked certificate does not give the revocation's reason")
	}
	if dir := os.Getenv("OCOP_PDF_OUT"); dir != "" { // for a person to look at: pdftoppm -png
		for name, pdf := range map[string][]byte{"valid.pdf": valid, "revoked.pdf": revoked} {
			if err := os.WriteFile(dir+"/"+name, pdf, 0o644); err != nil {
				t.Fatalf("OCOP_PDF_OUT: %v", err)
			}
		}
	}
}

func TestLetterheadByLevel(t *testing.T) {
	cases := []struct {
		level                   AuthorityLevel
		name                    string
		issuer0, issuer1, place string
		signFor, signTitle      string
	}{
		{AuthorityProvince, "UBND Tỉnh Lạng Sơn", "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "Lạng Sơn", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
		{AuthorityProvince, "Ủy ban nhân dân  thành phố Hà Nội ", "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "Hà Nội", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
		{AuthorityDistrict, "UBND huyện Chi Lăng", "ỦY BAN NHÂN DÂN", "HUYỆN CHI LĂNG", "Chi Lăng", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
		{AuthorityCentral, CentralAuthority, "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "", "Hà Nội", "", "BỘ TRƯỞNG"},
	}
	for _, tc := range cases {
		l := LetterheadOf(Certificate{AuthorityLevel: tc.level, AuthorityName: tc.name})
		issuer1 := ""
		if len(l.Issuer) > 1 {
			issuer1 = l.Issuer[1]
		}
		if l.Issuer[0] != tc.issuer0 || issuer1 != tc.issuer1 || l.Place != tc.place || l.SignFor != tc.signFor || l.SignTitle != tc.signTitle {
			t.Errorf("%s %q: %+v", tc.level, tc.name, l)
		}
	}
}
