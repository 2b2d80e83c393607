package registry

import (
	"time"

	"github.com/chocop/ocop/internal/platform/day"
)

// AppStatus is where an application stands. It moves only forward, each
// step a compare-and-set on the status the actor saw.
type AppStatus string

// Application statuses: draft → submitted → proposed (by the commune) →
// scored (by the provincial council) → decided, or forwarded → decided by
// the central level.
const (
	StatusDraft     AppStatus = "draft"
	StatusSubmitted AppStatus = "submitted"
	StatusProposed  AppStatus = "proposed"
	StatusScored    AppStatus = "scored"
	StatusForwarded AppStatus = "forwarded"
	StatusDecided   AppStatus = "decided"
)

// AppKind says why a product is evaluated.
type AppKind string

// Application kinds: a first evaluation, a re-evaluation to keep the mark,
// or an evaluation for a higher rank (3★ → 4★).
const (
	KindNew     AppKind = "new"
	KindRenewal AppKind = "renewal"
	KindUpgrade AppKind = "upgrade"
)

// Application is a producer's request to have a product evaluated.
type Application struct {
	ID                    int64  `gorm:"primaryKey"`
	Code                  string `gorm:"not null;uniqueIndex"` // public reference, never the id
	Kind                  AppKind
	Status                AppStatus
	ProducerID            int64
	ProductID             *int64
	ProductName           string
	GroupCode             string
	Description           string
	ProvinceCode          string // the producer's province when it applied: decides which officers act
	CommuneCode           string
	SelfPartA             float64
	SelfPartB             float64
	SelfPartC             float64
	PreviousCertificateID *int64
	ProposalNote          string
	ProposedBy            *int64 // the officer who proposed it: the commune's, or the province's where the commune has no account
	ProposedAt            *time.Time
	CouncilScore          *float64
	MandatoryPassed       *bool
	ResultStars           *int
	NoCertificateReason   string // i18n key
	DecisionID            *int64
	CentralDecisionID     *int64
	CertificateID         *int64
	IsDemo                bool
	SubmittedAt           *time.Time
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// TableName is the registry's table of applications.
func (Application) TableName() string { return "registry_applications" }

// Document is one file of an application's dossier. The bytes live in the
// blob store; a reused dossier points new rows at the same blobs.
type Document struct {
	ID            int64 `gorm:"primaryKey"`
	ApplicationID int64
	Kind          string
	FileName      string
	ContentType   string
	Size          int64
	Sha256        string `gorm:"column:sha256"`
	BlobKey       string
	CreatedAt     time.Time
}

// TableName is the registry's table of dossier documents.
func (Document) TableName() string { return "registry_documents" }

// ScoreSheet is one council member's scores for one application.
type ScoreSheet struct {
	ID              int64 `gorm:"primaryKey"`
	ApplicationID   int64
	Level           AuthorityLevel
	MemberID        int64
	CriteriaVersion string
	PartA           float64
	PartB           float64
	PartC           float64
	Bonus           float64
	MandatoryPassed bool
	Total           float64
	CreatedAt       time.Time
}

// TableName is the registry's table of score sheets.
func (ScoreSheet) TableName() string { return "registry_score_sheets" }

// Decision is a recognition decision of a People's Committee (province) or
// the Ministry (central); one decision lists many products.
type Decision struct {
	ID            int64 `gorm:"primaryKey"`
	Number        string
	DecisionDate  day.Date
	Level         AuthorityLevel
	AuthorityName string
	Signatory     string
	ProvinceCode  *string
	CreatedBy     int64
	IsDemo        bool
	CreatedAt     time.Time
}

// TableName is the registry's table of decisions.
func (Decision) TableName() string { return "registry_decisions" }

// Expiry records, for reporting, that a certificate's validity ended. The
// certificate's status never depends on it: StatusOn derives it from dates.
type Expiry struct {
	CertificateID int64 `gorm:"primaryKey;autoIncrement:false"`
	ExpiredOn     day.Date
	RecordedAt    time.Time
}

// TableName is the registry's table of recorded expiries.
func (Expiry) TableName() string { return "registry_expiries" }

// AuditEntry is one line of the append-only audit log. Database triggers
// refuse UPDATE and DELETE on its table on both dialects.
type AuditEntry struct {
	ID            int64 `gorm:"primaryKey"`
	At            time.Time
	ActorID       *int64
	ActorEmail    string
	Action        string
	Outcome       string // ok or refused
	ApplicationID *int64
	CertificateID *int64
	BeforeJSON    string `gorm:"column:before_json"`
	AfterJSON     string `gorm:"column:after_json"`
	Note          string
	PrevHash      string // SHA-256 of the previous row (auditchain)
	Hash          string // SHA-256 of this row, PrevHash included
}

// TableName is the registry's audit log.
func (AuditEntry) TableName() string { return "registry_audit" }
