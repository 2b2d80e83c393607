package registryweb

import (
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/registry/importfile"
	"github.com/chocop/ocop/internal/web/kit"
)

// Bulk imports of historic certificates: upload a CSV or XLSX file, see the
// dry run of every row, start the import (a job the page follows), and
// confirm pending imports in batch. Every rule lives in registry.Service:
// each row goes through the single import's checks and door.

// readUpload reads the multipart file "file" up to one byte past max (the
// declared size is not trusted); name is "" when no file was sent.
func readUpload(c echo.Context, max int64) (name string, data []byte, err error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, max+1))
	return fh.Filename, data, err
}

// checkUpload runs the dry run of the uploaded file.
func (h *Handlers) checkUpload(c echo.Context) (registry.BulkImport, error) {
	name, data, err := readUpload(c, importfile.MaxBytes)
	if err != nil {
		return registry.BulkImport{}, err
	}
	if name == "" {
		return registry.BulkImport{}, &errs.Reasoned{Err: errs.Invalid("file", "registry.bulk.err.no_file"), Reason: "registry.bulk.err.no_file"}
	}
	return h.Registry.CheckBulkImport(c.Request().Context(), kit.UserOf(c), name, data)
}

type bulkRowJSON struct {
	Line        int                `json:"line"`
	Outcome     string             `json:"outcome"`
	Cells       map[string]string  `json:"cells"`
	Plan        *registry.RowPlan  `json:"plan,omitempty"`
	Errors      []bulkRowErrorJSON `json:"errors"`
	Certificate string             `json:"certificate,omitempty"`
	Pending     bool               `json:"pending"`
}

type bulkRowErrorJSON struct {
	Column  string `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"-"`
}

type bulkJSON struct {
	Code        string        `json:"code"`
	FileName    string        `json:"file_name"`
	Format      string        `json:"format"`
	Status      string        `json:"status"`
	TotalRows   int           `json:"total_rows"`
	ValidRows   int           `json:"valid_rows"`
	DoneRows    int           `json:"done_rows"`
	CreatedRows int           `json:"created_rows"`
	Percent     int           `json:"percent"`
	CreatedAt   string        `json:"created_at"`
	CreatedOn   time.Time     `json:"-"`
	Rows        []bulkRowJSON `json:"rows,omitempty"`
	Pending     []string      `json:"-"` // codes of the created certificates still pending
}

func (h *Handlers) bulkJSON(lang string, b registry.BulkImport, rows []registry.BulkRowView) bulkJSON {
	out := bulkJSON{Code: b.Code, FileName: b.FileName, Format: b.Format, Status: string(b.Status), TotalRows: b.TotalRows, ValidRows: b.ValidRows,
		DoneRows: b.DoneRows, CreatedRows: b.CreatedRows, Percent: b.Percent(), CreatedAt: b.CreatedAt.UTC().Format(time.RFC3339), CreatedOn: b.CreatedAt}
	for _, r := range rows {
		j := bulkRowJSON{Line: r.Line, Outcome: r.Outcome, Cells: r.Cells, Plan: r.Plan, Errors: []bulkRowErrorJSON{}, Certificate: r.CertificateCode, Pending: r.Pending}
		for _, e := range r.Errors {
			j.Errors = append(j.Errors, bulkRowErrorJSON{Column: e.Column, Code: e.Key, Message: h.Msgs.T(lang, e.Key, map[string]any{"Param": e.Param}), Param: e.Param})
		}
		if r.Pending {
			out.Pending = append(out.Pending, r.CertificateCode)
		}
		out.Rows = append(out.Rows, j)
	}
	return out
}

// APIBulkCheck uploads a file and answers its dry run (201: the batch is recorded, nothing imported).
func (h *Handlers) APIBulkCheck(c echo.Context) error {
	b, err := h.checkUpload(c)
	if err != nil {
		return err
	}
	return h.apiBulk(c, http.StatusCreated, b.Code)
}

func (h *Handlers) apiBulk(c echo.Context, status int, code string) error {
	b, rows, err := h.Registry.BulkImportOf(c.Request().Context(), kit.UserOf(c), code)
	if err != nil {
		return err
	}
	return c.JSON(status, h.bulkJSON(kit.LangOf(c), b, rows))
}

// APIBulk is a batch: its rows, their dry run and outcome, and the progress.
func (h *Handlers) APIBulk(c echo.Context) error { return h.apiBulk(c, http.StatusOK, c.Param("code")) }

// APIBulkStart starts the import of a checked batch's valid rows (202: the job runs).
func (h *Handlers) APIBulkStart(c echo.Context) error {
	b, err := h.Registry.StartBulkImport(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return h.apiBulk(c, http.StatusAccepted, b.Code)
}

type confirmResultJSON struct {
	Code    string `json:"code"`
	Status  int    `json:"status"`
	Problem string `json:"problem,omitempty"`
}

// confirmBatch confirms the posted codes against the uploaded scan.
func (h *Handlers) confirmBatch(c echo.Context) ([]confirmResultJSON, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, errs.Invalid("codes", "registry.bulk.err.codes")
	}
	scan := registry.Scan{}
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		scan = registry.Scan{FileName: fh.Filename, Size: fh.Size, Body: f}
	}
	outs, err := h.Registry.ConfirmImports(c.Request().Context(), kit.UserOf(c), form.Value["codes"], scan)
	if err != nil {
		return nil, err
	}
	lang := kit.LangOf(c)
	res := make([]confirmResultJSON, len(outs))
	for i, o := range outs {
		res[i] = confirmResultJSON{Code: o.Code, Status: http.StatusOK}
		if o.Err != nil {
			res[i].Status = kit.StatusOf(o.Err)
			key := errs.Reason(o.Err)
			if ve, ok := errs.AsValidation(o.Err); ok && key == "" && len(ve.Fields) > 0 {
				key = ve.Fields[0].Message
			}
			if key == "" {
				key = map[int]string{403: "registry.err.outside_scope", 404: "error.404.message", 409: "registry.err.not_pending"}[res[i].Status]
			}
			res[i].Problem = h.Msgs.T(lang, key)
		}
	}
	return res, nil
}

// APIConfirmBatch confirms many pending imports with one scanned decision;
// each has its own result (200 when confirmed).
func (h *Handlers) APIConfirmBatch(c echo.Context) error {
	res, err := h.confirmBatch(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": res})
}

type bulkPageView struct {
	Batches   []bulkJSON
	FileError string
	Columns   []string
	Required  []string
	MaxRows   int
}

// BulkPage is the upload form with the template links and the latest batches.
func (h *Handlers) BulkPage(c echo.Context) error { return h.bulkPage(c, http.StatusOK, "") }

func (h *Handlers) bulkPage(c echo.Context, status int, fileErr string) error {
	bs, err := h.Registry.BulkImports(c.Request().Context(), kit.UserOf(c))
	if err != nil {
		return err
	}
	v := bulkPageView{FileError: fileErr, Columns: importfile.Columns, Required: importfile.Required, MaxRows: importfile.MaxRows}
	for _, b := range bs {
		v.Batches = append(v.Batches, h.bulkJSON(kit.LangOf(c), b, nil))
	}
	return h.Render(c, status, "registry_bulk", v)
}

// BulkCheck is the page form of APIBulkCheck: a refused file is shown
// beside the field, in the officer's language, with nothing written.
func (h *Handlers) BulkCheck(c echo.Context) error {
	b, err := h.checkUpload(c)
	if err != nil {
		if _, ok := errs.AsValidation(err); ok && errs.Reason(err) != "" {
			return h.bulkPage(c, http.StatusBadRequest, h.Msgs.T(kit.LangOf(c), errs.Reason(err), errs.ReasonData(err)))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/registry/imports/bulk/"+b.Code)
}

// BulkBatchPage shows a batch: the dry run, the import button, the progress
// bar (polled with htmx while the job runs) and the results.
func (h *Handlers) BulkBatchPage(c echo.Context) error {
	b, rows, err := h.Registry.BulkImportOf(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "registry_bulk_batch", h.bulkJSON(kit.LangOf(c), b, rows))
}

// BulkProgress is the progress fragment the batch page polls; once the
// import is done it tells htmx to reload the page with the results.
func (h *Handlers) BulkProgress(c echo.Context) error {
	b, err := h.Registry.BulkProgress(c.Request().Context(), kit.UserOf(c), c.Param("code"))
	if err != nil {
		return err
	}
	if b.Status == registry.BulkDone && c.Request().Header.Get("HX-Request") != "" {
		c.Response().Header().Set("HX-Refresh", "true")
	}
	p := kit.PageOf(c)
	p.Data = h.bulkJSON(p.Lang, b, nil)
	html, err := h.Pages.RenderBlock("registry_bulk_batch", "bulk-progress", p)
	if err != nil {
		return err
	}
	return c.HTML(http.StatusOK, html)
}

// BulkStart is the page form of APIBulkStart.
func (h *Handlers) BulkStart(c echo.Context) error {
	if _, err := h.Registry.StartBulkImport(c.Request().Context(), kit.UserOf(c), c.Param("code")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/registry/imports/bulk/"+c.Param("code"))
}

// ConfirmBatch is the page form of APIConfirmBatch: the results are shown on the imports page.
func (h *Handlers) ConfirmBatch(c echo.Context) error {
	res, err := h.confirmBatch(c)
	if err != nil {
		return err
	}
	items, err := h.pendingImports(c)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "registry_imports", importsView{Items: items, Results: res})
}

// BulkTemplate sends the empty template, CSV or XLSX, with the columns
// described in the officer's language on the XLSX's second sheet.
func (h *Handlers) BulkTemplate(c echo.Context) error {
	lang := kit.LangOf(c)
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	if c.Param("format") == "csv" {
		c.Response().Header().Set("Content-Disposition", `attachment; filename="ocop-import.csv"`)
		return kit.Blob(c, http.StatusOK, "text/csv; charset=utf-8", importfile.TemplateCSV())
	}
	if c.Param("format") != "xlsx" {
		return errs.ErrNotFound
	}
	data, err := importfile.TemplateXLSX(h.Msgs.T(lang, "registry.bulk.sheet"), h.Msgs.T(lang, "registry.bulk.help_sheet"),
		func(col string) string { return h.Msgs.T(lang, "registry.bulk.col."+col) })
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="ocop-import.xlsx"`)
	return kit.Blob(c, http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
}
