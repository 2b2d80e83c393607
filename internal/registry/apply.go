package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog/grouptree"
	"github.com/chocop/ocop/internal/platform/errs"
)

// NewApplication is what a producer fills in to apply.
type NewApplication struct {
	Kind        AppKind
	ProductName string
	ProductID   *int64
	GroupCode   string
	Description string
	SelfA       Points
	SelfB       Points
	SelfC       Points
	// PreviousCertificate is the verify code of the certificate a renewal
	// or upgrade builds on; its dossier is reused.
	PreviousCertificate string
	// ReuseFrom is the code of an earlier application whose dossier is copied.
	ReuseFrom string
}

// CreateApplication opens a draft application for the producer actor belongs to.
func (s *Service) CreateApplication(ctx context.Context, actor *account.User, in NewApplication) (Application, error) {
	if actor == nil || actor.Role != account.RoleProducer {
		return Application{}, errs.ErrForbidden
	}
	p, err := s.producers.OfUser(ctx, actor.ID)
	if err != nil {
		return Application{}, err
	}
	// Every door (API, page, import) gets the same rule: a name of spaces is no name.
	in.ProductName = strings.TrimSpace(in.ProductName)
	if in.ProductName == "" {
		return Application{}, errs.Invalid("product_name", "validation.required")
	}
	if err := checkSelf(in); err != nil {
		return Application{}, err
	}
	g := s.db.WithContext(ctx)
	if err := grouptree.RequireLeaf(g, "group_code", in.GroupCode); err != nil {
		return Application{}, err
	}
	if in.ProductID != nil {
		own, err := s.products.OwnsProduct(ctx, g, p.ID, *in.ProductID)
		if err != nil {
			return Application{}, err
		}
		if !own { // security: only your own listings
			return Application{}, errs.Invalid("product_id", "registry.err.product")
		}
	}
	a := Application{Code: NewCode(), Kind: in.Kind, Status: StatusDraft, ProducerID: p.ID, ProductID: in.ProductID,
		ProductName: in.ProductName, GroupCode: in.GroupCode, Description: in.Description,
		ProvinceCode: p.ProvinceCode, CommuneCode: p.CommuneCode,
		SelfPartA: in.SelfA.Float(), SelfPartB: in.SelfB.Float(), SelfPartC: in.SelfC.Float()}
	if a.Kind == "" {
		a.Kind = KindNew
	}
	var reuse *Application
	if in.PreviousCertificate != "" {
		c, err := s.CertificateByCode(ctx, in.PreviousCertificate)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return Application{}, err
		}
		if err != nil || c.ProducerID != p.ID {
			return Application{}, errs.Invalid("previous_certificate", "registry.err.previous")
		}
		a.PreviousCertificateID = &c.ID
		if a.ProductID == nil {
			a.ProductID = c.ProductID
		}
		// The application that earned it lends its dossier; an imported
		// certificate has none, which is no error.
		var prev Application
		switch err := g.Where("certificate_id = ?", c.ID).First(&prev).Error; {
		case err == nil:
			reuse = &prev
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return Application{}, err
		}
	} else if a.Kind != KindNew {
		return Application{}, errs.Invalid("previous_certificate", "registry.err.previous")
	}
	if in.ReuseFrom != "" {
		prev, err := s.ownApp(ctx, actor, in.ReuseFrom)
		if err != nil {
			return Application{}, errs.Invalid("reuse_from", "registry.err.reuse")
		}
		reuse = &prev
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		note := ""
		if reuse != nil {
			// Reusing a dossier copies the rows, not the bytes: the blobs are immutable.
			var docs []Document
			if err := tx.Where("application_id = ?", reuse.ID).Order("id").Find(&docs).Error; err != nil {
				return err
			}
			for _, d := range docs {
				d.ID, d.ApplicationID, d.CreatedAt = 0, a.ID, time.Time{}
				if err := tx.Create(&d).Error; err != nil {
					return err
				}
			}
			note = fmt.Sprintf("dossier reused from %s (%d documents)", reuse.Code, len(docs))
		}
		return audit(tx, actor, "application.create", "ok", &a.ID, nil, nil, snapApp(a), note)
	})
	return a, err
}

func checkSelf(in NewApplication) error {
	maxA, maxB, maxC, _ := PartMaxima(Criteria148)
	var fe []errs.FieldError
	check := func(field string, p, max Points) {
		if p < 0 || p > max {
			fe = append(fe, errs.FieldError{Field: field, Message: "registry.err.part_range"})
		}
	}
	check("self_assessment.part_a", in.SelfA, maxA)
	check("self_assessment.part_b", in.SelfB, maxB)
	check("self_assessment.part_c", in.SelfC, maxC)
	switch in.Kind {
	case "", KindNew, KindRenewal, KindUpgrade:
	default:
		fe = append(fe, errs.FieldError{Field: "kind", Message: "validation.oneof"})
	}
	if fe != nil {
		return &errs.ValidationError{Fields: fe}
	}
	return nil
}

// AddDocument type-checks a dossier file, stores its bytes and lists it on a
// draft application of the actor's producer.
func (s *Service) AddDocument(ctx context.Context, actor *account.User, code, kind, fileName string, size int64, r io.Reader) (Document, error) {
	a, err := s.ownApp(ctx, actor, code)
	if err != nil {
		return Document{}, err
	}
	if !knownKind(kind) {
		return Document{}, errs.Invalid("kind", "registry.err.doc_kind")
	}
	if a.Status != StatusDraft {
		return Document{}, wrongState(a.Status)
	}
	// Read at most one byte past the limit: the declared size is not trusted.
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return Document{}, err
	}
	if int64(len(data)) > size {
		size = int64(len(data))
	}
	ct, err := CheckDocument(fileName, size, data)
	if err != nil {
		return Document{}, err
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	// Content-addressed: the same file uploaded twice is stored once, and a
	// blob left behind by a failed transaction is harmless.
	key := "dossiers/" + hexSum[:2] + "/" + hexSum
	if err := s.blobs.Put(ctx, key, ct, bytes.NewReader(data)); err != nil {
		return Document{}, err
	}
	d := Document{ApplicationID: a.ID, Kind: kind, FileName: CleanFileName(fileName), ContentType: ct, Size: int64(len(data)), Sha256: hexSum, BlobKey: key}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// The application must still be a draft when the row is written.
		res := tx.Model(&Application{}).Where("id = ? AND status = ?", a.ID, StatusDraft).Update("updated_at", time.Now().UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return wrongState(a.Status)
		}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		return audit(tx, actor, "document.add", "ok", &a.ID, nil, nil, map[string]any{"file": d.FileName, "kind": kind, "sha256": hexSum}, "")
	})
	return d, err
}

func knownKind(k string) bool {
	for _, x := range DocumentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Submit sends a draft with at least one document to the commune.
func (s *Service) Submit(ctx context.Context, actor *account.User, code string) (Application, error) {
	a, err := s.ownApp(ctx, actor, code)
	if err != nil {
		return a, err
	}
	if a.Status != StatusDraft {
		return a, wrongState(a.Status)
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Document{}).Where("application_id = ?", a.ID).Count(&n).Error; err != nil {
		return a, err
	}
	if n == 0 {
		return a, errs.Invalid("documents", "registry.err.no_documents")
	}
	before := snapApp(a)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		now := time.Now().UTC()
		if err := moveApp(tx, &a, StatusSubmitted, []AppStatus{StatusDraft}, map[string]any{"submitted_at": now}); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, submittedEvent(a)); err != nil {
			return err
		}
		return audit(tx, actor, "application.submit", "ok", &a.ID, nil, before, snapApp(a), "")
	})
	return a, err
}

// ProducerApplications lists the applications of the actor's producer, newest first.
func (s *Service) ProducerApplications(ctx context.Context, actor *account.User) ([]Application, error) {
	p, err := s.producers.OfUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	var out []Application
	err = s.db.WithContext(ctx).Where("producer_id = ?", p.ID).Order("id DESC").Limit(200).Find(&out).Error
	return out, err
}

// CertificatesOf lists producerID's certificates for its public page, the
// latest-ending first, at most 100.
func (s *Service) CertificatesOf(ctx context.Context, producerID int64) ([]Certificate, error) {
	var out []Certificate
	err := s.db.WithContext(ctx).Where("producer_id = ?", producerID).Order("valid_until DESC").Limit(100).Find(&out).Error
	return out, err
}

// ProducerCertificates lists the certificates of the actor's producer, newest first.
func (s *Service) ProducerCertificates(ctx context.Context, actor *account.User) ([]Certificate, error) {
	p, err := s.producers.OfUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	var out []Certificate
	err = s.db.WithContext(ctx).Where("producer_id = ?", p.ID).Order("decision_date DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// Detail is an application with its dossier, score sheets and history.
type Detail struct {
	Application Application
	Documents   []Document
	Sheets      []ScoreSheet
	History     []AuditEntry
	Certificate *Certificate
	Council     *Council
	ProposedBy  string // the proposing officer's e-mail, for officers
}

// ProducerApplication is one of the actor's own applications; another
// producer's is ErrNotFound. Producers see the history (every step and
// remark) but not the council members' individual sheets.
func (s *Service) ProducerApplication(ctx context.Context, actor *account.User, code string) (Detail, error) {
	a, err := s.ownApp(ctx, actor, code)
	if err != nil {
		return Detail{}, err
	}
	d, err := s.detail(ctx, a)
	d.Sheets = nil
	for i := range d.History {
		d.History[i].ActorEmail, d.History[i].BeforeJSON, d.History[i].AfterJSON = "", "", ""
	}
	return d, err
}

func (s *Service) detail(ctx context.Context, a Application) (Detail, error) {
	g := s.db.WithContext(ctx)
	d := Detail{Application: a}
	if err := g.Where("application_id = ?", a.ID).Order("id").Find(&d.Documents).Error; err != nil {
		return d, err
	}
	if err := g.Where("application_id = ?", a.ID).Order("id").Find(&d.Sheets).Error; err != nil {
		return d, err
	}
	if err := g.Where("application_id = ? AND outcome = ?", a.ID, "ok").Order("id").Find(&d.History).Error; err != nil {
		return d, err
	}
	if a.CertificateID != nil {
		c, err := s.CertificateByID(ctx, *a.CertificateID)
		if err != nil {
			return d, err
		}
		d.Certificate = &c
	}
	for _, lvl := range []AuthorityLevel{AuthorityProvince, AuthorityCentral} {
		if c := councilOf(d.Sheets, lvl); c.Members > 0 {
			cc := c
			d.Council = &cc
		}
	}
	return d, nil
}

// OpenDocument returns a dossier file for its producer or an officer who may
// see the application.
func (s *Service) OpenDocument(ctx context.Context, actor *account.User, code string, docID int64) (Document, io.ReadCloser, error) {
	var a Application
	var err error
	if actor != nil && actor.Role == account.RoleOfficer {
		a, err = s.officerApp(ctx, actor, code, "document.read")
	} else {
		a, err = s.ownApp(ctx, actor, code)
	}
	if err != nil {
		return Document{}, nil, err
	}
	var d Document
	if err := s.db.WithContext(ctx).Where("id = ? AND application_id = ?", docID, a.ID).First(&d).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return d, nil, errs.ErrNotFound
		}
		return d, nil, err
	}
	rc, err := s.blobs.Open(ctx, d.BlobKey)
	return d, rc, err
}
