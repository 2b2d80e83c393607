package registry

import (
	"strings"
	"unicode/utf8"
)

// The national header (Quốc hiệu and Tiêu ngữ) that opens every Vietnamese
// administrative document (Decree 30/2020/NĐ-CP, Appendix I).
const (
	NationalName  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	NationalMotto = "Độc lập - Tự do - Hạnh phúc"
)

// Letterhead is the official frame of a printed certificate: the issuing
// body in the top-left corner, the place of issue, and the signature block.
// It is derived from the certificate's authority (level and name) rather
// than stored, because the law fixes it by level: a People's Committee
// signs "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", a ministry "BỘ TRƯỞNG". A deputy
// who signs for the head (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH) is not recorded by
// the registry, so the printed title is the head's.
type Letterhead struct {
	Issuer    []string // the issuing body in capitals, one line each: "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"
	Place     string   // where it was issued, for "Lạng Sơn, ngày ... tháng ... năm ...": "Lạng Sơn"
	SignFor   string   // "TM. ỦY BAN NHÂN DÂN", or "" when the head signs in their own name
	SignTitle string   // "CHỦ TỊCH", "BỘ TRƯỞNG"
	Signatory string   // the signer's name as recorded with the decision, may be ""
}

// committee is every way a People's Committee's name is written at the start of an authority's name.
var committee = []string{"ủy ban nhân dân", "uỷ ban nhân dân", "ubnd"}

// unitKinds are the administrative words stripped from a unit's name to get its place name.
var unitKinds = []string{"thành phố", "tỉnh", "huyện", "thị xã", "quận"}

// LetterheadOf derives the letterhead of c.
func LetterheadOf(c Certificate) Letterhead {
	name := strings.Join(strings.Fields(c.AuthorityName), " ")
	l := Letterhead{Signatory: strings.TrimSpace(c.Signatory)}
	if c.AuthorityLevel == AuthorityCentral {
		if name == "" {
			name = CentralAuthority
		}
		l.Issuer = []string{strings.ToUpper(name)}
		l.Place, l.SignTitle = "Hà Nội", "BỘ TRƯỞNG"
		return l
	}
	unit := name
	if rest, ok := cutPrefixFold(name, committee); ok {
		unit = rest
	}
	l.Issuer = []string{"ỦY BAN NHÂN DÂN"}
	if unit != "" {
		l.Issuer = append(l.Issuer, strings.ToUpper(unit))
	}
	l.Place = unit
	if rest, ok := cutPrefixFold(unit, unitKinds); ok && rest != "" {
		l.Place = rest
	}
	l.SignFor, l.SignTitle = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
	return l
}

// cutPrefixFold removes the first of prefixes that s starts with, ignoring
// case, and the space after it.
func cutPrefixFold(s string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		n := utf8.RuneCountInString(p)
		i, runes := 0, 0
		for i < len(s) && runes < n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			runes++
		}
		if runes == n && strings.EqualFold(s[:i], p) && strings.HasPrefix(s[i:], " ") {
			return strings.TrimSpace(s[i:]), true
		}
	}
	return s, false
}
