package importfile

import (
	"bytes"
	"strings"

	"github.com/xuri/excelize/v2"
)

// TemplateCSV is the empty CSV template: a UTF-8 BOM (so Excel on Windows
// reads the diacritics) and the header row.
func TemplateCSV() []byte {
	return []byte("\xef\xbb\xbf" + strings.Join(Columns, ",") + "\r\n")
}

// TemplateXLSX is the XLSX template: the header row on the first sheet,
// which is the one read back, with every cell stored as text so Excel does
// not turn numbers like "12/QĐ" or codes like "I.3.d" into dates; and a
// second sheet describing each column (describe gives the text, in the
// officer's language).
func TemplateXLSX(sheetName, helpName string, describe func(column string) string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(Columns))
	if err := f.SetColStyle(sheetName, "A:"+last, text); err != nil {
		return nil, err
	}
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = c
	}
	if err := f.SetSheetRow(sheetName, "A1", &header); err != nil {
		return nil, err
	}
	if err := f.SetRowStyle(sheetName, 1, 1, bold); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(helpName); err != nil {
		return nil, err
	}
	for i, c := range Columns {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(helpName, cell, &[]any{c, describe(c)}); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(helpName, "A", "A", 20); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(helpName, "B", "B", 100); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
