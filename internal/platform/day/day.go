// Package day is a calendar date with no time and no zone. Certificates,
// decisions and validity ranges are dates in law, so they are stored as
// 'YYYY-MM-DD' text on SQLite and DATE on PostgreSQL and compared as dates,
// never as instants that a time zone could shift by a day.
package day

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Zone is where Vietnamese dates are reckoned.
var Zone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Systems without tzdata still have a fixed +07:00; Vietnam has no DST.
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// Date is a calendar day. The zero value is "no date".
type Date struct {
	t time.Time // midnight UTC of the day
}

// Layout is the storage and JSON form.
const Layout = "2006-01-02"

// New returns the date y-m-d; out-of-range values normalise like time.Date.
func New(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// Of returns the Vietnamese calendar day of the instant t.
func Of(t time.Time) Date {
	y, m, d := t.In(Zone).Date()
	return New(y, m, d)
}

// Today is the current day in Vietnam.
func Today() Date { return Of(time.Now()) }

// Parse reads "YYYY-MM-DD".
func Parse(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("day: %q is not a YYYY-MM-DD date", s)
	}
	return Date{t}, nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is "YYYY-MM-DD", or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(Layout)
}

// VN formats the date the Vietnamese way: 31/12/2025.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02/01/2006")
}

// Local formats the date for a reader of lang: Vietnamese (and any
// language not named) reads 31/12/2025; English reads 31 Dec 2025, which no
// reader, British or American, can take for another day.
func (d Date) Local(lang string) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		return d.t.Format("2 Jan 2006")
	}
	return d.VN()
}

// Time is midnight UTC of the day.
func (d Date) Time() time.Time { return d.t }

// AddMonths adds calendar months; AddDays adds days.
func (d Date) AddMonths(n int) Date { return Date{d.t.AddDate(0, n, 0)} }

// AddDays adds n days (negative to go back).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Before, After and Equal compare dates.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// Equal reports whether d and o are the same day.
func (d Date) Equal(o Date) bool { return d.t.Equal(o.t) }

// DaysUntil is the number of days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.t.Sub(d.t).Hours() / 24) }

// Value implements driver.Valuer: the text form works on both SQLite and PostgreSQL DATE.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for DATE (time.Time) and TEXT columns.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = New(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("day: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) >= 10 {
		s = s[:10]
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("day: %s is not a date string", s)
	}
	p, err := Parse(s[1 : len(s)-1])
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// GormDataType tells GORM the column type for its schema checks.
func (Date) GormDataType() string { return "date" }
