package registry

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog/grouptree"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/text"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

// Import is a historic certificate recorded from its original paper decision.
type Import struct {
	ProducerID     int64  // or ProducerSlug
	ProducerSlug   string // the producer's public slug, when ProducerID is zero
	ProductID      *int64 // a listing of that producer, if the product is listed
	ProductName    string
	GroupCode      string
	Level          AuthorityLevel // district certificates (02/2023–06/2025) keep their level
	AuthorityName  string         // the issuer as printed, when it differs from today's authority (a former district or province)
	DecisionNo     string
	DecisionDate   day.Date
	Number         string
	Stars          int
	Score          Points
	Criteria       string
	OwnerAddress   string // as written on the certificate (old district names included)
	CommuneCode    *string
	SupersededCode string // an older certificate of the producer this one replaced, if any
	IsDemo         bool
}

// ImportRecord is the paper trail of an imported certificate: who recorded
// it, and the second officer who confirmed it against the scanned original.
type ImportRecord struct {
	CertificateID        int64 `gorm:"primaryKey;autoIncrement:false"`
	ImportedBy           int64
	ImportedAt           time.Time
	SupersedesID         *int64
	ConfirmedBy          *int64
	ConfirmedAt          *time.Time
	ConfirmerAuthorityID *int64
	ScanFileName         string
	ScanContentType      string
	ScanSize             int64
	ScanSha256           string `gorm:"column:scan_sha256"`
	ScanBlobKey          string
}

// TableName is the registry's table of imports.
func (ImportRecord) TableName() string { return "registry_imports" }

// districtYears are the days district People's Committees recognised 3★
// (Decision 148 until Decision 1489 abolished the level on 1 July 2025).
var districtFrom, districtUntil = day.New(2023, 2, 1), day.New(2025, 6, 30)

// reformDay is when districts were abolished and provinces merged (1 July
// 2025): a certificate dated before it may name an issuer that no longer exists.
var reformDay = day.New(2025, 7, 1)

// levelRank orders the levels: a certificate is renewed, upgraded or
// superseded only by its own level or a higher one.
func levelRank(l AuthorityLevel) int {
	switch l {
	case AuthorityCentral:
		return 3
	case AuthorityProvince:
		return 2
	case AuthorityDistrict:
		return 1
	}
	return 0
}

// ImportHistoric records a certificate issued on paper before the registry
// was used, as a pending certificate that is no badge until a second officer
// confirms it (ConfirmImport). It is the one door for every import, single
// or bulk (a bulk import calls it row by row), and holds every rule:
//   - the actor's own level: a provincial officer imports province and
//     district certificates of producers of their province; only a central
//     officer or an admin imports central ones;
//   - the past only: the decision is dated before today and before the
//     go-live day of the producer's province (and of the central level, for
//     a central certificate);
//   - the product, when given, is the producer's; the number is unique in
//     its authority's number space;
//   - every refusal is audited.
func (s *Service) ImportHistoric(ctx context.Context, actor *account.User, in Import) (Certificate, error) {
	return s.importHistoric(ctx, actor, in, nil)
}

// ImportPlan is what an import would record, as the dry run shows it.
type ImportPlan struct {
	Producer      producer.Producer
	AuthorityID   int64
	AuthorityName string // as it would be printed
	Number        string // as it would be stored (derived when the paper has none)
	Supersedes    string // the code of the certificate it would replace
	ValidUntil    day.Date
}

// NumberKey is the key the plan's number is unique on within its authority.
func (p ImportPlan) NumberKey() string { return NumberKey(p.Number) }

// CheckImport is the dry run of ImportHistoric: the same checks, in the
// same code, writing nothing (no certificate, no audit entry). It returns
// what the import would record, or the error ImportHistoric would answer.
func (s *Service) CheckImport(ctx context.Context, actor *account.User, in Import) (ImportPlan, error) {
	if !mayImport(actor) {
		return ImportPlan{}, errs.ErrForbidden
	}
	pr, err := s.prepareImport(ctx, actor, &in)
	if err != nil {
		return ImportPlan{}, err
	}
	plan := ImportPlan{Producer: pr.producer, AuthorityID: pr.auth.ID, AuthorityName: in.AuthorityName, Number: in.Number, ValidUntil: ValidUntilFor(in.DecisionDate)}
	if pr.old != nil {
		plan.Supersedes = pr.old.Code
	}
	return plan, nil
}

func mayImport(actor *account.User) bool {
	return actor != nil && (actor.Role == account.RoleOfficer || actor.Role == account.RoleAdmin)
}

// isRefusal reports whether err is a refusal of the input (a rule broken)
// rather than a failure to read the database: refusals are audited.
func isRefusal(err error) bool {
	_, ok := errs.AsValidation(err)
	return ok || errs.Reason(err) != ""
}

// preparedImport is what the checks found: the producer, the authority,
// and the certificate the import replaces.
type preparedImport struct {
	producer producer.Producer
	auth     Authority
	old      *Certificate
}

// prepareImport runs every rule of an import on in (normalising its number
// and issuer name in place) and writes nothing. Its refusals are not yet
// audited: ImportHistoric audits them, the dry run does not.
func (s *Service) prepareImport(ctx context.Context, actor *account.User, in *Import) (preparedImport, error) {
	var pr preparedImport
	g := s.db.WithContext(ctx)
	p, err := s.importProducer(ctx, *in)
	if err != nil {
		return pr, err
	}
	pr.producer = p
	if err := importScope(actor, in.Level, p.ProvinceCode); err != nil {
		return pr, err
	}
	if pr.auth, err = authorityFor(g, in.Level, p.ProvinceCode); err != nil {
		return pr, err
	}
	fe, err := s.checkImport(g, in, p, pr.auth)
	if err != nil {
		return pr, err
	}
	if in.SupersededCode != "" && fe == nil {
		o, err := s.importSuperseded(g, actor, *in, p)
		if err != nil {
			return pr, err
		}
		pr.old = &o
	}
	if fe != nil {
		return pr, &errs.ValidationError{Fields: fe}
	}
	// The number's constraint refuses a duplicate anyway (and settles a
	// race); asking first lets the dry run say so too.
	var n int64
	if err := g.Model(&Certificate{}).Where("authority_id = ? AND number_key = ?", pr.auth.ID, NumberKey(in.Number)).Count(&n).Error; err != nil {
		return pr, err
	}
	if n > 0 {
		return pr, reasoned(errs.ErrConflict, "registry.err.number_exists")
	}
	return pr, nil
}

// importHistoric is ImportHistoric; onCreate, when given, runs in the
// transaction that creates the certificate (a bulk import marks its row
// done in it, so a retried job never imports a row twice).
func (s *Service) importHistoric(ctx context.Context, actor *account.User, in Import, onCreate func(tx *gorm.DB, c Certificate) error) (Certificate, error) {
	const action = "certificate.import"
	if !mayImport(actor) {
		return Certificate{}, errs.ErrForbidden
	}
	pr, err := s.prepareImport(ctx, actor, &in)
	if err != nil {
		if isRefusal(err) {
			return Certificate{}, s.refuse(ctx, actor, action, nil, nil, err)
		}
		return Certificate{}, err
	}
	p, auth, old := pr.producer, pr.auth, pr.old
	addr := strings.TrimSpace(in.OwnerAddress)
	if addr == "" {
		if addr, err = ownerAddress(ctx, s.regions, p); err != nil {
			return Certificate{}, err
		}
	}
	if in.CommuneCode == nil {
		cc := p.CommuneCode
		in.CommuneCode = &cc
	}
	c := Certificate{Code: NewCode(), Number: in.Number, AuthorityID: auth.ID, AuthorityLevel: in.Level, AuthorityName: in.AuthorityName,
		DecisionNo: in.DecisionNo, DecisionDate: in.DecisionDate, ProducerID: p.ID, ProductID: in.ProductID, ProductName: in.ProductName,
		GroupCode: in.GroupCode, OwnerName: p.LegalName, OwnerAddress: addr, ProvinceCode: p.ProvinceCode, CommuneCode: in.CommuneCode,
		Stars: in.Stars, Score: in.Score.Float(), CriteriaVersion: in.Criteria, ValidFrom: in.DecisionDate,
		ValidUntil: ValidUntilFor(in.DecisionDate), ImportPending: true, IsDemo: in.IsDemo, CreatedAt: time.Now().UTC(),
		SearchFolded: text.Fold(in.ProductName + " " + p.LegalName + " " + in.DecisionNo)}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			if db.IsDuplicate(err) {
				return reasoned(errs.ErrConflict, "registry.err.number_exists")
			}
			return err
		}
		rec := ImportRecord{CertificateID: c.ID, ImportedBy: actor.ID, ImportedAt: time.Now().UTC()}
		if old != nil {
			rec.SupersedesID = &old.ID
		}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		if err := audit(tx, actor, action, "ok", nil, &c.ID, nil, snapCert(c), in.DecisionNo+" ("+auth.Name+"): pending a second officer's confirmation"); err != nil {
			return err
		}
		if onCreate != nil {
			return onCreate(tx, c)
		}
		return nil
	})
	if err != nil && errs.Reason(err) != "" {
		return Certificate{}, s.refuse(ctx, actor, action, nil, nil, err)
	}
	return c, err
}

// RefuseImport audits an import the web layer could not even read (a
// malformed body, a score with three decimals) and returns err, so that
// every refused import is in the audit log.
func (s *Service) RefuseImport(ctx context.Context, actor *account.User, err error) error {
	if !mayImport(actor) {
		return errs.ErrForbidden
	}
	return s.refuse(ctx, actor, "certificate.import", nil, nil, err)
}

// importProducer finds the producer an import names, by id or slug.
func (s *Service) importProducer(ctx context.Context, in Import) (producer.Producer, error) {
	var (
		p   producer.Producer
		err error
	)
	switch {
	case in.ProducerID != 0:
		p, err = s.producers.ByID(ctx, in.ProducerID)
	case in.ProducerSlug != "" && len(in.ProducerSlug) <= 200:
		p, err = s.producers.BySlug(ctx, in.ProducerSlug)
	default:
		err = errs.ErrNotFound
	}
	if errors.Is(err, errs.ErrNotFound) {
		return p, errs.Invalid("producer_slug", "registry.err.producer")
	}
	return p, err
}

// importScope is the rule "at the actor's own level".
func importScope(actor *account.User, level AuthorityLevel, province string) error {
	switch level {
	case AuthorityCentral:
		if actor.IsCentralOfficer() || actor.Role == account.RoleAdmin {
			return nil
		}
		return reasoned(errs.ErrForbidden, "registry.err.central_only")
	case AuthorityProvince, AuthorityDistrict:
		if actor.OfficerOf(province) {
			return nil
		}
		return reasoned(errs.ErrForbidden, "registry.err.outside_scope")
	}
	return errs.Invalid("authority_level", "validation.oneof")
}

// checkImport validates an import's fields and normalises its number and
// issuer name in place. It returns the invalid fields (nil when all are
// good) or an error reading the database.
func (s *Service) checkImport(g *gorm.DB, in *Import, p producer.Producer, auth Authority) ([]errs.FieldError, error) {
	var fe []errs.FieldError
	bad := func(field, key string) { fe = append(fe, errs.FieldError{Field: field, Message: key}) }
	if in.Stars < 3 || in.Stars > 5 || (in.Stars == 5) != (in.Level == AuthorityCentral) {
		bad("stars", "registry.err.stars")
	}
	if in.Level == AuthorityDistrict && (in.DecisionDate.Before(districtFrom) || in.DecisionDate.After(districtUntil) || in.Stars != 3) {
		bad("authority_level", "registry.err.district")
	}
	cut, err := s.importCutoff(g, in.Level, p.ProvinceCode)
	if err != nil {
		return nil, err
	}
	switch {
	case in.DecisionDate.IsZero():
		bad("decision_date", "validation.required")
	case !in.DecisionDate.Before(s.today()):
		bad("decision_date", "registry.err.import_not_past")
	case !cut.IsZero() && !in.DecisionDate.Before(cut):
		bad("decision_date", "registry.err.after_go_live")
	}
	if _, _, _, ok := PartMaxima(in.Criteria); !ok {
		bad("criteria_version", "registry.err.criteria")
	} else if v, _ := CriteriaOn(in.DecisionDate); v != in.Criteria && !in.DecisionDate.IsZero() {
		bad("criteria_version", "registry.err.criteria_not_in_force")
	}
	if in.Score < 0 || in.Score > 10000 || (StarsFor(in.Score) != in.Stars && in.Score != 0) {
		bad("score", "registry.err.score_stars")
	}
	in.DecisionNo = NormalizeNumber(in.DecisionNo)
	if !cleanText(in.DecisionNo, 80) {
		bad("decision_no", "validation.required")
	}
	in.ProductName = strings.TrimSpace(in.ProductName)
	if !cleanText(in.ProductName, 200) {
		bad("product_name", "validation.required")
	}
	if in.Number = NormalizeNumber(in.Number); in.Number == "" && in.DecisionNo != "" && in.ProductName != "" {
		// No separate certificate number on paper: the decision and the
		// product make one, the same each time, so a second import of the
		// same record is a duplicate rather than a new certificate.
		in.Number = in.DecisionNo + "/" + text.Slug(in.ProductName)
	}
	if in.Number != "" && !cleanText(in.Number, 120) {
		bad("number", "registry.err.number")
	}
	if !cleanText(in.OwnerAddress, 500) && in.OwnerAddress != "" {
		bad("owner_address", "validation.max")
	}
	if f := checkIssuerName(in, auth); f != "" {
		bad("authority_name", f)
	}
	if err := grouptree.RequireLeaf(g, "group_code", in.GroupCode); err != nil {
		ve, ok := errs.AsValidation(err)
		if !ok {
			return nil, err
		}
		fe = append(fe, ve.Fields...)
	}
	if in.ProductID != nil {
		own, err := s.products.OwnsProduct(g.Statement.Context, g, p.ID, *in.ProductID)
		if err != nil {
			return nil, err
		}
		if !own { // security: a badge goes only on the producer's own listing
			bad("product_id", "registry.err.product_not_producers")
		}
	}
	if in.CommuneCode != nil {
		// Any commune of the producer's province, retired ones included: a
		// paper certificate names the commune of its day.
		c, err := region.NewStore(g).Commune(g.Statement.Context, *in.CommuneCode)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return nil, err
		}
		if err != nil || c.ProvinceCode != p.ProvinceCode {
			bad("commune_code", "registry.err.commune")
		}
	}
	return fe, nil
}

// importCutoff is the first day that must have been recorded in the
// registry rather than imported: the earliest go-live day that applies
// (the producer's province, and the central level for a central
// certificate). Zero when none is set.
func (s *Service) importCutoff(g *gorm.DB, level AuthorityLevel, province string) (day.Date, error) {
	keys := []string{province}
	if level == AuthorityCentral {
		keys = append(keys, "central")
	}
	var cut day.Date
	for _, k := range keys {
		a, err := authorityByKey(g, k)
		if err != nil {
			return cut, err
		}
		if !a.GoLiveOn.IsZero() && (cut.IsZero() || a.GoLiveOn.Before(cut)) {
			cut = a.GoLiveOn
		}
	}
	return cut, nil
}

// checkIssuerName settles the issuer as printed: today's official name
// (case and spacing variants of it included) unless the certificate names
// a former district, or was dated before the 2025 reform under a former
// province or ministry name. It returns a message key when the name is refused.
func checkIssuerName(in *Import, auth Authority) string {
	name := NormalizeNumber(in.AuthorityName)
	switch {
	case name == "" && in.Level == AuthorityDistrict:
		return "registry.err.district_name"
	case name == "" || text.Fold(name) == text.Fold(auth.Name):
		in.AuthorityName = auth.Name
	case !cleanText(name, 200):
		return "registry.err.authority_name"
	case in.Level != AuthorityCentral && text.Fold(name) == text.Fold(CentralAuthority):
		return "registry.err.authority_mismatch" // a province never prints the Ministry's name
	case in.Level == AuthorityDistrict || (!in.DecisionDate.IsZero() && in.DecisionDate.Before(reformDay)):
		in.AuthorityName = name
	default:
		return "registry.err.authority_mismatch"
	}
	return ""
}

// importSuperseded loads the older certificate an import replaces: the
// same producer's, and one the import's level may replace.
func (s *Service) importSuperseded(g *gorm.DB, actor *account.User, in Import, p producer.Producer) (Certificate, error) {
	var old Certificate
	code, ok := NormalizeCode(in.SupersededCode)
	if !ok {
		return old, errs.Invalid("supersedes", "registry.err.previous")
	}
	if err := g.Where("code = ? AND producer_id = ?", code, p.ID).First(&old).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return old, errs.Invalid("supersedes", "registry.err.previous")
	} else if err != nil {
		return old, err
	}
	if levelRank(in.Level) < levelRank(old.AuthorityLevel) || (!actor.IsCentralOfficer() && actor.Role != account.RoleAdmin && !actor.OfficerOf(old.ProvinceCode)) {
		return old, reasoned(errs.ErrForbidden, "registry.err.issuer_level")
	}
	return old, nil
}

// cleanText reports whether s is non-empty valid UTF-8 of at most max
// characters with no control characters.
func cleanText(s string, max int) bool {
	return s != "" && utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && strings.IndexFunc(s, unicode.IsControl) < 0
}
