// Package vietqr writes and reads NAPAS 247 VietQR payloads: the EMVCo
// merchant-presented QR that every Vietnamese banking app scans to make an
// instant transfer. The format is small and fully specified (OCOP.md), so it
// is written here rather than taken from a library.
package vietqr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chocop/ocop/internal/platform/text"
)

// Service codes of tag 38/02: a transfer to an account or to a card.
const (
	ServiceAccount = "QRIBFTTA"
	ServiceCard    = "QRIBFTTC"
	napasGUID      = "A000000727"
)

// Limits that Encode applies, from the NAPAS specification. Decode does
// not apply them: banking apps write longer fields (a purpose of 40 or
// 60 characters is common), and a reader accepts what EMVCo allows, any
// field up to 99 characters, the most a two-digit length can say.
const (
	MaxPurpose = 25 // tag 62/08, ASCII characters
	MaxAccount = 19 // tag 38/01/01
	MaxBill    = 25 // tag 62/01
	MaxField   = 99 // any EMVCo field
)

// Errors returned by Decode and Encode; wrap-checked with errors.Is.
var (
	ErrCRC       = errors.New("vietqr: CRC mismatch")
	ErrMalformed = errors.New("vietqr: malformed payload")
	ErrInvalid   = errors.New("vietqr: invalid payment")
)

// Payment is what a VietQR carries. Amount 0 makes a static QR (the payer
// types the amount); a positive amount makes a dynamic one.
type Payment struct {
	BIN     string // six-digit bank BIN (data/vn-bank-bins.csv, the region area's banks)
	Account string // account or card number, up to 19 characters
	Card    bool   // true: QRIBFTTC (card number), false: QRIBFTTA (account)
	Amount  int64  // whole đồng; 0 for a static QR
	Bill    string // optional bill number (62/01)
	Purpose string // transfer content (62/08), folded to ASCII and cut to 25 characters
}

// Encode writes p as a VietQR payload with its CRC. The purpose is folded
// to ASCII (banks reject diacritics) and cut to 25 characters.
func Encode(p Payment) (string, error) {
	if !digits(p.BIN, 6, 6) {
		return "", fmt.Errorf("%w: bank BIN must be 6 digits", ErrInvalid)
	}
	if !alnum(p.Account) || len(p.Account) > MaxAccount {
		return "", fmt.Errorf("%w: account must be 1-%d letters or digits", ErrInvalid, MaxAccount)
	}
	if p.Amount < 0 || p.Amount > 9_999_999_999_999 {
		return "", fmt.Errorf("%w: amount out of range", ErrInvalid)
	}
	if len(p.Bill) > MaxBill || !printable(p.Bill) {
		return "", fmt.Errorf("%w: bill number must be at most %d ASCII characters", ErrInvalid, MaxBill)
	}
	purpose := FoldPurpose(p.Purpose)
	service := ServiceAccount
	if p.Card {
		service = ServiceCard
	}
	var b strings.Builder
	b.WriteString(tlv("00", "01"))
	if p.Amount > 0 {
		b.WriteString(tlv("01", "12"))
	} else {
		b.WriteString(tlv("01", "11"))
	}
	beneficiary := tlv("00", p.BIN) + tlv("01", p.Account)
	b.WriteString(tlv("38", tlv("00", napasGUID)+tlv("01", beneficiary)+tlv("02", service)))
	b.WriteString(tlv("53", "704"))
	if p.Amount > 0 {
		b.WriteString(tlv("54", strconv.FormatInt(p.Amount, 10)))
	}
	b.WriteString(tlv("58", "VN"))
	if p.Bill != "" || purpose != "" {
		var add string
		if p.Bill != "" {
			add += tlv("01", p.Bill)
		}
		if purpose != "" {
			add += tlv("08", purpose)
		}
		b.WriteString(tlv("62", add))
	}
	b.WriteString("6304")
	return b.String() + CRC(b.String()), nil
}

// FoldPurpose is the transfer content as banks accept it: ASCII without
// diacritics, at most 25 characters.
func FoldPurpose(s string) string {
	s = strings.TrimSpace(text.ASCII(s))
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		}
	}
	s = b.String()
	if len(s) > MaxPurpose {
		s = strings.TrimSpace(s[:MaxPurpose])
	}
	return s
}

// Field is one top-level field of a payload with its value as written
// (the templates 38 and 62 keep their nested fields as raw text).
type Field struct {
	ID, Value string
}

// Fields are the top-level fields of a payload in the order written,
// without the CRC field (63).
type Fields []Field

// Parse checks a payload's CRC and splits it into its fields, without
// judging them (Decode does that).
func Parse(payload string) (Fields, error) {
	if len(payload) < 8 || !printable(payload) {
		return nil, fmt.Errorf("%w: too short or not ASCII", ErrMalformed)
	}
	body, crc := payload[:len(payload)-4], payload[len(payload)-4:]
	if !strings.HasSuffix(body, "6304") {
		return nil, fmt.Errorf("%w: no CRC field at the end", ErrMalformed)
	}
	if !strings.EqualFold(CRC(body), crc) {
		return nil, ErrCRC
	}
	return parse(body[:len(body)-4])
}

// Encode writes the fields back, with the CRC computed afresh (in upper
// case, as the specification writes it). For any payload Parse accepts,
// Parse then Encode gives the same bytes: nothing is reordered, trimmed or
// cut, so a payload read from a banking app can be passed on unchanged.
func (fs Fields) Encode() string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(tlv(f.ID, f.Value))
	}
	b.WriteString("6304")
	return b.String() + CRC(b.String())
}

// Get returns the value of field id, and whether it is present.
func (fs Fields) Get(id string) (string, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f.Value, true
		}
	}
	return "", false
}

func (fs Fields) get(id string) string {
	v, _ := fs.Get(id) // absent reads as empty, which every check below refuses where it matters
	return v
}

// Decode reads a payload, checking its CRC first and then every field. It
// accepts what EMVCo allows (fields up to 99 characters, a purpose of any
// such length, fields it does not use); only Encode applies the NAPAS
// limits of what the platform writes.
func Decode(payload string) (Payment, error) {
	var p Payment
	fields, err := Parse(payload)
	if err != nil {
		return p, err
	}
	if fields.get("00") != "01" {
		return p, fmt.Errorf("%w: payload format must be 01", ErrMalformed)
	}
	if fields.get("53") != "704" || fields.get("58") != "VN" {
		return p, fmt.Errorf("%w: currency must be 704 and country VN", ErrMalformed)
	}
	mai, err := parse(fields.get("38"))
	if err != nil {
		return p, err
	}
	if mai.get("00") != napasGUID {
		return p, fmt.Errorf("%w: not a NAPAS merchant account", ErrMalformed)
	}
	ben, err := parse(mai.get("01"))
	if err != nil {
		return p, err
	}
	p.BIN, p.Account = ben.get("00"), ben.get("01")
	switch mai.get("02") {
	case ServiceAccount:
	case ServiceCard:
		p.Card = true
	default:
		return p, fmt.Errorf("%w: unknown service code %q", ErrMalformed, mai.get("02"))
	}
	if !digits(p.BIN, 6, 6) || p.Account == "" {
		return p, fmt.Errorf("%w: bad beneficiary", ErrMalformed)
	}
	amount, hasAmount := fields.Get("54")
	switch fields.get("01") {
	case "11":
		if hasAmount {
			return p, fmt.Errorf("%w: a static QR carries no amount", ErrMalformed)
		}
	case "12":
		if p.Amount, err = parseAmount(amount); err != nil {
			return p, err
		}
	default:
		return p, fmt.Errorf("%w: point of initiation must be 11 or 12", ErrMalformed)
	}
	if add, ok := fields.Get("62"); ok {
		extra, err := parse(add)
		if err != nil {
			return p, err
		}
		p.Bill, p.Purpose = extra.get("01"), extra.get("08")
	}
	return p, nil
}

// parseAmount reads field 54 of a dynamic QR: whole đồng, at most 13
// characters as EMVCo allows, with an optional fraction of zeros ("180000.00":
// VND has no minor unit, so any other fraction is malformed).
func parseAmount(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(s) > 13 || !digits(whole, 1, 13) || strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%w: a dynamic QR needs a whole amount of đồng", ErrMalformed)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: amount must be positive", ErrMalformed)
	}
	return n, nil
}

// CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of s as four
// upper-case hex digits.
func CRC(s string) string {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return fmt.Sprintf("%04X", crc)
}

func tlv(id, value string) string { return fmt.Sprintf("%s%02d%s", id, len(value), value) }

// parse splits a TLV string into its fields, in order. A duplicate tag, a
// length running past the end or a non-numeric header is malformed.
func parse(s string) (Fields, error) {
	var out Fields
	seen := map[string]bool{}
	for i := 0; i < len(s); {
		if i+4 > len(s) || !digits(s[i:i+4], 4, 4) {
			return nil, fmt.Errorf("%w: bad field header at %d", ErrMalformed, i)
		}
		id := s[i : i+2]
		n, err := strconv.Atoi(s[i+2 : i+4])
		if err != nil {
			return nil, fmt.Errorf("%w: bad length at %d", ErrMalformed, i)
		}
		if i+4+n > len(s) {
			return nil, fmt.Errorf("%w: field %s runs past the end", ErrMalformed, id)
		}
		if seen[id] {
			return nil, fmt.Errorf("%w: field %s repeated", ErrMalformed, id)
		}
		seen[id] = true
		out = append(out, Field{ID: id, Value: s[i+4 : i+4+n]})
		i += 4 + n
	}
	return out, nil
}

func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func alnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
