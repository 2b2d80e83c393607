package registryweb

import (
	"strings"
	"time"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// JSON views of registry records: request types are kept apart from domain types.

type applicationJSON struct {
	Code                string           `json:"code"`
	Kind                string           `json:"kind"`
	Status              string           `json:"status"`
	ProductName         string           `json:"product_name"`
	ProductID           *int64           `json:"product_id"`
	GroupCode           string           `json:"group_code"`
	Description         string           `json:"description"`
	ProvinceCode        string           `json:"province_code"`
	CommuneCode         string           `json:"commune_code"`
	SelfAssessment      selfJSON         `json:"self_assessment"`
	CouncilScore        *float64         `json:"council_score"`
	ResultStars         *int             `json:"result_stars"`
	NoCertificateReason string           `json:"no_certificate_reason,omitempty"`
	CertificateCode     string           `json:"certificate_code,omitempty"`
	ProposedBy          string           `json:"proposed_by,omitempty"` // officers only
	ProposedAt          string           `json:"proposed_at,omitempty"`
	Documents           []documentJSON   `json:"documents,omitempty"`
	ScoreSheets         []sheetJSON      `json:"score_sheets,omitempty"`
	History             []auditJSON      `json:"history,omitempty"`
	Council             *councilJSON     `json:"council,omitempty"`
	Certificate         *certificateJSON `json:"certificate,omitempty"`
}

type selfJSON struct {
	PartA float64 `json:"part_a"`
	PartB float64 `json:"part_b"`
	PartC float64 `json:"part_c"`
}

type documentJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Sha256      string `json:"sha256"`
}

type sheetJSON struct {
	MemberID        int64   `json:"member_id"`
	Level           string  `json:"level"`
	CriteriaVersion string  `json:"criteria_version"`
	PartA           float64 `json:"part_a"`
	PartB           float64 `json:"part_b"`
	PartC           float64 `json:"part_c"`
	Bonus           float64 `json:"bonus"`
	MandatoryPassed bool    `json:"mandatory_passed"`
	Total           float64 `json:"total"`
}

type councilJSON struct {
	Level           string  `json:"level"`
	Members         int     `json:"members"`
	Score           float64 `json:"score"`
	MandatoryPassed bool    `json:"mandatory_passed"`
}

type auditJSON struct {
	ID      int64     `json:"id"`
	At      string    `json:"at"`
	AtVN    string    `json:"-"` // for pages: Vietnam time
	When    time.Time `json:"-"` // for pages, written in the reader's format
	Actor   string    `json:"actor,omitempty"`
	Action  string    `json:"action"`
	Outcome string    `json:"outcome"`
	Before  string    `json:"before,omitempty"`
	After   string    `json:"after,omitempty"`
	Note    string    `json:"note,omitempty"`
}

type certificateJSON struct {
	Code           string   `json:"code"`
	Number         string   `json:"number"`
	Status         string   `json:"status"`
	Stars          int      `json:"stars"`
	Score          float64  `json:"score"`
	CriteriaVer    string   `json:"criteria_version"`
	ProductName    string   `json:"product_name"`
	ProductID      *int64   `json:"product_id"`
	GroupCode      string   `json:"group_code"`
	OwnerName      string   `json:"owner_name"`
	OwnerAddress   string   `json:"owner_address"`
	ProvinceCode   string   `json:"province_code"`
	CommuneCode    *string  `json:"commune_code"`
	AuthorityLevel string   `json:"authority_level"`
	AuthorityName  string   `json:"authority_name"`
	DecisionNo     string   `json:"decision_no"`
	DecisionDate   day.Date `json:"decision_date"`
	ValidFrom      day.Date `json:"valid_from"`
	ValidUntil     day.Date `json:"valid_until"`
	RevokedOn      *string  `json:"revoked_on"`
	SupersededOn   *string  `json:"superseded_on"`
	VerifyURL      string   `json:"verify_url"`
}

func (h *Handlers) certJSON(c registry.Certificate, on day.Date) certificateJSON {
	out := certificateJSON{Code: c.Code, Number: c.Number, Status: string(c.StatusOn(on)), Stars: c.Stars, Score: c.Score,
		CriteriaVer: c.CriteriaVersion, ProductName: c.ProductName, ProductID: c.ProductID, GroupCode: c.GroupCode,
		OwnerName: c.OwnerName, OwnerAddress: c.OwnerAddress, ProvinceCode: c.ProvinceCode, CommuneCode: c.CommuneCode,
		AuthorityLevel: string(c.AuthorityLevel), AuthorityName: c.AuthorityName, DecisionNo: c.DecisionNo,
		DecisionDate: c.DecisionDate, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, VerifyURL: h.verifyURL(c.Code)}
	if !c.RevokedOn.IsZero() {
		v := c.RevokedOn.String()
		out.RevokedOn = &v
	}
	if !c.SupersededOn.IsZero() {
		v := c.SupersededOn.String()
		out.SupersededOn = &v
	}
	return out
}

// verifyURL is the URL printed as a QR code on packages.
func (h *Handlers) verifyURL(code string) string { return h.BaseURL + "/verify/" + code }

// appsJSON is a list of applications as the API shows them.
func appsJSON(as []registry.Application) []applicationJSON {
	out := make([]applicationJSON, 0, len(as))
	for _, a := range as {
		out = append(out, appJSON(a))
	}
	return out
}

// appJSON is one application as the API shows it.
func appJSON(a registry.Application) applicationJSON {
	out := applicationJSON{Code: a.Code, Kind: string(a.Kind), Status: string(a.Status), ProductName: a.ProductName, ProductID: a.ProductID,
		GroupCode: a.GroupCode, Description: a.Description, ProvinceCode: a.ProvinceCode, CommuneCode: a.CommuneCode,
		SelfAssessment: selfJSON{a.SelfPartA, a.SelfPartB, a.SelfPartC}, CouncilScore: a.CouncilScore, ResultStars: a.ResultStars,
		NoCertificateReason: a.NoCertificateReason}
	if a.ProposedAt != nil {
		out.ProposedAt = a.ProposedAt.UTC().Format(time.RFC3339)
	}
	return out
}

func (h *Handlers) detailJSON(d registry.Detail, on day.Date) applicationJSON {
	out := appJSON(d.Application)
	out.ProposedBy = d.ProposedBy
	for _, doc := range d.Documents {
		out.Documents = append(out.Documents, documentJSON{doc.ID, doc.Kind, doc.FileName, doc.ContentType, doc.Size, doc.Sha256})
	}
	for _, sh := range d.Sheets {
		out.ScoreSheets = append(out.ScoreSheets, sheetJSON{sh.MemberID, string(sh.Level), sh.CriteriaVersion, sh.PartA, sh.PartB, sh.PartC, sh.Bonus, sh.MandatoryPassed, sh.Total})
	}
	out.History = auditsJSON(d.History)
	if d.Council != nil {
		out.Council = &councilJSON{string(d.Council.Level), d.Council.Members, d.Council.Score.Float(), d.Council.MandatoryPassed}
	}
	if d.Certificate != nil {
		cj := h.certJSON(*d.Certificate, on)
		out.Certificate, out.CertificateCode = &cj, cj.Code
	}
	return out
}

// translateNotes shows audit notes that start with a message key in the reader's language.
func (h *Handlers) translateNotes(lang string, es []auditJSON) []auditJSON {
	for i, e := range es {
		key, rest, _ := strings.Cut(e.Note, " ")
		if strings.HasPrefix(key, "registry.") || strings.HasPrefix(key, "validation.") || strings.HasPrefix(key, "catalog.") {
			es[i].Note = strings.TrimSpace(h.Msgs.T(lang, key) + " " + rest)
		}
	}
	return es
}

func auditsJSON(es []registry.AuditEntry) []auditJSON {
	out := make([]auditJSON, 0, len(es))
	for _, e := range es {
		out = append(out, auditJSON{ID: e.ID, At: e.At.UTC().Format("2006-01-02T15:04:05Z"), AtVN: kit.VNTime(e.At), When: e.At, Actor: e.ActorEmail, Action: e.Action,
			Outcome: e.Outcome, Before: e.BeforeJSON, After: e.AfterJSON, Note: e.Note})
	}
	return out
}

type verifyJSON struct {
	Code          string            `json:"code"`
	Number        string            `json:"number"`
	Valid         bool              `json:"valid"`
	Status        string            `json:"status"`
	StatusSince   *string           `json:"status_since"`
	ExpiresSoon   bool              `json:"expires_soon"`
	DaysLeft      int               `json:"days_left"`
	Stars         int               `json:"stars"`
	ProductName   string            `json:"product_name"`
	Producer      string            `json:"producer"`
	Commune       string            `json:"commune"`
	Province      string            `json:"province"`
	AuthorityName string            `json:"authority_name"`
	AuthorityLvl  string            `json:"authority_level"`
	DecisionNo    string            `json:"decision_no"`
	DecisionDate  day.Date          `json:"decision_date"`
	ValidFrom     day.Date          `json:"valid_from"`
	ValidUntil    day.Date          `json:"valid_until"`
	RevokeReason  string            `json:"revocation_reason,omitempty"`
	Revocation    *revocationJSON   `json:"revocation"`
	NewerCode     string            `json:"superseded_by,omitempty"`
	NewerURL      string            `json:"superseded_by_url,omitempty"`
	Successor     *successorJSON    `json:"successor"`
	VerifyURL     string            `json:"verify_url"`
	Import        *verifyImportJSON `json:"import,omitempty"`
}

// revocationJSON is the decision that withdrew a certificate.
type revocationJSON struct {
	DecisionNo string   `json:"decision_no"`
	Date       day.Date `json:"date"`
	Reason     string   `json:"reason"`
}

// successorJSON is the newest certificate of the chain that replaced a
// certificate (by renewal or upgrade), with its own standing today.
type successorJSON struct {
	Code        string   `json:"code"`
	Number      string   `json:"number"`
	Stars       int      `json:"stars"`
	Status      string   `json:"status"`
	Valid       bool     `json:"valid"`
	StatusSince *string  `json:"status_since"`
	ValidUntil  day.Date `json:"valid_until"`
	VerifyURL   string   `json:"verify_url"`
}

// verifyImportJSON says that a certificate was recorded from a paper
// decision and, once a second officer confirmed it, by which authority,
// with a link to the scanned original.
type verifyImportJSON struct {
	Confirmed   bool   `json:"confirmed"`
	ConfirmedBy string `json:"confirmed_by,omitempty"`
	ConfirmedAt string `json:"confirmed_at,omitempty"`
	ScanURL     string `json:"scan_url,omitempty"`
}

func (h *Handlers) verifyView(v registry.Verification) verifyJSON {
	c := v.Certificate
	out := verifyJSON{Code: c.Code, Number: c.Number, Valid: v.Status == registry.CertActive, Status: string(v.Status),
		ExpiresSoon: v.ExpiresSoon, DaysLeft: v.DaysLeft, Stars: c.Stars,
		ProductName: c.ProductName, Producer: v.Producer, Commune: v.Commune, Province: v.Province, AuthorityName: c.AuthorityName,
		AuthorityLvl: string(c.AuthorityLevel), DecisionNo: c.DecisionNo, DecisionDate: c.DecisionDate, ValidFrom: c.ValidFrom,
		ValidUntil: c.ValidUntil, RevokeReason: v.RevokeReason, NewerCode: v.NewerCode, VerifyURL: h.verifyURL(c.Code)}
	out.StatusSince = optDate(v.StatusSince)
	if v.Status == registry.CertRevoked {
		out.Revocation = &revocationJSON{DecisionNo: c.RevocationDecision, Date: c.RevokedOn, Reason: c.RevocationReason}
	}
	if v.NewerCode != "" {
		out.NewerURL = h.verifyURL(v.NewerCode)
	}
	if l := v.Latest; l != nil {
		out.Successor = &successorJSON{Code: l.Code, Number: l.Number, Stars: l.Stars, Status: string(v.LatestStatus),
			Valid: v.LatestStatus == registry.CertActive, StatusSince: optDate(v.LatestSince), ValidUntil: l.ValidUntil, VerifyURL: h.verifyURL(l.Code)}
	}
	if im := v.Import; im != nil {
		out.Import = &verifyImportJSON{Confirmed: im.Confirmed, ConfirmedBy: im.ConfirmedBy}
		if im.Confirmed {
			out.Import.ConfirmedAt = im.ConfirmedAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		if im.HasScan {
			out.Import.ScanURL = h.verifyURL(c.Code) + "/scan"
		}
	}
	return out
}

// optDate is d as "YYYY-MM-DD", or nil for no date.
func optDate(d day.Date) *string {
	if d.IsZero() {
		return nil
	}
	v := d.String()
	return &v
}
