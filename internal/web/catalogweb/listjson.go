package catalogweb

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// The product list is the API's hottest uncached answer, and encoding it
// by reflection was an eighth of its CPU under load. listJSON writes the
// same bytes as encoding/json by hand; TestListJSONMatchesEncodingJSON
// holds the two equal on hostile strings, every optional field and the
// cursor. A field added to productCardJSON, badgeJSON, producerRefJSON or
// review.Summary must be added here too: that test fails until it is.

// listBuffers keeps the encoding buffers between requests; the bytes a
// caller keeps are a copy of the right size.
var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// listJSON is l encoded as encoding/json encodes it.
func listJSON(l productListJSON) []byte {
	bp := listBuffers.Get().(*[]byte)
	b := appendList((*bp)[:0], l)
	out := make([]byte, len(b))
	copy(out, b)
	if cap(b) <= 256<<10 { // a rare huge page does not stay in the pool
		*bp = b
		listBuffers.Put(bp)
	}
	return out
}

func appendList(b []byte, l productListJSON) []byte {
	b = append(b, `{"items":`...)
	if l.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range l.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCard(b, c)
		}
		b = append(b, ']')
	}
	if l.NextCursor != "" {
		b = append(b, `,"next_cursor":`...)
		b = appendString(b, l.NextCursor)
	}
	return append(b, '}')
}

func appendCard(b []byte, c productCardJSON) []byte {
	b = append(b, `{"slug":`...)
	b = appendString(b, c.Slug)
	b = append(b, `,"name":`...)
	b = appendString(b, c.Name)
	b = append(b, `,"name_en":`...)
	b = appendString(b, c.NameEn)
	b = append(b, `,"group_code":`...)
	b = appendString(b, c.GroupCode)
	b = append(b, `,"unit":`...)
	b = appendString(b, c.Unit)
	b = append(b, `,"min_price":`...)
	b = strconv.AppendInt(b, c.MinPrice, 10)
	b = append(b, `,"currency":`...)
	b = appendString(b, c.Currency)
	b = append(b, `,"is_service":`...)
	b = strconv.AppendBool(b, c.IsService)
	b = append(b, `,"adult_only":`...)
	b = strconv.AppendBool(b, c.AdultOnly)
	if c.ImageURL != "" {
		b = append(b, `,"image_url":`...)
		b = appendString(b, c.ImageURL)
	}
	b = append(b, `,"url":`...)
	b = appendString(b, c.URL)
	b = append(b, `,"producer":{"slug":`...)
	b = appendString(b, c.Producer.Slug)
	b = append(b, `,"name":`...)
	b = appendString(b, c.Producer.Name)
	b = append(b, `,"province_code":`...)
	b = appendString(b, c.Producer.ProvinceCode)
	b = append(b, `},"badge":`...)
	if c.Badge == nil {
		b = append(b, "null"...)
	} else {
		x := c.Badge
		b = append(b, `{"stars":`...)
		b = strconv.AppendInt(b, int64(x.Stars), 10)
		b = append(b, `,"code":`...)
		b = appendString(b, x.Code)
		b = append(b, `,"valid_until":`...)
		b = appendString(b, x.ValidUntil)
		b = append(b, `,"verify_url":`...)
		b = appendString(b, x.VerifyURL)
		b = append(b, `,"expires_soon":`...)
		b = strconv.AppendBool(b, x.ExpiresSoon)
		b = append(b, `,"days_left":`...)
		b = strconv.AppendInt(b, int64(x.DaysLeft), 10)
		b = append(b, '}')
	}
	if c.Rating != nil {
		b = append(b, `,"rating":{"count":`...)
		b = strconv.AppendInt(b, c.Rating.Count, 10)
		b = append(b, `,"average":`...)
		b = appendFloat(b, c.Rating.Average)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendFloat writes f as encoding/json does: the shortest form that reads
// back the same, in exponent form outside [1e-6, 1e21). An average is 0 to
// 5; the rest (and a NaN, which JSON cannot carry) goes to encoding/json.
func appendFloat(b []byte, f float64) []byte {
	if a := math.Abs(f); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	out, err := json.Marshal(f)
	if err != nil {
		return append(b, "null"...) // NaN or ±Inf: never an average
	}
	return append(b, out...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string as encoding/json does: quotes,
// backslashes and control characters escaped, <, > and & escaped for
// HTML, U+2028 and U+2029 escaped for JavaScript, each invalid byte of
// UTF-8 replaced by U+FFFD (written as itself, not escaped).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
