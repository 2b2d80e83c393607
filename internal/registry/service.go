package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

// Service runs every registry action: it checks who may act, moves records
// by compare-and-set inside one transaction, and writes the audit log.
type Service struct {
	db        *gorm.DB
	blobs     blob.Store
	producers *producer.Store
	regions   *region.Store
	places    func(tx *gorm.DB) *region.Store // the region store inside a transaction
	accounts  *account.Service
	products  Products
	today     func() day.Date
	jobs      Jobs           // the job engine; nil: a bulk import runs in the request that starts it
	notify    notify.Emitter // nil: nobody is told (SetNotifier)
}

// Products is what the registry asks of the catalogue, which owns the
// listings a certificate may name (catalog.Service implements it). The
// registry never reads the catalogue's tables itself.
type Products interface {
	// OwnsProduct reports, in tx, whether productID is producerID's listing.
	OwnsProduct(ctx context.Context, tx *gorm.DB, producerID, productID int64) (bool, error)
	// ProductNames lists producerID's listings by name, to name one in an application.
	ProductNames(ctx context.Context, producerID int64) ([]catalog.ProductName, error)
	// Descriptions returns the listings' descriptions by id, in one query.
	Descriptions(ctx context.Context, ids []int64) (map[int64]string, error)
}

// NewService returns the registry service. today is the calendar day in
// Vietnam (tests pass a fixed or moving clock). Producers, places, users
// and listings are read through their own areas' services on g.
func NewService(g *gorm.DB, blobs blob.Store, today func() day.Date) *Service {
	if today == nil {
		today = day.Today
	}
	return &Service{db: g, blobs: blobs, producers: producer.NewStore(g), regions: region.NewStore(g), places: region.NewStore,
		accounts: account.NewService(g, nil), products: catalog.NewService(g, nil), today: today}
}

// Today is the service's current calendar day.
func (s *Service) Today() day.Date { return s.today() }

// Snapshots are what the audit log records before and after a change.
type appSnapshot struct {
	Status        AppStatus `json:"status"`
	CouncilScore  *float64  `json:"council_score,omitempty"`
	ResultStars   *int      `json:"result_stars,omitempty"`
	CertificateID *int64    `json:"certificate_id,omitempty"`
	NoCertReason  string    `json:"no_certificate_reason,omitempty"`
}

func snapApp(a Application) appSnapshot {
	return appSnapshot{Status: a.Status, CouncilScore: a.CouncilScore, ResultStars: a.ResultStars, CertificateID: a.CertificateID,
		NoCertReason: a.NoCertificateReason}
}

type certSnapshot struct {
	Code         string `json:"code"`
	Stars        int    `json:"stars"`
	ValidUntil   string `json:"valid_until"`
	RevokedOn    string `json:"revoked_on,omitempty"`
	SupersededOn string `json:"superseded_on,omitempty"`
}

func snapCert(c Certificate) certSnapshot {
	out := certSnapshot{Code: c.Code, Stars: c.Stars, ValidUntil: c.ValidUntil.String()}
	if !c.RevokedOn.IsZero() {
		out.RevokedOn = c.RevokedOn.String()
	}
	if !c.SupersededOn.IsZero() {
		out.SupersededOn = c.SupersededOn.String()
	}
	return out
}

// audit appends one entry to the chained audit log in tx, a transaction.
func audit(tx *gorm.DB, actor *account.User, action, outcome string, appID, certID *int64, before, after any, note string) error {
	e := AuditEntry{Action: action, Outcome: outcome, ApplicationID: appID, CertificateID: certID, Note: note}
	if actor != nil {
		e.ActorEmail = actor.Email
		if actor.ID != 0 { // the command line (CommandLine) has no account
			id := actor.ID
			e.ActorID = &id
		}
	}
	if before != nil {
		b, _ := json.Marshal(before)
		e.BeforeJSON = string(b)
	}
	if after != nil {
		b, _ := json.Marshal(after)
		e.AfterJSON = string(b)
	}
	return appendAudit(tx, &e)
}

// refuse records an officer's refused attempt (outside any transaction, so
// it stays when the action does not happen) and returns err.
func (s *Service) refuse(ctx context.Context, actor *account.User, action string, appID, certID *int64, err error) error {
	if aerr := s.logRefusal(ctx, actor, action, appID, certID, err); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// logRefusal writes the refused attempt err to the audit log and returns
// only the audit's own error.
func (s *Service) logRefusal(ctx context.Context, actor *account.User, action string, appID, certID *int64, err error) error {
	// The note starts with a message key (shown translated on pages), then the fields at fault.
	note := errs.Reason(err)
	if ve, ok := errs.AsValidation(err); ok && note == "" && len(ve.Fields) > 0 {
		names := make([]string, len(ve.Fields))
		for i, f := range ve.Fields {
			names[i] = f.Field
		}
		note = ve.Fields[0].Message + " (" + strings.Join(names, ", ") + ")"
	}
	if note == "" {
		note = err.Error()
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return audit(tx, actor, action, "refused", appID, certID, nil, nil, note) })
}

// moveApp is the compare-and-set every application step goes through: the
// row changes only if it is still in one of the from states.
func moveApp(tx *gorm.DB, a *Application, to AppStatus, from []AppStatus, set map[string]any) error {
	if set == nil {
		set = map[string]any{}
	}
	set["status"] = to
	set["updated_at"] = time.Now().UTC()
	res := tx.Model(&Application{}).Where("id = ? AND status IN ?", a.ID, from).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return wrongState(a.Status)
	}
	return tx.First(a, a.ID).Error
}

func wrongState(st AppStatus) error {
	return &errs.Reasoned{Err: fmt.Errorf("%w: application is %s", errs.ErrConflict, st), Reason: "registry.err.wrong_state"}
}

func reasoned(base error, key string) error { return &errs.Reasoned{Err: base, Reason: key} }

// invalidBecause is a one-field validation error (400) whose message key is
// also its reason, so a page shows the rule that was broken, not only "check
// the form".
func invalidBecause(field, key string) error { return reasoned(errs.Invalid(field, key), key) }

// appByCode loads an application by its public code; unknown is ErrNotFound.
func (s *Service) appByCode(ctx context.Context, code string) (Application, error) {
	var a Application
	err := s.db.WithContext(ctx).Where("code = ?", code).First(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, errs.ErrNotFound
	}
	return a, err
}

// CertificateByCode loads a certificate by its verify code; unknown is ErrNotFound.
func (s *Service) CertificateByCode(ctx context.Context, code string) (Certificate, error) {
	var c Certificate
	code, ok := NormalizeCode(code)
	if !ok {
		return c, errs.ErrNotFound
	}
	err := s.db.WithContext(ctx).Where("code = ?", code).First(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, errs.ErrNotFound
	}
	return c, err
}

// CertificateByID loads a certificate by id; unknown is ErrNotFound.
func (s *Service) CertificateByID(ctx context.Context, id int64) (Certificate, error) {
	var c Certificate
	err := s.db.WithContext(ctx).First(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, errs.ErrNotFound
	}
	return c, err
}
