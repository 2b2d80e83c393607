package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/registry/importfile"
)

// BulkStatus is where a bulk import stands: checked (the dry run is shown),
// queued and running (the job imports the valid rows), done.
type BulkStatus string

// Bulk import statuses.
const (
	BulkChecked BulkStatus = "checked"
	BulkQueued  BulkStatus = "queued"
	BulkRunning BulkStatus = "running"
	BulkDone    BulkStatus = "done"
)

// BulkImport is one uploaded file of historic certificates: its dry run,
// then the progress of its import.
type BulkImport struct {
	ID          int64  `gorm:"primaryKey"`
	Code        string // public reference in URLs
	Scope       string // the importer's province code, or "central"
	CreatedBy   int64
	FileName    string
	FileSha256  string `gorm:"column:file_sha256"`
	Format      string
	Status      BulkStatus
	TotalRows   int
	ValidRows   int
	DoneRows    int
	CreatedRows int
	CreatedAt   time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
}

// TableName is the registry's table of bulk imports.
func (BulkImport) TableName() string { return "registry_bulk_imports" }

// Percent is how much of the import is done, 0 to 100.
func (b BulkImport) Percent() int {
	if b.Status == BulkDone || b.ValidRows == 0 {
		if b.Status == BulkDone {
			return 100
		}
		return 0
	}
	return b.DoneRows * 100 / b.ValidRows
}

// Row outcomes: valid in the dry run (to be imported), invalid (never
// imported), created (a pending certificate), failed (valid in the dry run
// but refused at import, for example a number recorded in between).
const (
	RowValid   = "valid"
	RowInvalid = "invalid"
	RowCreated = "created"
	RowFailed  = "failed"
)

// BulkRow is one row of a bulk import, with its dry-run result.
type BulkRow struct {
	ID            int64 `gorm:"primaryKey"`
	BulkID        int64
	Line          int
	InputJSON     string `gorm:"column:input_json"`
	ErrorsJSON    string `gorm:"column:errors_json"`
	Outcome       string
	CertificateID *int64
}

// TableName is the registry's table of bulk import rows.
func (BulkRow) TableName() string { return "registry_bulk_rows" }

// RowError is one problem of a row: the column at fault, a message key and
// its parameter (a line number, a maximum).
type RowError struct {
	Column string `json:"column"`
	Key    string `json:"key"`
	Param  string `json:"param,omitempty"`
}

// RowInput is a row as stored: its cells, and what the dry run would record.
type RowInput struct {
	Cells map[string]string `json:"cells"`
	Plan  *RowPlan          `json:"plan,omitempty"`
}

// RowPlan is the part of ImportPlan a person checks before importing.
type RowPlan struct {
	Producer   string `json:"producer"`
	Authority  string `json:"authority"`
	Number     string `json:"number"`
	ValidUntil string `json:"valid_until"`
	Supersedes string `json:"supersedes,omitempty"`
}

// Input decodes the row's stored input.
func (r BulkRow) Input() RowInput {
	var in RowInput
	if err := json.Unmarshal([]byte(r.InputJSON), &in); err != nil {
		return RowInput{Cells: map[string]string{}}
	}
	return in
}

// Errors decodes the row's problems.
func (r BulkRow) Errors() []RowError {
	var out []RowError
	if r.ErrorsJSON != "" {
		if err := json.Unmarshal([]byte(r.ErrorsJSON), &out); err != nil {
			return []RowError{{Column: "row", Key: "registry.bulk.err.stored"}}
		}
	}
	return out
}

// bulkScope is the scope of a bulk import an officer may start and see:
// their province, or the central level. Only provincial and central
// officers import in bulk (commune officers propose, they do not import).
func bulkScope(actor *account.User) (string, bool) {
	switch {
	case actor == nil || actor.Role != account.RoleOfficer:
		return "", false
	case actor.IsCentralOfficer():
		return "central", true
	case officerProvince(actor) != "" && actor.OfficerLevel == account.LevelProvince:
		return officerProvince(actor), true
	}
	return "", false
}

// CheckBulkImport is the dry run of a bulk import: it reads the file
// (refusing it whole, with nothing written, when it is not CSV or XLSX, is
// over 5 MB or over 5,000 rows), runs every row through CheckImport (the
// single import's own checks) and records the batch with each row's result,
// so that RunBulkImport later imports exactly the rows shown as valid. A
// row's error never stops the others.
func (s *Service) CheckBulkImport(ctx context.Context, actor *account.User, fileName string, data []byte) (BulkImport, error) {
	scope, ok := bulkScope(actor)
	if !ok {
		return BulkImport{}, errs.ErrForbidden
	}
	f, err := importfile.Parse(fileName, data)
	if err != nil {
		return BulkImport{}, err
	}
	sum := sha256.Sum256(data)
	b := BulkImport{Code: NewCode(), Scope: scope, CreatedBy: actor.ID, FileName: CleanFileName(fileName), FileSha256: hex.EncodeToString(sum[:]),
		Format: string(f.Format), Status: BulkChecked, TotalRows: len(f.Rows), CreatedAt: time.Now().UTC()}
	rows := make([]BulkRow, 0, len(f.Rows))
	seen := map[string]int{} // authority and number key → the first line that has it
	for _, r := range f.Rows {
		row, err := s.checkRow(ctx, actor, f.Format, r, seen)
		if err != nil {
			return BulkImport{}, err
		}
		if row.Outcome == RowValid {
			b.ValidRows++
		}
		rows = append(rows, row)
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&b).Error; err != nil {
			return err
		}
		for i := range rows {
			rows[i].BulkID = b.ID
		}
		if err := tx.CreateInBatches(&rows, 200).Error; err != nil {
			return err
		}
		return audit(tx, actor, "certificate.bulk_check", "ok", nil, nil, nil, nil,
			fmt.Sprintf("%s: %s, %d rows, %d valid (sha256 %s)", b.Code, b.FileName, b.TotalRows, b.ValidRows, b.FileSha256))
	})
	return b, err
}

// checkRow converts one parsed row and runs it through CheckImport. seen
// holds the numbers of the valid rows above it, so a number given twice in
// one file is reported on its second row.
func (s *Service) checkRow(ctx context.Context, actor *account.User, format importfile.Format, r importfile.Row, seen map[string]int) (BulkRow, error) {
	var problems []RowError
	for _, fe := range r.Errors {
		problems = append(problems, RowError{Column: fe.Field, Key: fe.Message})
	}
	in, convErrs := importOfCells(r.Cells, format)
	for _, e := range convErrs {
		if !slices.ContainsFunc(r.Errors, func(fe errs.FieldError) bool { return fe.Field == e.Column }) {
			problems = append(problems, e) // a refused cell is not also "missing"
		}
	}
	input := RowInput{Cells: r.Cells}
	if len(problems) == 0 {
		plan, err := s.CheckImport(ctx, actor, in)
		switch {
		case err == nil:
			key := fmt.Sprintf("%d|%s", plan.AuthorityID, plan.NumberKey())
			if first, dup := seen[key]; dup {
				problems = append(problems, RowError{Column: "number", Key: "registry.bulk.err.duplicate_in_file", Param: strconv.Itoa(first)})
				break
			}
			seen[key] = r.Line
			input.Plan = &RowPlan{Producer: plan.Producer.LegalName, Authority: plan.AuthorityName, Number: plan.Number,
				ValidUntil: plan.ValidUntil.String(), Supersedes: plan.Supersedes}
		case isRefusal(err) || errors.Is(err, errs.ErrForbidden):
			problems = append(problems, rowErrors(err)...)
		default:
			return BulkRow{}, err
		}
	}
	row := BulkRow{Line: r.Line, Outcome: RowValid}
	if len(problems) > 0 {
		row.Outcome = RowInvalid
		b, _ := json.Marshal(problems) // plain strings: cannot fail
		row.ErrorsJSON = string(b)
	}
	b, err := json.Marshal(input)
	row.InputJSON = string(b)
	return row, err
}

// rowErrors turns an import's refusal into the row's problems, each on the
// column at fault.
func rowErrors(err error) []RowError {
	if ve, ok := errs.AsValidation(err); ok && errs.Reason(err) == "" {
		out := make([]RowError, len(ve.Fields))
		for i, f := range ve.Fields {
			out[i] = RowError{Column: f.Field, Key: f.Message, Param: f.Param}
		}
		return out
	}
	key := errs.Reason(err)
	if key == "" {
		key = "registry.err.outside_scope"
	}
	col := map[string]string{"registry.err.number_exists": "number", "registry.err.outside_scope": "producer_slug",
		"registry.err.central_only": "authority_level", "registry.err.issuer_level": "supersedes"}[key]
	if ve, ok := errs.AsValidation(err); ok && len(ve.Fields) > 0 {
		col = ve.Fields[0].Field
	}
	if col == "" {
		col = "row"
	}
	return []RowError{{Column: col, Key: key}}
}

// importOfCells converts a row's text cells into an Import, as the JSON
// API's binding does for a request: numbers, dates and levels are read
// here, every rule is left to ImportHistoric.
func importOfCells(cells map[string]string, format importfile.Format) (Import, []RowError) {
	var bad []RowError
	in := Import{ProducerSlug: cells["producer_slug"], ProductName: cells["product_name"], GroupCode: cells["group_code"],
		AuthorityName: cells["authority_name"], DecisionNo: cells["decision_no"], Number: cells["number"],
		Criteria: cells["criteria_version"], OwnerAddress: cells["owner_address"], SupersededCode: cells["supersedes"]}
	for _, col := range importfile.Required {
		if cells[col] == "" {
			bad = append(bad, RowError{Column: col, Key: "validation.required"})
		}
	}
	if v := cells["product_id"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			bad = append(bad, RowError{Column: "product_id", Key: "registry.bulk.err.integer"})
		} else {
			in.ProductID = &id
		}
	}
	if v := cells["commune_code"]; v != "" {
		in.CommuneCode = &v
	}
	if v := cells["authority_level"]; v != "" {
		if in.Level = levelOfCell(v); in.Level == "" {
			bad = append(bad, RowError{Column: "authority_level", Key: "registry.bulk.err.level"})
		}
	}
	if v := cells["decision_date"]; v != "" {
		d, ok := dateOfCell(v, format)
		if !ok {
			bad = append(bad, RowError{Column: "decision_date", Key: "registry.bulk.err.date"})
		}
		in.DecisionDate = d
	}
	if v := cells["stars"]; v != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(v, "★"), "*"))
		if err != nil {
			bad = append(bad, RowError{Column: "stars", Key: "registry.bulk.err.integer"})
		}
		in.Stars = n
	}
	if v := cells["score"]; v != "" {
		p, err := ParsePoints(v)
		if err != nil {
			bad = append(bad, RowError{Column: "score", Key: "registry.err.decimals"})
		}
		in.Score = p
	}
	return in, bad
}

// levelOfCell reads a level written in English or Vietnamese, with or
// without diacritics: "province", "tỉnh", "district", "huyện", "central",
// "trung ương".
func levelOfCell(v string) AuthorityLevel {
	switch text.Fold(v) {
	case "province", "tinh", "cap tinh":
		return AuthorityProvince
	case "district", "huyen", "cap huyen":
		return AuthorityDistrict
	case "central", "trung uong", "cap trung uong":
		return AuthorityCentral
	}
	return ""
}

// dateOfCell reads 2025-12-31 or 31/12/2025 (the way Vietnamese officers
// write dates), and in an XLSX file the serial number Excel stores for a
// date cell.
func dateOfCell(v string, format importfile.Format) (day.Date, bool) {
	if d, err := day.Parse(v); err == nil {
		return d, true
	}
	if t, err := time.Parse("2/1/2006", v); err == nil {
		return day.New(t.Year(), t.Month(), t.Day()), true
	}
	if format == importfile.XLSX {
		if n, err := strconv.Atoi(v); err == nil && n > 20000 && n < 80000 { // 1954 to 2119
			t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
			return day.New(t.Year(), t.Month(), t.Day()), true
		}
	}
	return day.Date{}, false
}

// BulkRowView is a row as pages and the API show it.
type BulkRowView struct {
	Line            int
	Outcome         string
	Cells           map[string]string
	Plan            *RowPlan
	Errors          []RowError
	CertificateCode string // once created
	Pending         bool   // the created certificate still awaits a second officer
}

// BulkImportOf loads a bulk import and its rows for an officer of its
// scope; another scope's batch does not exist for them (404).
func (s *Service) BulkImportOf(ctx context.Context, actor *account.User, code string) (BulkImport, []BulkRowView, error) {
	b, err := s.bulkForActor(ctx, actor, code)
	if err != nil {
		return b, nil, err
	}
	var rows []BulkRow
	g := s.db.WithContext(ctx)
	if err := g.Where("bulk_id = ?", b.ID).Order("line").Find(&rows).Error; err != nil {
		return b, nil, err
	}
	var certs []struct {
		ID            int64
		Code          string
		ImportPending bool
	}
	if err := g.Model(&Certificate{}).Select("certificates.id, certificates.code, certificates.import_pending").
		Joins("JOIN registry_bulk_rows r ON r.certificate_id = certificates.id").Where("r.bulk_id = ?", b.ID).Scan(&certs).Error; err != nil {
		return b, nil, err
	}
	byID := make(map[int64]int, len(certs))
	for i, c := range certs {
		byID[c.ID] = i
	}
	out := make([]BulkRowView, len(rows))
	for i, r := range rows {
		in := r.Input()
		out[i] = BulkRowView{Line: r.Line, Outcome: r.Outcome, Cells: in.Cells, Plan: in.Plan, Errors: r.Errors()}
		if r.CertificateID != nil {
			if j, ok := byID[*r.CertificateID]; ok {
				out[i].CertificateCode, out[i].Pending = certs[j].Code, certs[j].ImportPending
			}
		}
	}
	return b, out, nil
}

// BulkProgress loads only the batch (the page polls it while the job runs).
func (s *Service) BulkProgress(ctx context.Context, actor *account.User, code string) (BulkImport, error) {
	return s.bulkForActor(ctx, actor, code)
}

func (s *Service) bulkForActor(ctx context.Context, actor *account.User, code string) (BulkImport, error) {
	var b BulkImport
	scope, ok := bulkScope(actor)
	if !ok {
		return b, errs.ErrForbidden
	}
	code, ok = NormalizeCode(code)
	if !ok {
		return b, errs.ErrNotFound
	}
	err := s.db.WithContext(ctx).Where("code = ? AND scope = ?", code, scope).First(&b).Error // security: another scope's batch is 404
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, errs.ErrNotFound
	}
	return b, err
}

// BulkImports lists the latest bulk imports of the officer's scope, newest first.
func (s *Service) BulkImports(ctx context.Context, actor *account.User) ([]BulkImport, error) {
	scope, ok := bulkScope(actor)
	if !ok {
		return nil, errs.ErrForbidden
	}
	var out []BulkImport
	err := s.db.WithContext(ctx).Where("scope = ?", scope).Order("id DESC").Limit(50).Find(&out).Error
	return out, err
}
