package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Scan is the scanned original decision an officer attaches when confirming
// an import: a PDF or an image, checked like a dossier file.
type Scan struct {
	FileName string
	Size     int64
	Body     io.Reader // nil: no file was sent
}

// ConfirmImport makes a pending import count: a second officer of the
// certificate's issuing level (a provincial officer of its province for a
// province or district certificate, a central officer for a central one),
// never the one who imported it, attaches the scanned original decision.
// Only then is it a badge, and only then does it replace the certificate
// it supersedes. Two officers confirming at once: one wins, the other gets
// a conflict. Every refusal is audited.
func (s *Service) ConfirmImport(ctx context.Context, actor *account.User, code string, scan Scan) (Certificate, error) {
	const action = "certificate.import_confirm"
	c, err := s.officerCert(ctx, actor, code, action)
	if err != nil {
		return c, err
	}
	var rec ImportRecord
	err = s.db.WithContext(ctx).Where("certificate_id = ?", c.ID).First(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && (rec.ConfirmedBy != nil || !c.ImportPending)) {
		return c, s.refuse(ctx, actor, action, nil, &c.ID, reasoned(errs.ErrConflict, "registry.err.not_pending"))
	}
	if err != nil {
		return c, err
	}
	if rec.ImportedBy == actor.ID { // security: the four-eyes rule
		return c, s.refuse(ctx, actor, action, nil, &c.ID, reasoned(errs.ErrForbidden, "registry.err.self_confirm"))
	}
	if scan.Body == nil {
		return c, s.refuse(ctx, actor, action, nil, &c.ID, errs.Invalid("file", "registry.err.scan_required"))
	}
	// Read at most one byte past the limit: the declared size is not trusted.
	data, err := io.ReadAll(io.LimitReader(scan.Body, MaxDocumentSize+1))
	if err != nil {
		return c, err
	}
	ct, err := CheckDocument(scan.FileName, max(scan.Size, int64(len(data))), data)
	if err != nil {
		return c, s.refuse(ctx, actor, action, nil, &c.ID, err)
	}
	key := "central"
	if !actor.IsCentralOfficer() {
		key = officerProvince(actor)
	}
	confirmer, err := s.AuthorityByKey(ctx, key)
	if err != nil {
		return c, err
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	// Content-addressed like dossier files: a blob left by a failed transaction is harmless.
	blobKey := "imports/" + hexSum[:2] + "/" + hexSum
	if err := s.blobs.Put(ctx, blobKey, ct, bytes.NewReader(data)); err != nil {
		return c, err
	}
	before := snapCert(c)
	now := time.Now().UTC()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Certificate{}).Where("id = ? AND import_pending = ?", c.ID, true).Update("import_pending", false)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return reasoned(errs.ErrConflict, "registry.err.not_pending")
		}
		res = tx.Model(&ImportRecord{}).Where("certificate_id = ? AND confirmed_by IS NULL", c.ID).Updates(map[string]any{
			"confirmed_by": actor.ID, "confirmed_at": now, "confirmer_authority_id": confirmer.ID,
			"scan_file_name": CleanFileName(scan.FileName), "scan_content_type": ct, "scan_size": int64(len(data)),
			"scan_sha256": hexSum, "scan_blob_key": blobKey})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return reasoned(errs.ErrConflict, "registry.err.not_pending")
		}
		if err := tx.First(&c, c.ID).Error; err != nil {
			return err
		}
		if err := audit(tx, actor, action, "ok", nil, &c.ID, before, snapCert(c),
			fmt.Sprintf("confirmed by %s against the scanned decision (sha256 %s)", confirmer.Name, hexSum)); err != nil {
			return err
		}
		if rec.SupersedesID != nil {
			return supersede(tx, actor, *rec.SupersedesID, c)
		}
		return nil
	})
	if err != nil && errs.Reason(err) != "" {
		return c, s.refuse(ctx, actor, action, nil, &c.ID, err)
	}
	return c, err
}

// PendingImport is an import waiting for a second officer.
type PendingImport struct {
	Certificate   Certificate
	ImportedBy    string // the importer's e-mail
	ImportedAt    time.Time
	MayConfirm    bool   // false for the officer who imported it
	SupersedeCode string // the certificate it will replace once confirmed
}

// PendingImports lists the imports an officer's level may confirm: a
// province's province and district imports for its officers, central
// imports for central officers. Oldest first.
func (s *Service) PendingImports(ctx context.Context, actor *account.User) ([]PendingImport, error) {
	if actor == nil || actor.Role != account.RoleOfficer || actor.IsCommuneOfficer() {
		return nil, errs.ErrForbidden
	}
	type row struct {
		Certificate
		ImporterID     int64
		ImportedAt     time.Time
		SupersedesCode *string
	}
	q := s.db.WithContext(ctx).Table("certificates c").
		Select("c.*, i.imported_by AS importer_id, i.imported_at, o.code AS supersedes_code").
		Joins("JOIN registry_imports i ON i.certificate_id = c.id").
		Joins("LEFT JOIN certificates o ON o.id = i.supersedes_id").
		Where("c.import_pending = ?", true)
	if actor.IsCentralOfficer() {
		q = q.Where("c.authority_level = ?", AuthorityCentral)
	} else {
		q = q.Where("c.province_code = ? AND c.authority_level <> ?", officerProvince(actor), AuthorityCentral)
	}
	var rows []row
	if err := q.Order("c.id").Limit(500).Scan(&rows).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ImporterID
	}
	emails, err := s.accounts.Emails(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]PendingImport, 0, len(rows))
	for _, r := range rows {
		p := PendingImport{Certificate: r.Certificate, ImportedBy: emails[r.ImporterID], ImportedAt: r.ImportedAt, MayConfirm: r.ImporterID != actor.ID}
		if r.SupersedesCode != nil {
			p.SupersedeCode = *r.SupersedesCode
		}
		out = append(out, p)
	}
	return out, nil
}

// ImportInfo is what the public sees about a certificate recorded from paper.
type ImportInfo struct {
	Confirmed   bool
	ConfirmedBy string // the confirming officer's authority
	ConfirmedAt time.Time
	HasScan     bool
}

// importInfo tells whether c was imported and by whom it was confirmed; nil
// for a certificate the registry issued itself.
func (s *Service) importInfo(ctx context.Context, c Certificate) (*ImportInfo, error) {
	var r struct {
		ConfirmedAt *time.Time
		Name        *string
		ScanBlobKey string
	}
	res := s.db.WithContext(ctx).Table("registry_imports i").Select("i.confirmed_at, a.name, i.scan_blob_key").
		Joins("LEFT JOIN registry_authorities a ON a.id = i.confirmer_authority_id").
		Where("i.certificate_id = ?", c.ID).Limit(1).Scan(&r)
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	info := &ImportInfo{Confirmed: r.ConfirmedAt != nil, HasScan: r.ScanBlobKey != ""}
	if r.ConfirmedAt != nil {
		info.ConfirmedAt = *r.ConfirmedAt
	}
	if r.Name != nil {
		info.ConfirmedBy = *r.Name
	}
	return info, nil
}

// OpenScan opens the scanned original decision of a confirmed import, for
// anyone verifying the certificate. A pending import, or a certificate the
// registry issued itself, has none: ErrNotFound.
func (s *Service) OpenScan(ctx context.Context, code string) (ImportRecord, io.ReadCloser, error) {
	c, err := s.CertificateByCode(ctx, code)
	if err != nil {
		return ImportRecord{}, nil, err
	}
	var rec ImportRecord
	err = s.db.WithContext(ctx).Where("certificate_id = ? AND confirmed_by IS NOT NULL AND scan_blob_key <> ''", c.ID).First(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return rec, nil, errs.ErrNotFound
	}
	if err != nil {
		return rec, nil, err
	}
	rc, err := s.blobs.Open(ctx, rec.ScanBlobKey)
	return rec, rc, err
}
