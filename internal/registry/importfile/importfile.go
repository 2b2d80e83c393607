// Package importfile reads the spreadsheet officers fill in to import
// historic certificates in bulk: CSV (UTF-8, comma or semicolon) or XLSX,
// at most MaxBytes and MaxRows, one certificate per row under a header row
// of column keys. It only reads and checks the shape of the file; every
// rule about the certificates themselves lives in registry.ImportHistoric,
// which each row goes through.
package importfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Limits of one file: larger files are refused whole, before any row is read.
const (
	MaxBytes    = 5 << 20
	MaxRows     = 5000
	maxCellRune = 1000 // a cell longer than any field allows is refused in the row
)

// Columns are the keys of the header row, in the template's order: the
// same names as the JSON import API's fields.
var Columns = []string{"producer_slug", "product_id", "product_name", "group_code", "authority_level", "authority_name",
	"decision_no", "decision_date", "number", "stars", "score", "criteria_version", "owner_address", "commune_code", "supersedes"}

// Required are the columns a file must have (the others may be left out).
var Required = []string{"producer_slug", "product_name", "group_code", "authority_level", "decision_no", "decision_date", "stars",
	"criteria_version"}

// Format is how a file was written.
type Format string

// The two formats accepted.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Row is one data row: its line in the file (the header is line 1), its
// cells by column key, and the problems found in its cells (message keys by
// column), which make the row fail without stopping the others.
type Row struct {
	Line   int
	Cells  map[string]string
	Errors []errs.FieldError
}

// File is a parsed import file.
type File struct {
	Format Format
	Rows   []Row
}

// fileError is a refusal of the whole file: a 400 naming the field "file"
// with a message key, so nothing is written.
func fileError(key string) error { return &errs.Reasoned{Err: errs.Invalid("file", key), Reason: key} }

// fileErrorf is fileError with placeholder data ({{.Columns}}, {{.Max}}).
func fileErrorf(key string, data map[string]any) error {
	return &errs.Reasoned{Err: errs.Invalid("file", key), Reason: key, Data: data}
}

// Parse reads name's bytes (data, already limited by the caller to
// MaxBytes+1) as a CSV or XLSX import file. The type is decided by the
// extension and confirmed by the bytes: an .xlsx must be a ZIP, a .csv must
// be UTF-8 text without NUL. Any refusal of the whole file is a validation
// error on "file" carrying its reason.
func Parse(name string, data []byte) (File, error) {
	if len(data) > MaxBytes {
		return File{}, fileErrorf("registry.bulk.err.too_big", map[string]any{"Max": "5 MB"})
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return File{}, fileError("registry.bulk.err.empty")
	}
	var (
		records [][]string
		f       = File{}
		err     error
	)
	switch strings.ToLower(path.Ext(name)) {
	case ".csv", ".txt":
		f.Format = CSV
		records, err = readCSV(data)
	case ".xlsx":
		f.Format = XLSX
		records, err = readXLSX(data)
	default:
		return File{}, fileError("registry.bulk.err.type")
	}
	if err != nil {
		return File{}, err
	}
	return f, f.fill(records)
}

// readCSV reads UTF-8 CSV, with or without a BOM, separated by commas or
// (as Excel writes it where the decimal mark is a comma) semicolons.
func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, fileError("registry.bulk.err.not_text")
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1 // short rows are padded below; a ragged file is common from Excel
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fileErrorf("registry.bulk.err.csv", map[string]any{"Line": pe.Line})
			}
			return nil, err
		}
		if len(out) > MaxRows+1 {
			return nil, fileErrorf("registry.bulk.err.too_many_rows", map[string]any{"Max": MaxRows})
		}
		out = append(out, rec)
	}
}

// readXLSX reads the first sheet of an XLSX workbook, cells as shown
// (formulas give their cached values and are then refused as formulas
// by their leading "=" only when the cell holds one; see cellProblem).
func readXLSX(data []byte) ([][]string, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, fileError("registry.bulk.err.not_xlsx")
	}
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, fileError("registry.bulk.err.not_xlsx")
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("registry.bulk.err.empty")
	}
	rows, err := wb.Rows(sheets[0])
	if err != nil {
		return nil, fileError("registry.bulk.err.not_xlsx")
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		if len(out) > MaxRows+1 {
			return nil, fileErrorf("registry.bulk.err.too_many_rows", map[string]any{"Max": MaxRows})
		}
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileError("registry.bulk.err.not_xlsx")
		}
		out = append(out, rec)
	}
	if rows.Error() != nil {
		return nil, fileError("registry.bulk.err.not_xlsx")
	}
	return out, nil
}

// fill maps records under the header row to Rows, skipping blank rows.
func (f *File) fill(records [][]string) error {
	for len(records) > 0 && blank(records[0]) {
		records = records[1:]
	}
	if len(records) == 0 {
		return fileError("registry.bulk.err.empty")
	}
	cols, err := header(records[0])
	if err != nil {
		return err
	}
	for i, rec := range records[1:] {
		if blank(rec) {
			continue
		}
		if len(f.Rows) == MaxRows {
			return fileErrorf("registry.bulk.err.too_many_rows", map[string]any{"Max": MaxRows})
		}
		row := Row{Line: i + 2, Cells: make(map[string]string, len(cols))}
		for j, key := range cols {
			v := ""
			if j < len(rec) {
				v = strings.TrimSpace(rec[j])
			}
			if key == "" || v == "" {
				continue
			}
			if p := cellProblem(v); p != "" {
				row.Errors = append(row.Errors, errs.FieldError{Field: key, Message: p})
				continue
			}
			row.Cells[key] = v
		}
		if len(rec) > len(cols) && !blank(rec[len(cols):]) {
			row.Errors = append(row.Errors, errs.FieldError{Field: "row", Message: "registry.bulk.err.extra_cells"})
		}
		f.Rows = append(f.Rows, row)
	}
	if len(f.Rows) == 0 {
		return fileError("registry.bulk.err.no_rows")
	}
	return nil
}

// header maps the header row to column keys, refusing unknown and repeated
// columns and naming the required ones that are missing.
func header(rec []string) ([]string, error) {
	known := make(map[string]bool, len(Columns))
	for _, c := range Columns {
		known[c] = true
	}
	cols := make([]string, len(rec))
	seen := map[string]bool{}
	var unknown []string
	for i, h := range rec {
		k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case k == "":
		case !known[k] || seen[k]:
			unknown = append(unknown, printable(h))
		default:
			cols[i], seen[k] = k, true
		}
	}
	if unknown != nil {
		return nil, fileErrorf("registry.bulk.err.columns_unknown", map[string]any{"Columns": strings.Join(unknown, ", ")})
	}
	var missing []string
	for _, c := range Required {
		if !seen[c] {
			missing = append(missing, c)
		}
	}
	if missing != nil {
		return nil, fileErrorf("registry.bulk.err.columns_missing", map[string]any{"Columns": strings.Join(missing, ", ")})
	}
	return cols, nil
}

// cellProblem is the message key of what is wrong with a cell's text, or "".
func cellProblem(v string) string {
	switch {
	case !utf8.ValidString(v):
		return "registry.bulk.err.cell_encoding"
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return "registry.bulk.err.cell_control"
	case utf8.RuneCountInString(v) > maxCellRune:
		return "validation.max"
	case strings.ContainsRune("=+@", rune(v[0])) || (v[0] == '-' && !isNumber(v)):
		// security: a cell that a spreadsheet would run as a formula when
		// the data is exported again (CSV injection) is not data.
		return "registry.bulk.err.cell_formula"
	}
	return ""
}

// isNumber reports whether v is a plain decimal number (a negative score is
// refused by the import's rules, not taken for a formula).
func isNumber(v string) bool {
	var x float64
	_, err := fmt.Sscan(strings.Replace(v, ",", ".", 1), &x)
	return err == nil && strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune("-0123456789.,", r) }) < 0
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// printable shortens a header cell for an error message and drops what
// cannot be shown.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return s
}
