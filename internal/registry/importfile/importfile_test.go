package importfile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chocop/ocop/internal/platform/errs"
)

const headerRow = "producer_slug,product_name,group_code,authority_level,decision_no,decision_date,stars,criteria_version,score\n"

// reason is the message key a whole-file refusal carries ("" when parsed).
func reason(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	if _, ok := errs.AsValidation(err); !ok {
		t.Fatalf("a refused file is not a validation error: %v", err)
	}
	return errs.Reason(err)
}

func manyRows(n int) []byte {
	var b strings.Builder
	b.WriteString(headerRow)
	for i := 0; i < n; i++ {
		b.WriteString("p,Sản phẩm,I.3.d,province,1/QĐ,2024-01-02,4,148,75\n")
	}
	return []byte(b.String())
}

// TestHostileFilesAreRefusedWhole: each file that is not an import file is
// refused with the reason the officer reads, before any row is looked at.
func TestHostileFilesAreRefusedWhole(t *testing.T) {
	huge := append(manyRows(1), bytes.Repeat([]byte("x"), MaxBytes)...)
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"a PDF", "quyet-dinh.pdf", []byte("%PDF-1.4\n"), "registry.bulk.err.type"},
		{"no extension", "data", manyRows(1), "registry.bulk.err.type"},
		{"an executable renamed .csv", "x.csv", []byte("MZ\x90\x00\x03\x00\x00\x00"), "registry.bulk.err.not_text"},
		{"text renamed .xlsx", "x.xlsx", manyRows(1), "registry.bulk.err.not_xlsx"},
		{"a zip that is no workbook", "x.xlsx", []byte("PK\x03\x04garbage"), "registry.bulk.err.not_xlsx"},
		{"over 5 MB", "x.csv", huge, "registry.bulk.err.too_big"},
		{"over 5,000 rows", "x.csv", manyRows(MaxRows + 1), "registry.bulk.err.too_many_rows"},
		{"invalid UTF-8 (Windows-1258 export)", "x.csv", append([]byte(headerRow), []byte("p,S\xe0n ph\xe2m,I.3.d\n")...), "registry.bulk.err.not_text"},
		{"empty", "x.csv", nil, "registry.bulk.err.empty"},
		{"only blanks", "x.csv", []byte(" \r\n\r\n"), "registry.bulk.err.empty"},
		{"only the headerRow", "x.csv", []byte(headerRow), "registry.bulk.err.no_rows"},
		{"an unknown column", "x.csv", []byte("producer_slug,evil\np,x\n"), "registry.bulk.err.columns_unknown"},
		{"a repeated column", "x.csv", []byte(strings.TrimSuffix(headerRow, "\n") + ",stars\n"), "registry.bulk.err.columns_unknown"},
		{"a required column missing", "x.csv", []byte("producer_slug,product_name\np,x\n"), "registry.bulk.err.columns_missing"},
		{"a quote never closed", "x.csv", append([]byte(headerRow), []byte("p,\"Sản phẩm,I.3.d\n")...), "registry.bulk.err.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.file, tc.data)
			if got := reason(t, err); got != tc.want {
				t.Errorf("refused with %q, want %q (%v)", got, tc.want, err)
			}
		})
	}
	if _, err := Parse("x.csv", manyRows(MaxRows)); err != nil {
		t.Errorf("exactly %d rows refused: %v", MaxRows, err)
	}
}

// TestBadCellsFailTheirRowOnly: a formula, a control character or an
// overlong cell makes its row fail, named by column; the other rows parse.
func TestBadCellsFailTheirRowOnly(t *testing.T) {
	data := headerRow +
		"p,\"=HYPERLINK(\"\"http://evil\"\")\",I.3.d,province,1/QĐ,2024-01-02,4,148,75\n" +
		"p,Tốt,I.3.d,province,1/QĐ,2024-01-02,4,148,-75\n" +
		"p,@SUM(A1),I.3.d,province,+1/QĐ,2024-01-02,4,148,75\n" +
		"p,Chuông\x07,I.3.d,province,1/QĐ,2024-01-02,4,148,75\n" +
		"p,-cmd|' /C calc'!A0,I.3.d,province,1/QĐ,2024-01-02,4,148,75\n" +
		"p," + strings.Repeat("a", 1001) + ",I.3.d,province,1/QĐ,2024-01-02,4,148,75\n" +
		"p,Tốt,I.3.d,province,1/QĐ,2024-01-02,4,148,75,extra\n"
	f, err := Parse("x.csv", []byte("\xef\xbb\xbf"+data))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"product_name:registry.bulk.err.cell_formula"}, nil,
		{"product_name:registry.bulk.err.cell_formula", "decision_no:registry.bulk.err.cell_formula"},
		{"product_name:registry.bulk.err.cell_control"}, {"product_name:registry.bulk.err.cell_formula"},
		{"product_name:validation.max"}, {"row:registry.bulk.err.extra_cells"}}
	if len(f.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(f.Rows), len(want))
	}
	for i, r := range f.Rows {
		var got []string
		for _, e := range r.Errors {
			got = append(got, e.Field+":"+e.Message)
		}
		if strings.Join(got, " ") != strings.Join(want[i], " ") {
			t.Errorf("line %d: errors %v, want %v", r.Line, got, want[i])
		}
	}
	if f.Rows[1].Cells["score"] != "-75" || f.Rows[1].Line != 3 {
		t.Errorf("a negative number is data for the rules to refuse, not a formula: %+v", f.Rows[1])
	}
}

// TestSemicolonsAndXLSXReadAlike: Excel's semicolon CSV and an XLSX
// workbook (with a date cell) give the same cells as a comma CSV.
func TestSemicolonsAndXLSXReadAlike(t *testing.T) {
	semi, err := Parse("x.csv", []byte(strings.ReplaceAll(headerRow, ",", ";")+"p;Vịt quay;I.3.d;province;1/QĐ;2024-01-02;4;148;75,5\n"))
	if err != nil || len(semi.Rows) != 1 || semi.Rows[0].Cells["score"] != "75,5" || semi.Rows[0].Cells["product_name"] != "Vịt quay" {
		t.Fatalf("semicolon CSV: %+v %v", semi, err)
	}
	wb := excelize.NewFile()
	cols := strings.Split(strings.TrimSpace(headerRow), ",")
	row := []any{"p", "Vịt quay", "I.3.d", "province", "1/QĐ", 45293, 4, "148", 75.5}
	for i, c := range cols {
		a, _ := excelize.CoordinatesToCellName(i+1, 1)
		b, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := wb.SetCellValue("Sheet1", a, c); err != nil {
			t.Fatal(err)
		}
		if err := wb.SetCellValue("Sheet1", b, row[i]); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := Parse("Danh sách.XLSX", buf.Bytes())
	if err != nil || x.Format != XLSX || len(x.Rows) != 1 {
		t.Fatalf("xlsx: %+v %v", x, err)
	}
	if c := x.Rows[0].Cells; c["product_name"] != "Vịt quay" || c["decision_date"] != "45293" || c["stars"] != "4" || c["score"] != "75.5" {
		t.Errorf("xlsx cells: %v", c)
	}
}

// TestTemplatesParseBack: both templates are read back as a file with the
// headerRow and no rows (the refusal "no rows", not a column problem).
func TestTemplatesParseBack(t *testing.T) {
	x, err := TemplateXLSX("Giấy chứng nhận", "Hướng dẫn", func(c string) string { return "about " + c })
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"t.csv": TemplateCSV(), "t.xlsx": x} {
		if _, err := Parse(name, data); reason(t, err) != "registry.bulk.err.no_rows" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzParse: no input makes the parser panic, and whatever it accepts
// holds only clean cells under known columns.
func FuzzParse(f *testing.F) {
	f.Add("x.csv", manyRows(2))
	f.Add("x.csv", []byte("producer_slug;product_name\n\"a\";=1\n"))
	f.Add("x.xlsx", []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		file, err := Parse(name, data)
		if err != nil {
			return
		}
		known := map[string]bool{}
		for _, c := range Columns {
			known[c] = true
		}
		for _, r := range file.Rows {
			for k, v := range r.Cells {
				if !known[k] || cellProblem(v) != "" {
					t.Fatalf("accepted cell %q=%q", k, v)
				}
			}
		}
	})
}
