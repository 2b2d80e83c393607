package web_test

import (
	"bytes"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chocop/ocop/internal/platform/day"
	platformjobs "github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/jobs/jobstest"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/webtest"
)

// Tests of the bulk import (issue 12): a file of good and bad rows, its dry
// run, the import of exactly the good rows as pending certificates, their
// confirmation in batch, a repeated upload, hostile files, and who may see
// a batch.

// bulkCols is the header of the test files.
var bulkCols = []string{"producer_slug", "product_id", "product_name", "group_code", "authority_level", "authority_name",
	"decision_no", "decision_date", "number", "stars", "score", "criteria_version"}

// bulkRow is one row of a test file and the problems its dry run must
// report ("column:key", none for a good row).
type bulkRow struct {
	cells []string
	want  []string
}

// bulkFixture is the file of the tests: three good rows, then one bad row
// per rule, each with the reason the dry run must give. goLive is the go-live
// day set on Lạng Sơn before the file is checked.
func bulkFixture(t *testing.T, app *webtest.App) (rows []bulkRow, goLive day.Date) {
	today := day.Today()
	past, goLive := today.AddDays(-100).String(), today.AddDays(-30)
	banhProduct := strconv.FormatInt(productOf(t, app, banhSlug), 10)
	var existing string
	app.DB.Model(&registry.Certificate{}).Where("province_code = ? AND authority_level = ?", "20", registry.AuthorityProvince).
		Order("id").Limit(1).Pluck("number", &existing)
	if existing == "" {
		t.Fatal("the seed has no Lạng Sơn certificate")
	}
	row := func(want []string, cells ...string) bulkRow { return bulkRow{cells: cells, want: want} }
	return []bulkRow{
		row(nil, huongSlug, "", "Lạp sườn nhập lô", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "BULK/001", "4", "75", "148"),
		row(nil, banhSlug, banhProduct, "Na nhập lô", "I.3.c", "tỉnh", "", "BULK-1/QĐ-UBND", past, "BULK/002", "3", "60,5", "148"),
		row(nil, huongSlug, "", "Khâu nhục nhập lô", "I.3.d", "district", "UBND huyện Cao Lộc", "BULK-2/QĐ-UBND", "01/03/2024", "BULK/003", "3", "55", "148"),
		row([]string{"producer_slug:registry.err.producer"}, "khong-co-chu-the-nay", "", "Không ai", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "BULK/004", "4", "75", "148"),
		row([]string{"product_id:registry.err.product_not_producers"}, huongSlug, banhProduct, "Sản phẩm của người khác", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "BULK/005", "4", "75", "148"),
		row([]string{"group_code:catalog.group_not_leaf"}, huongSlug, "", "Nhóm không phải lá", "I.3", "province", "", "BULK-1/QĐ-UBND", past, "BULK/006", "4", "75", "148"),
		row([]string{"decision_date:registry.err.after_go_live"}, huongSlug, "", "Sau ngày dùng sổ", "I.3.d", "province", "", "BULK-3/QĐ-UBND", today.AddDays(-10).String(), "BULK/007", "4", "75", "148"),
		row([]string{"number:registry.err.number_exists"}, huongSlug, "", "Số đã có", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, " "+strings.ToLower(existing)+" ", "4", "75", "148"),
		row([]string{"number:registry.bulk.err.duplicate_in_file"}, banhSlug, "", "Trùng số trong tệp", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "bulk/001", "4", "75", "148"),
		row([]string{"authority_level:registry.err.central_only"}, huongSlug, "", "5 sao của tỉnh", "I.3.d", "central", registry.CentralAuthority, "BULK-C/QĐ-BNN", past, "BULK/009", "5", "92", "148"),
		row([]string{"product_name:registry.bulk.err.cell_formula"}, huongSlug, "", `=HYPERLINK("http://evil","x")`, "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "BULK/010", "4", "75", "148"),
		row([]string{"score:registry.err.score_stars"}, huongSlug, "", "Sao không khớp điểm", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "BULK/011", "4", "55", "148"),
		row([]string{"decision_date:registry.bulk.err.date"}, huongSlug, "", "Ngày sai dạng", "I.3.d", "province", "", "BULK-1/QĐ-UBND", "31-12-2024", "BULK/012", "4", "75", "148"),
		row([]string{"product_name:registry.bulk.err.cell_control"}, huongSlug, "", "Chuông\x07", "I.3.d", "province", "", "BULK-1/QĐ-UBND", past, "BULK/013", "4", "75", "148"),
	}, goLive
}

func bulkCSV(rows []bulkRow) []byte {
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&buf)
	_ = w.Write(bulkCols) // into a bytes.Buffer: cannot fail
	for _, r := range rows {
		_ = w.Write(r.cells)
	}
	w.Flush()
	return buf.Bytes()
}

func bulkXLSX(t *testing.T, rows []bulkRow) []byte {
	f := excelize.NewFile()
	put := func(line int, cells []string) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, line)
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	put(1, bulkCols)
	for i, r := range rows {
		put(i+2, r.cells)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartFile is a multipart body with one file and extra fields.
func multipartFile(field, name string, content []byte, values map[string][]string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			_ = mw.WriteField(k, v) // into a bytes.Buffer: cannot fail
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile(field, name)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

type bulkResult struct {
	Code        string `json:"code"`
	Status      string `json:"status"`
	TotalRows   int    `json:"total_rows"`
	ValidRows   int    `json:"valid_rows"`
	CreatedRows int    `json:"created_rows"`
	Percent     int    `json:"percent"`
	Rows        []struct {
		Line    int    `json:"line"`
		Outcome string `json:"outcome"`
		Errors  []struct {
			Column, Code, Message string
		} `json:"errors"`
		Certificate string `json:"certificate"`
	} `json:"rows"`
}

// bulkCheck uploads a file for its dry run through the API.
func bulkCheck(t *testing.T, app *webtest.App, token, name string, data []byte, want int) bulkResult {
	t.Helper()
	body, ct := multipartFile("file", name, data, nil)
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/registry/imports/bulk", Body: body, Token: token, Header: map[string]string{"Content-Type": ct}})
	if res.StatusCode != want {
		t.Fatalf("dry run of %s: status %d, want %d: %s", name, res.StatusCode, want, res.Body)
	}
	var out bulkResult
	if want == http.StatusCreated {
		res.JSON(t, &out)
	}
	return out
}

// checkDryRun holds the dry run to the fixture: the good rows valid, each
// bad row with exactly its reasons, in the officer's language too.
func checkDryRun(t *testing.T, got bulkResult, rows []bulkRow) {
	t.Helper()
	if got.TotalRows != len(rows) || len(got.Rows) != len(rows) {
		t.Fatalf("%d rows in the dry run, want %d", got.TotalRows, len(rows))
	}
	valid := 0
	for i, r := range got.Rows {
		var problems []string
		for _, e := range r.Errors {
			problems = append(problems, e.Column+":"+e.Code)
			if e.Message == "" || e.Message == e.Code {
				t.Errorf("line %d: %s has no message in the officer's language", r.Line, e.Code)
			}
		}
		want := rows[i].want
		if strings.Join(problems, " ") != strings.Join(want, " ") || r.Line != i+2 {
			t.Errorf("line %d (%s): problems %v, want %v", r.Line, rows[i].cells[2], problems, want)
		}
		if (len(want) == 0) != (r.Outcome == "valid") {
			t.Errorf("line %d: outcome %s", r.Line, r.Outcome)
		}
		if len(want) == 0 {
			valid++
		}
	}
	if got.ValidRows != valid || got.Status != "checked" {
		t.Errorf("batch %s with %d valid rows, want checked with %d", got.Status, got.ValidRows, valid)
	}
}

// TestBulkImportFromDryRunToConfirmation: the dry run lists exactly the bad
// rows with their reasons and writes no certificate; the import creates
// exactly the good ones as pending; a second start and a repeated upload
// create nothing; a second officer confirms them in one batch.
func TestBulkImportFromDryRunToConfirmation(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		r := regClient{t, app}
		rows, goLive := bulkFixture(t, app)
		r.do(app.TokenOf("admin@example.com"), "PUT", "/api/v1/admin/authorities/20", map[string]any{"name": "UBND tỉnh Lạng Sơn", "go_live_on": goLive}, http.StatusOK)
		officer := app.TokenOf("officer@example.com")
		certs := countRows(t, app, &registry.Certificate{}, "")

		dry := bulkCheck(t, app, officer, "giay-chung-nhan.csv", bulkCSV(rows), http.StatusCreated)
		checkDryRun(t, dry, rows)
		// The same rows as a workbook (but the control character, which an
		// XLSX cannot hold: excelize drops it on writing) read the same.
		xrows := rows[:len(rows)-1]
		checkDryRun(t, bulkCheck(t, app, officer, "giay-chung-nhan.xlsx", bulkXLSX(t, xrows), http.StatusCreated), xrows)
		if n := countRows(t, app, &registry.Certificate{}, ""); n != certs {
			t.Fatalf("the dry run wrote %d certificates", n-certs)
		}

		var queued bulkResult
		r.do(officer, "POST", "/api/v1/registry/imports/bulk/"+dry.Code+"/start", nil, http.StatusAccepted).JSON(t, &queued)
		if queued.Status != "queued" || queued.Percent != 0 || countRows(t, app, &registry.Certificate{}, "") != certs {
			t.Fatalf("before its job ran, the import is %s at %d%%", queued.Status, queued.Percent)
		}
		jobs := jobstest.New(t, app.DB, platformjobs.Options{})
		app.Server.RegisterJobs(jobs)
		jobstest.Drain(t, jobs)
		done := bulkGet(t, app, officer, dry.Code)
		if done.Status != "done" || done.CreatedRows != 3 || done.Percent != 100 {
			t.Fatalf("after the import: %s, %d created, %d%%", done.Status, done.CreatedRows, done.Percent)
		}
		var codes []string
		for _, row := range done.Rows {
			if (row.Outcome == "created") != (row.Line <= 4) || (row.Certificate != "") != (row.Line <= 4) {
				t.Errorf("line %d: %s %q", row.Line, row.Outcome, row.Certificate)
			}
			if row.Certificate != "" {
				codes = append(codes, row.Certificate)
			}
		}
		if n := countRows(t, app, &registry.Certificate{}, "import_pending = ? AND decision_no LIKE ?", true, "BULK-%"); n != 3 {
			t.Errorf("%d pending certificates from the file, want 3", n)
		}
		r.do(officer, "POST", "/api/v1/registry/imports/bulk/"+dry.Code+"/start", nil, http.StatusConflict)

		again := bulkCheck(t, app, officer, "giay-chung-nhan.csv", bulkCSV(rows), http.StatusCreated)
		if again.ValidRows != 0 {
			t.Errorf("the repeated upload has %d valid rows", again.ValidRows)
		}
		for _, row := range again.Rows[:3] {
			if len(row.Errors) != 1 || row.Errors[0].Code != "registry.err.number_exists" {
				t.Errorf("repeated line %d: %+v", row.Line, row.Errors)
			}
		}
		r.do(officer, "POST", "/api/v1/registry/imports/bulk/"+again.Code+"/start", nil, http.StatusAccepted)
		jobstest.Drain(t, jobs)
		if got := bulkGet(t, app, officer, again.Code); got.Status != "done" || got.CreatedRows != 0 {
			t.Errorf("the repeated upload's import: %s, %d created", got.Status, got.CreatedRows)
		}
		if n := countRows(t, app, &registry.Certificate{}, ""); n != certs+3 {
			t.Errorf("%d certificates after the repeated upload, want %d", n, certs+3)
		}

		// The importer may not confirm their own rows, even in batch.
		for _, res := range bulkConfirm(t, app, officer, codes) {
			if res.Status != http.StatusForbidden {
				t.Errorf("the importer confirmed %s: %d", res.Code, res.Status)
			}
		}
		second := newOfficer(t, app, "officer2@example.com", "20")
		for _, res := range bulkConfirm(t, app, second, append(codes, "ZZZZZZZZZZ")) {
			if want := map[bool]int{true: 404, false: 200}[res.Code == "ZZZZZZZZZZ"]; res.Status != want {
				t.Errorf("batch confirmation of %s: %d %s, want %d", res.Code, res.Status, res.Problem, want)
			}
		}
		if n := countRows(t, app, &registry.Certificate{}, "import_pending = ? AND decision_no LIKE ?", false, "BULK-%"); n != 3 {
			t.Errorf("%d confirmed certificates, want 3", n)
		}
	})
}

func bulkGet(t *testing.T, app *webtest.App, token, code string) bulkResult {
	t.Helper()
	var out bulkResult
	regClient{t, app}.do(token, "GET", "/api/v1/registry/imports/bulk/"+code, nil, http.StatusOK).JSON(t, &out)
	return out
}

type confirmResult struct {
	Code    string `json:"code"`
	Status  int    `json:"status"`
	Problem string `json:"problem"`
}

func bulkConfirm(t *testing.T, app *webtest.App, token string, codes []string) []confirmResult {
	t.Helper()
	body, ct := multipartFile("file", "quyet-dinh.pdf", pdfBytes, map[string][]string{"codes": codes})
	res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/registry/imports/confirm", Body: body, Token: token, Header: map[string]string{"Content-Type": ct}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("batch confirmation: %d %s", res.StatusCode, res.Body)
	}
	var out struct{ Items []confirmResult }
	res.JSON(t, &out)
	if len(out.Items) != len(codes) {
		t.Fatalf("%d results for %d codes", len(out.Items), len(codes))
	}
	return out.Items
}

// TestBulkImportRefusesHostileFiles: a file that is no import file is a
// 400 with its reason, and nothing at all is written.
func TestBulkImportRefusesHostileFiles(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		officer := app.TokenOf("officer@example.com")
		head := strings.Join(bulkCols, ",") + "\n"
		many := head + strings.Repeat(huongSlug+",,Lạp sườn,I.3.d,province,,X/QĐ,2024-01-02,,4,75,148\n", 5001)
		for _, tc := range []struct {
			name, file string
			data       []byte
			reason     string
		}{
			{"a PDF", "quyet-dinh.pdf", pdfBytes, "registry.bulk.err.type"},
			{"binary called .csv", "x.csv", []byte("\x7fELF\x02\x01\x01\x00\x00"), "registry.bulk.err.not_text"},
			{"text called .xlsx", "x.xlsx", []byte(head), "registry.bulk.err.not_xlsx"},
			{"over 5 MB", "x.csv", append([]byte(head), bytes.Repeat([]byte("a"), 5<<20)...), "registry.bulk.err.too_big"},
			{"over 5,000 rows", "x.csv", []byte(many), "registry.bulk.err.too_many_rows"},
			{"invalid UTF-8", "x.csv", []byte(head + "hkd,,L\xe1p,I.3.d\n"), "registry.bulk.err.not_text"},
			{"empty", "x.csv", []byte{}, "registry.bulk.err.empty"},
			{"no file at all", "", nil, "registry.bulk.err.no_file"},
			{"unknown columns", "x.csv", []byte("producer_slug,<script>\n"), "registry.bulk.err.columns_unknown"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				app := app.For(t)
				before := app.Snapshot()
				body, ct := multipartFile("file", tc.file, tc.data, nil)
				res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/registry/imports/bulk", Body: body, Token: officer, Header: map[string]string{"Content-Type": ct}})
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(res.Body), tc.reason) {
					t.Errorf("status %d, want 400 with %s: %s", res.StatusCode, tc.reason, clipBody(res.Body))
				}
				app.Unchanged(before)
			})
		}
		// Far over the limit: refused by the body limit before it is read.
		body, ct := multipartFile("file", "x.csv", bytes.Repeat([]byte("a"), 7<<20), nil)
		if res := app.API(webtest.Req{Method: "POST", Path: "/api/v1/registry/imports/bulk", Body: body, Token: officer, Header: map[string]string{"Content-Type": ct}}); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a 7 MB upload: %d", res.StatusCode)
		}
	})
}

// TestBulkImportScope: a batch is its scope's only; every other account
// is refused at every door, and nothing is imported.
func TestBulkImportScope(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		rows, _ := bulkFixture(t, app)
		dry := bulkCheck(t, app, app.TokenOf("officer@example.com"), "f.csv", bulkCSV(rows[:1]), http.StatusCreated)
		body, ct := multipartFile("file", "f.csv", bulkCSV(rows[:1]), nil)
		upload := func(name, as string, status int) webtest.Scenario {
			return webtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/registry/imports/bulk", As: as, Body: body,
				Header: map[string]string{"Content-Type": ct}, Status: status, Unchanged: true}
		}
		var table []webtest.Scenario
		for _, who := range []struct {
			as     string
			status int
		}{{"officer.hanoi@example.com", 404}, {"central@example.com", 404}, {"producer@example.com", 403}, {"shopper@example.com", 403}, {"", 401}} {
			table = append(table,
				webtest.Scenario{Method: "GET", URL: "/api/v1/registry/imports/bulk/" + dry.Code, As: who.as, Status: who.status},
				webtest.Scenario{Method: "POST", URL: "/api/v1/registry/imports/bulk/" + dry.Code + "/start", As: who.as, Status: who.status, Unchanged: true})
		}
		table = append(table, upload("a producer uploads", "producer@example.com", 403), upload("a shopper uploads", "shopper@example.com", 403),
			upload("a visitor uploads", "", 401),
			webtest.Scenario{Name: "the Hà Nội officer's dry run of Lạng Sơn rows", Method: "POST", URL: "/api/v1/registry/imports/bulk",
				As: "officer.hanoi@example.com", Body: body, Header: map[string]string{"Content-Type": ct}, Status: 201,
				Contains: []string{`"valid_rows":0`, "registry.err.outside_scope"}})
		webtest.RunScenarios(t, app, table)
		if got := bulkGet(t, app, app.TokenOf("officer@example.com"), dry.Code); got.Status != "checked" {
			t.Errorf("the batch moved to %s", got.Status)
		}
	})
}

// TestBulkImportPages: the upload page, its templates, a refused file shown
// beside the field in the officer's language, the batch page and its
// progress fragment.
func TestBulkImportPages(t *testing.T) {
	webtest.Each(t, func(t *testing.T, app *webtest.App) {
		rows, _ := bulkFixture(t, app)
		b := app.As("officer@example.com")
		page := b.Get("/registry/imports/bulk")
		if page.StatusCode != 200 || !strings.Contains(string(page.Body), "/registry/imports/template/xlsx") {
			t.Fatalf("upload page: %d", page.StatusCode)
		}
		for format, ctype := range map[string]string{"csv": "text/csv", "xlsx": "application/vnd.openxmlformats"} {
			if res := b.Get("/registry/imports/template/" + format); res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) {
				t.Errorf("template %s: %d %s", format, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
		post := func(name string, data []byte) *webtest.Response {
			body, ct := multipartFile("file", name, data, map[string][]string{"_csrf": {b.CSRF("/registry/imports/bulk")}})
			res, err := b.Client.Post(app.HTTP.URL+"/registry/imports/bulk", ct, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(res.Body)
			return &webtest.Response{Response: res, Body: buf.Bytes()}
		}
		bad := post("danh-sach.pdf", pdfBytes)
		if bad.StatusCode != 400 || !strings.Contains(string(bad.Body), "Chỉ nhập được tệp CSV") || !strings.Contains(string(bad.Body), `id="bulk-file-error"`) {
			t.Errorf("a PDF on the page: %d %s", bad.StatusCode, clipBody(bad.Body))
		}
		ok := post("danh-sach.csv", bulkCSV(rows))
		loc := ok.Header.Get("Location")
		if ok.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/registry/imports/bulk/") {
			t.Fatalf("upload: %d %q", ok.StatusCode, loc)
		}
		batch := b.Get(loc)
		for _, want := range []string{"Có lỗi", "Hợp lệ", "Nhập 4 dòng hợp lệ", "Số giấy chứng nhận này đã có ở dòng 2"} {
			if !strings.Contains(string(batch.Body), want) {
				t.Errorf("the batch page lacks %q", want)
			}
		}
		if res := b.Get(loc + "/progress"); res.StatusCode != 200 || !strings.Contains(string(res.Body), "<progress") {
			t.Errorf("progress: %d", res.StatusCode)
		}
		if res := app.As("officer.hanoi@example.com").Get(loc); res.StatusCode != 404 {
			t.Errorf("another province opened the batch page: %d", res.StatusCode)
		}
	})
}
