package registry

import (
	"bytes"
	_ "embed" // fonts for the PDF certificate
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/chocop/ocop/internal/platform/day"
)

// DejaVu Sans covers every Vietnamese letter with its diacritics (the PDF
// core fonts do not). Licence: fonts/LICENSE.txt.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// PDFText holds the words of the printed certificate in the reader's
// language. The letterhead (national header, issuer, signature block) is
// the Vietnamese legal form and is printed as it is in every language.
type PDFText struct {
	Title, Owner, Address, Stars, Score, Authority, Decision, ValidFrom, ValidUntil, Number, Status, Scan, Revocation string
	Latest                                                                                                            string                      // label of the newest certificate of the chain
	LatestStatus                                                                                                      string                      // that certificate's status today, in words
	NumberLine                                                                                                        string                      // "Số: 2865/QĐ-UBND/001"
	PlaceDate                                                                                                         string                      // "Lạng Sơn, ngày 31 tháng 12 năm 2025"
	StatusText                                                                                                        string                      // the status today, in words, with its date when no longer valid
	Watermark                                                                                                         string                      // printed across the page when the certificate is not valid; "" when it is
	Date                                                                                                              func(day.Date) string       // a date in the reader's format
	Level                                                                                                             func(AuthorityLevel) string // the authority level in words
}

// Page geometry, in millimetres on A4 portrait.
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 20.0
)

// CertificatePage is one certificate to print: its verification, the PNG
// of its QR code, its verify URL and the words in the reader's language.
type CertificatePage struct {
	V     Verification
	QR    []byte
	URL   string
	Words PDFText
}

// CertificatePDF renders an A4 certificate in the form of an official
// document, with its QR code (a PNG of the verify URL), and returns the PDF
// bytes. A certificate that is not valid today carries t.Watermark
// diagonally across the page, so a printout can never pass for a valid one.
func CertificatePDF(v Verification, qrPNG []byte, verifyURL string, t PDFText) ([]byte, error) {
	return CertificatesPDF(v.Certificate.ProductName+" – OCOP "+v.Certificate.Number, []CertificatePage{{V: v, QR: qrPNG, URL: verifyURL, Words: t}})
}

// CertificatesPDF renders each certificate on its own A4 page of one PDF
// (a decision's annex printed at once), each page exactly as CertificatePDF
// draws it alone.
func CertificatesPDF(title string, pages []CertificatePage) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(title, true)
	if len(pages) > 0 {
		pdf.SetAuthor(pages[0].V.Certificate.AuthorityName, true)
	}
	pdf.AddUTF8FontFromBytes("dejavu", "", fontRegular)
	pdf.AddUTF8FontFromBytes("dejavu", "B", fontBold)
	pdf.SetMargins(marginX, 20, marginX)
	pdf.SetAutoPageBreak(false, 0)
	for i, p := range pages {
		drawCertificate(pdf, p, fmt.Sprintf("qr%d", i))
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawCertificate adds one page holding the certificate of p; qrName names
// its QR image in the document.
func drawCertificate(pdf *fpdf.Fpdf, p CertificatePage, qrName string) {
	v, qrPNG, verifyURL, t := p.V, p.QR, p.URL, p.Words
	c := v.Certificate
	date := t.Date
	if date == nil {
		date = func(d day.Date) string { return d.VN() }
	}
	lh := LetterheadOf(c)
	pdf.AddPage()
	pdf.SetDrawColor(180, 40, 40)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, pageW-20, pageH-20, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(12.5, 12.5, pageW-25, pageH-25, "D")

	header(pdf, lh, t)

	pdf.SetY(62)
	pdf.SetFont("dejavu", "B", 20)
	pdf.SetTextColor(180, 40, 40)
	pdf.MultiCell(0, 9, t.Title, "", "C", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)
	pdf.SetFont("dejavu", "B", 16)
	pdf.MultiCell(0, 8, c.ProductName, "", "C", false)
	pdf.SetFont("dejavu", "", 26)
	pdf.SetTextColor(220, 160, 0)
	pdf.CellFormat(0, 13, strings.Repeat("★", c.Stars), "", 1, "C", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)

	level := string(c.AuthorityLevel)
	if t.Level != nil {
		level = t.Level(c.AuthorityLevel)
	}
	rows := [][2]string{
		{t.Number, c.Number},
		{t.Owner, c.OwnerName},
		{t.Address, c.OwnerAddress},
		{t.Authority, strings.TrimSpace(c.AuthorityName + " (" + level + ")")},
		{t.Stars, fmt.Sprintf("%d★", c.Stars)},
		{t.Score, PointsOf(c.Score).String() + " (" + c.CriteriaVersion + ")"},
		{t.Decision, c.DecisionNo + " · " + date(c.DecisionDate)},
		{t.ValidFrom, date(c.ValidFrom)},
		{t.ValidUntil, date(c.ValidUntil)},
		{t.Status, t.StatusText},
	}
	if v.Status == CertRevoked {
		rows = append(rows, [2]string{t.Revocation, strings.TrimSpace(c.RevocationDecision + " · " + date(c.RevokedOn) + " · " + c.RevocationReason)})
	}
	if v.Latest != nil {
		rows = append(rows, [2]string{t.Latest, v.Latest.Number + " (" + strings.Repeat("★", v.Latest.Stars) + ") · " + t.LatestStatus})
	}
	for _, r := range rows {
		if pdf.GetY() > 196 {
			break // the signature block and the QR code below keep their place
		}
		pdf.SetFont("dejavu", "B", 10.5)
		pdf.CellFormat(48, 6.5, r[0], "", 0, "L", false, 0, "")
		pdf.SetFont("dejavu", "", 10.5)
		pdf.MultiCell(0, 6.5, r[1], "", "L", false)
	}

	signature(pdf, lh)
	if len(qrPNG) > 0 {
		opt := fpdf.ImageOptions{ImageType: "PNG"}
		pdf.RegisterImageOptionsReader(qrName, opt, bytes.NewReader(qrPNG))
		pdf.ImageOptions(qrName, 28, 208, 42, 42, false, opt, 0, "")
	}
	pdf.SetXY(marginX, 262)
	pdf.SetFont("dejavu", "", 8.5)
	pdf.MultiCell(0, 4.5, t.Scan+"\n"+verifyURL, "", "C", false)

	if t.Watermark != "" {
		watermark(pdf, t.Watermark)
	}
}

// header draws the issuer (left) and the national header (right), each
// underlined by a short rule, then the number and the place and date.
func header(pdf *fpdf.Fpdf, lh Letterhead, t PDFText) {
	const leftX, leftW, rightX, rightW = 15.0, 78.0, 93.0, 104.0
	pdf.SetFont("dejavu", "B", 10.5)
	y := 20.0
	for _, line := range lh.Issuer {
		pdf.SetXY(leftX, y)
		pdf.MultiCell(leftW, 5, line, "", "C", false)
		y = pdf.GetY()
	}
	rule(pdf, leftX+leftW/2, y+1, 24)
	pdf.SetXY(leftX, y+4)
	pdf.SetFont("dejavu", "", 10)
	pdf.MultiCell(leftW, 5, t.NumberLine, "", "C", false)

	pdf.SetXY(rightX, 20)
	pdf.SetFont("dejavu", "B", 10.5)
	pdf.CellFormat(rightW, 5, NationalName, "", 2, "C", false, 0, "")
	pdf.SetFont("dejavu", "B", 11.5)
	pdf.CellFormat(rightW, 6, NationalMotto, "", 2, "C", false, 0, "")
	rule(pdf, rightX+rightW/2, 31.5, pdf.GetStringWidth(NationalMotto))
	pdf.SetXY(rightX, 36)
	pdf.SetFont("dejavu", "", 10)
	pdf.MultiCell(rightW, 5, t.PlaceDate, "", "C", false)
}

// signature draws the signature block at the lower right.
func signature(pdf *fpdf.Fpdf, lh Letterhead) {
	const x, w = 105.0, 90.0
	pdf.SetFont("dejavu", "B", 11)
	pdf.SetXY(x, 208)
	if lh.SignFor != "" {
		pdf.CellFormat(w, 6, lh.SignFor, "", 2, "C", false, 0, "")
	}
	pdf.CellFormat(w, 6, lh.SignTitle, "", 2, "C", false, 0, "")
	if lh.Signatory != "" {
		pdf.SetXY(x, 240)
		pdf.CellFormat(w, 6, lh.Signatory, "", 2, "C", false, 0, "")
	}
}

// rule draws a short centred line under a header block, as official documents do.
func rule(pdf *fpdf.Fpdf, centre, y, width float64) {
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.3)
	pdf.Line(centre-width/2, y, centre+width/2, y)
}

// watermark writes text diagonally across the page, translucent red in a
// frame, above everything else so that it cannot be covered or cropped
// away without cutting the certificate.
func watermark(pdf *fpdf.Fpdf, text string) {
	cx, cy := pageW/2, pageH/2
	pdf.TransformBegin()
	pdf.TransformRotate(50, cx, cy)
	pdf.SetAlpha(0.28, "Normal")
	size := 60.0
	pdf.SetFont("dejavu", "B", size)
	for w := pdf.GetStringWidth(text); w > 230 && size > 20; w = pdf.GetStringWidth(text) {
		size -= 4
		pdf.SetFont("dejavu", "B", size)
	}
	w := pdf.GetStringWidth(text)
	h := size * 0.3528 // points to millimetres
	pdf.SetTextColor(200, 0, 0)
	pdf.SetDrawColor(200, 0, 0)
	pdf.SetLineWidth(2)
	pdf.Rect(cx-w/2-6, cy-h/2-5, w+12, h+10, "D")
	pdf.Text(cx-w/2, cy+h*0.36, text)
	pdf.SetAlpha(1, "Normal")
	pdf.TransformEnd()
	pdf.SetTextColor(0, 0, 0)
}
