// Package money formats đồng amounts. Money is always int64 đồng: VND has no
// minor unit, so there is never a float anywhere near a price.
package money

import "strconv"

// VND formats an amount for people the Vietnamese way: 150000 → "150.000 ₫",
// with a non-breaking space so that "₫" never wraps onto a line of its own.
func VND(amount int64) string {
	return Group(amount) + "\u00a0₫"
}

// Group writes amount with "." as the thousands separator.
func Group(amount int64) string {
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = uint64(-amount)
	}
	s := strconv.FormatUint(u, 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}
