package registry

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// NationalRecord is a certificate in the shape of the national OCOP
// registry's public product record (ocopvietnam.gov.vn), followed by what an
// officer needs to check it: its status today, the verify URL, the issuing
// authority, the decision and the revocation.
type NationalRecord struct {
	Name              string       `json:"name"`
	Star              int          `json:"star"`
	Description       string       `json:"description"`
	Manufacturer      Manufacturer `json:"manufacturer"`
	CertificateNumber string       `json:"certificate_number"`
	IssuedOn          string       `json:"issued_on"`
	ExpiryDate        string       `json:"expiry_date"`

	Code               string `json:"code"`
	Status             string `json:"status"` // as of the export's day
	VerifyURL          string `json:"verify_url"`
	AuthorityLevel     string `json:"authority_level"`
	AuthorityName      string `json:"authority_name"`
	DecisionNo         string `json:"decision_no"`
	DecisionDate       string `json:"decision_date"`
	ValidFrom          string `json:"valid_from"`
	ValidUntil         string `json:"valid_until"`
	RevokedOn          string `json:"revoked_on"`
	RevocationDecision string `json:"revocation_decision"`
	RevocationReason   string `json:"revocation_reason"`
	SupersededOn       string `json:"superseded_on"`
	ProvinceCode       string `json:"province_code"`
	CommuneCode        string `json:"commune_code"`
	GroupCode          string `json:"group_code"`
}

// Manufacturer is the product owner in a NationalRecord.
type Manufacturer struct {
	Name           string `json:"name"`
	Representative string `json:"representative"`
	Address        string `json:"address"`
	PhoneNumber    string `json:"phone_number"`
	Email          string `json:"email"`
}

// ExportCertificates is every certificate of the officer's list for q (all
// pages, the same scope and filters as OfficerCertificates) in the national
// registry's shape, with each status as of today. The export is audited.
// VerifyURL is left for the caller, who knows the site's address.
func (s *Service) ExportCertificates(ctx context.Context, actor *account.User, q CertQuery) ([]NationalRecord, error) {
	q, err := s.scopeCertQuery(ctx, actor, "certificate.export", q)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := []NationalRecord{}
	var after *CertCursor
	for {
		var rows []Certificate
		g := afterCursor(certWhere(s.db.WithContext(ctx), "", q), "", after)
		if err := g.Order("decision_date DESC, id DESC").Limit(1000).Find(&rows).Error; err != nil {
			return nil, err
		}
		// The owners' contacts and the listings' descriptions come from
		// their areas, one query each per page of a thousand.
		owners, descs, err := s.exportDetails(ctx, rows)
		if err != nil {
			return nil, err
		}
		for _, c := range rows {
			p, ok := owners[c.ProducerID]
			if !ok {
				return nil, fmt.Errorf("certificate %s: producer %d: %w", c.Code, c.ProducerID, errs.ErrNotFound)
			}
			var desc *string
			if c.ProductID != nil {
				if d, ok := descs[*c.ProductID]; ok {
					desc = &d
				}
			}
			out = append(out, nationalRecord(c, today, p.Representative, p.Phone, p.Email, desc))
		}
		if len(rows) < 1000 {
			break
		}
		if len(out) >= MaxExportRows {
			// Narrow the filters; nothing this large is read in one sitting.
			return nil, errs.Invalid("q", "registry.err.export_too_big")
		}
		last := rows[len(rows)-1]
		after = &CertCursor{DecisionDate: last.DecisionDate, ID: last.ID}
	}
	if err := s.AuditCertificateExport(ctx, actor, exportFilter(q), len(out)); err != nil {
		return nil, err
	}
	return out, nil
}

// exportDetails reads what a page of the export needs from other areas:
// the certificates' producers and their listings' descriptions, by id.
func (s *Service) exportDetails(ctx context.Context, certs []Certificate) (map[int64]producer.Producer, map[int64]string, error) {
	var producerIDs, productIDs []int64
	for _, c := range certs {
		producerIDs = append(producerIDs, c.ProducerID)
		if c.ProductID != nil {
			productIDs = append(productIDs, *c.ProductID)
		}
	}
	owners, err := s.producers.ByIDs(ctx, producerIDs)
	if err != nil {
		return nil, nil, err
	}
	descs, err := s.products.Descriptions(ctx, productIDs)
	return owners, descs, err
}

// exportFilter is what the audit log keeps of an export's filters: those
// set, as the officer asked them (after scoping: a provincial officer's
// province is always there).
func exportFilter(q CertQuery) map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{"province": q.Province, "commune": q.Commune, "group": q.Group, "status": string(q.Status),
		"level": string(q.Level), "authority": q.Authority, "q": q.Query} {
		if v != "" {
			m[k] = v
		}
	}
	if q.Status != "" {
		m["on"] = q.On.String()
	}
	if q.Stars != 0 {
		m["stars"] = strconv.Itoa(q.Stars)
	}
	if q.Year != 0 {
		m["year"] = strconv.Itoa(q.Year)
	}
	if q.ConfirmedOnly {
		m["confirmed_only"] = "true"
	}
	return m
}

func nationalRecord(c Certificate, today day.Date, rep, phone, email string, desc *string) NationalRecord {
	r := NationalRecord{Name: c.ProductName, Star: c.Stars,
		Manufacturer:      Manufacturer{Name: c.OwnerName, Representative: rep, Address: c.OwnerAddress, PhoneNumber: phone, Email: email},
		CertificateNumber: c.Number, IssuedOn: c.DecisionDate.String(), ExpiryDate: c.ValidUntil.String(),
		Code: c.Code, Status: string(c.StatusOn(today)), AuthorityLevel: string(c.AuthorityLevel), AuthorityName: c.AuthorityName,
		DecisionNo: c.DecisionNo, DecisionDate: c.DecisionDate.String(), ValidFrom: c.ValidFrom.String(), ValidUntil: c.ValidUntil.String(),
		RevokedOn: c.RevokedOn.String(), RevocationDecision: c.RevocationDecision, RevocationReason: c.RevocationReason,
		SupersededOn: c.SupersededOn.String(), ProvinceCode: c.ProvinceCode, GroupCode: c.GroupCode}
	if desc != nil {
		r.Description = *desc
	}
	if c.CommuneCode != nil {
		r.CommuneCode = *c.CommuneCode
	}
	return r
}

// CSVHeader is the header row of the certificate export: the national
// record's fields first (the order the national registry uses), then the
// officer's columns.
var CSVHeader = []string{"name", "star", "description", "manufacturer_name", "manufacturer_representative", "manufacturer_address",
	"manufacturer_phone_number", "manufacturer_email", "certificate_number", "issued_on", "expiry_date",
	"code", "status", "verify_url", "authority_level", "authority_name", "decision_no", "decision_date", "valid_from", "valid_until",
	"revoked_on", "revocation_decision", "revocation_reason", "superseded_on", "province_code", "commune_code", "group_code"}

// utf8BOM opens the CSV so that Excel on Windows reads it as UTF-8 and
// shows the diacritics instead of mojibake.
const utf8BOM = "\uFEFF"

// WriteCSV writes records as CSV: a UTF-8 byte order mark, the header row
// (CSVHeader) and one row per record. Dates are YYYY-MM-DD, which Excel
// reads as dates in any locale.
func WriteCSV(w io.Writer, recs []NationalRecord) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, r := range recs {
		err := cw.Write([]string{r.Name, strconv.Itoa(r.Star), r.Description, r.Manufacturer.Name, r.Manufacturer.Representative,
			r.Manufacturer.Address, r.Manufacturer.PhoneNumber, r.Manufacturer.Email, r.CertificateNumber, r.IssuedOn, r.ExpiryDate,
			r.Code, r.Status, r.VerifyURL, r.AuthorityLevel, r.AuthorityName, r.DecisionNo, r.DecisionDate, r.ValidFrom, r.ValidUntil,
			r.RevokedOn, r.RevocationDecision, r.RevocationReason, r.SupersededOn, r.ProvinceCode, r.CommuneCode, r.GroupCode})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
