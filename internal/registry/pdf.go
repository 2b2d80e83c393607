package registry

import (
	"bytes"
	_ "embed" // fonts for the PDF certificate
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
)

// DejaVu Sans covers every Vietnamese letter with its diacritics (the PDF
// core fonts do not). Licence: fonts/LICENSE.txt.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// PDFText holds the words of the printed certificate in the reader's language.
type PDFText struct {
	Title, Product, Owner, Address, Stars, Score, Authority, Decision, ValidFrom, ValidUntil, Number, Status, Scan string
}

// CertificatePDF renders an A4 certificate with its QR code (a PNG of the
// verify URL) and returns the PDF bytes.
func CertificatePDF(v Verification, qrPNG []byte, verifyURL string, t PDFText, status string) ([]byte, error) {
	c := v.Certificate
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(c.ProductName+" – OCOP "+c.Number, true)
	pdf.SetAuthor(c.AuthorityName, true)
	pdf.AddUTF8FontFromBytes("dejavu", "", fontRegular)
	pdf.AddUTF8FontFromBytes("dejavu", "B", fontBold)
	pdf.SetMargins(20, 20, 20)
	pdf.AddPage()
	pdf.SetDrawColor(180, 40, 40)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, 190, 277, "D")

	pdf.SetFont("dejavu", "B", 12)
	pdf.CellFormat(0, 7, strings.ToUpper(c.AuthorityName), "", 1, "C", false, 0, "")
	pdf.Ln(10)
	pdf.SetFont("dejavu", "B", 22)
	pdf.SetTextColor(180, 40, 40)
	pdf.MultiCell(0, 10, t.Title, "", "C", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(4)
	pdf.SetFont("dejavu", "B", 18)
	pdf.MultiCell(0, 9, c.ProductName, "", "C", false)
	pdf.SetFont("dejavu", "", 28)
	pdf.SetTextColor(220, 160, 0)
	pdf.CellFormat(0, 14, strings.Repeat("★", c.Stars), "", 1, "C", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(6)

	rows := [][2]string{
		{t.Owner, c.OwnerName},
		{t.Address, c.OwnerAddress},
		{t.Stars, fmt.Sprintf("%d", c.Stars)},
		{t.Score, PointsOf(c.Score).String()},
		{t.Decision, c.DecisionNo + " (" + c.DecisionDate.VN() + ")"},
		{t.Number, c.Number},
		{t.ValidFrom, c.ValidFrom.VN()},
		{t.ValidUntil, c.ValidUntil.VN()},
		{t.Status, status},
	}
	for _, r := range rows {
		pdf.SetFont("dejavu", "B", 11)
		pdf.CellFormat(50, 8, r[0], "", 0, "L", false, 0, "")
		pdf.SetFont("dejavu", "", 11)
		pdf.MultiCell(0, 8, r[1], "", "L", false)
	}
	if len(qrPNG) > 0 {
		opt := fpdf.ImageOptions{ImageType: "PNG"}
		pdf.RegisterImageOptionsReader("qr", opt, bytes.NewReader(qrPNG))
		pdf.ImageOptions("qr", 80, 205, 50, 50, false, opt, 0, "")
		pdf.SetXY(20, 257)
		pdf.SetFont("dejavu", "", 9)
		pdf.MultiCell(0, 5, t.Scan+"\n"+verifyURL, "", "C", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
