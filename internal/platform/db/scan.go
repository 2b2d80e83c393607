package db

import "strconv"

// AsInt reads an integer a query scanned into a map (a COUNT or SUM),
// whatever type the driver chose: PostgreSQL's drivers give int64 or, for
// a numeric SUM, its text; SQLite's give int64 or float64. Anything else
// is 0.
func AsInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int:
		return int64(n)
	case float64:
		return int64(n)
	case []byte:
		i, _ := strconv.ParseInt(string(n), 10, 64) // a driver's text form of a COUNT or SUM of integers is a number
		return i
	case string:
		i, _ := strconv.ParseInt(n, 10, 64) // as above
		return i
	}
	return 0
}
