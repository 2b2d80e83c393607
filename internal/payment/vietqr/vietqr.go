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

// Limits set by the NAPAS specification.
const (
	MaxPurpose = 25 // tag 62/08, ASCII characters
	MaxAccount = 19 // tag 38/01/01
	MaxBill    = 25 // tag 62/01
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
	BIN     string // six-digit bank BIN (data/vn-bank-bins.csv, table banks)
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

// Decode reads a payload, checking its CRC first and then every field.
func Decode(payload string) (Payment, error) {
	var p Payment
	if len(payload) < 8 || !printable(payload) {
		return p, fmt.Errorf("%w: too short or not ASCII", ErrMalformed)
	}
	body, crc := payload[:len(payload)-4], payload[len(payload)-4:]
	if !strings.HasSuffix(body, "6304") {
		return p, fmt.Errorf("%w: no CRC field at the end", ErrMalformed)
	}
	if !strings.EqualFold(CRC(body), crc) {
		return p, ErrCRC
	}
	fields, err := parse(body[:len(body)-4])
	if err != nil {
		return p, err
	}
	if fields["00"] != "01" {
		return p, fmt.Errorf("%w: payload format must be 01", ErrMalformed)
	}
	if fields["53"] != "704" || fields["58"] != "VN" {
		return p, fmt.Errorf("%w: currency must be 704 and country VN", ErrMalformed)
	}
	mai, err := parse(fields["38"])
	if err != nil {
		return p, err
	}
	if mai["00"] != napasGUID {
		return p, fmt.Errorf("%w: not a NAPAS merchant account", ErrMalformed)
	}
	ben, err := parse(mai["01"])
	if err != nil {
		return p, err
	}
	p.BIN, p.Account = ben["00"], ben["01"]
	switch mai["02"] {
	case ServiceAccount:
	case ServiceCard:
		p.Card = true
	default:
		return p, fmt.Errorf("%w: unknown service code %q", ErrMalformed, mai["02"])
	}
	if !digits(p.BIN, 6, 6) || !alnum(p.Account) || len(p.Account) > MaxAccount {
		return p, fmt.Errorf("%w: bad beneficiary", ErrMalformed)
	}
	switch fields["01"] {
	case "11":
		if _, ok := fields["54"]; ok {
			return p, fmt.Errorf("%w: a static QR carries no amount", ErrMalformed)
		}
	case "12":
		if !digits(fields["54"], 1, 13) {
			return p, fmt.Errorf("%w: a dynamic QR needs an integer amount", ErrMalformed)
		}
		p.Amount, _ = strconv.ParseInt(fields["54"], 10, 64)
		if p.Amount <= 0 {
			return p, fmt.Errorf("%w: amount must be positive", ErrMalformed)
		}
	default:
		return p, fmt.Errorf("%w: point of initiation must be 11 or 12", ErrMalformed)
	}
	if add, ok := fields["62"]; ok {
		extra, err := parse(add)
		if err != nil {
			return p, err
		}
		p.Bill, p.Purpose = extra["01"], extra["08"]
		if len(p.Purpose) > MaxPurpose || len(p.Bill) > MaxBill {
			return p, fmt.Errorf("%w: additional data too long", ErrMalformed)
		}
	}
	return p, nil
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

// parse splits a TLV string into its fields. A duplicate tag, a length
// running past the end or a non-numeric header is malformed.
func parse(s string) (map[string]string, error) {
	out := map[string]string{}
	for i := 0; i < len(s); {
		if i+4 > len(s) || !digits(s[i:i+4], 4, 4) {
			return nil, fmt.Errorf("%w: bad field header at %d", ErrMalformed, i)
		}
		id := s[i : i+2]
		n, _ := strconv.Atoi(s[i+2 : i+4])
		if i+4+n > len(s) {
			return nil, fmt.Errorf("%w: field %s runs past the end", ErrMalformed, id)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("%w: field %s repeated", ErrMalformed, id)
		}
		out[id] = s[i+4 : i+4+n]
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
