package order

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Carrier is a delivery company a producer can pick when shipping, with
// the public page where anyone can follow a parcel by its number.
type Carrier struct {
	Code string // stored in orders.carrier
	Name string // as the carrier writes its own name
	// track is the carrier's own tracking page with the number appended
	// (query-escaped). The pages are the ones the carriers link from their
	// sites; when one moves, this table is the one place to change.
	track string
}

// Carriers are the delivery companies offered in the ship form, in the
// order shown. Anything else is typed in as free text and shown without a
// link.
var Carriers = []Carrier{
	{Code: "viettelpost", Name: "Viettel Post", track: "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?billcode="},
	{Code: "ghn", Name: "GHN", track: "https://donhang.ghn.vn/?order_code="},
	{Code: "ghtk", Name: "GHTK", track: "https://i.ghtk.vn/"},
	{Code: "vnpost", Name: "VNPost", track: "https://www.vnpost.vn/vi-vn/dinh-vi/buu-pham?key="},
	{Code: "jt", Name: "J&T Express", track: "https://jtexpress.vn/vi/tracking?type=track&billcode="},
}

// CarrierOther is the ship form's choice for a carrier not in Carriers;
// its name then comes from a free-text field.
const CarrierOther = "other"

// Tracking number bounds: every listed carrier's numbers fit (GHN's 8
// characters, VNPost's 13, GHTK's dotted labels of about 30).
const (
	minTracking    = 6
	maxTracking    = 40
	maxCarrierName = 60
)

// CarrierByCode returns the listed carrier with code, if any.
func CarrierByCode(code string) (Carrier, bool) {
	for _, c := range Carriers {
		if c.Code == code {
			return c, true
		}
	}
	return Carrier{}, false
}

// carrierFor reads what a producer typed or picked: a listed carrier's code
// or name (any case: "VNPost", "vnpost", "GHN") is that carrier's code;
// anything else is kept as free text.
func carrierFor(s string) string {
	s = strings.TrimSpace(s)
	for _, c := range Carriers {
		if strings.EqualFold(s, c.Code) || strings.EqualFold(s, c.Name) {
			return c.Code
		}
	}
	return s
}

// CarrierName is how a stored carrier is shown: a listed carrier's name,
// else the free text as the producer typed it.
func CarrierName(stored string) string {
	if c, ok := CarrierByCode(stored); ok {
		return c.Name
	}
	return stored
}

// TrackingURL is the carrier's own page for a parcel, or "" for a carrier
// not in Carriers (free text has no page we can vouch for).
func TrackingURL(carrier, number string) string {
	c, ok := CarrierByCode(carrier)
	if !ok || number == "" {
		return ""
	}
	return c.track + url.QueryEscape(number)
}

// checkShipment validates a shipment and returns it as stored: the
// carrier's code (or its free-text name, printable, at most 60
// characters), and the tracking number in upper case, 6 to 40 letters,
// digits, '-' or '.' (GHTK labels have dots). Anything else is a
// validation error naming the field, so that no number that could break
// out of a link or a page is ever stored.
func checkShipment(sh Shipment) (Shipment, error) {
	var fields []errs.FieldError
	carrier := carrierFor(sh.Carrier)
	switch {
	case carrier == "" || strings.EqualFold(carrier, CarrierOther):
		fields = append(fields, errs.FieldError{Field: "carrier", Message: "validation.required"})
	case !printable(carrier) || utf8.RuneCountInString(carrier) > maxCarrierName:
		fields = append(fields, errs.FieldError{Field: "carrier", Message: "order.bad_carrier"})
	}
	number := strings.ToUpper(strings.TrimSpace(sh.TrackingCode))
	switch {
	case number == "":
		fields = append(fields, errs.FieldError{Field: "tracking_code", Message: "validation.required"})
	case !trackingNumber(number):
		fields = append(fields, errs.FieldError{Field: "tracking_code", Message: "order.bad_tracking"})
	}
	if fields != nil {
		return sh, &errs.ValidationError{Fields: fields}
	}
	return Shipment{Carrier: carrier, TrackingCode: number}, nil
}

func trackingNumber(s string) bool {
	if len(s) < minTracking || len(s) > maxTracking {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// printable is valid UTF-8 with no control or format character.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
