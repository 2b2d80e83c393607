package kit

import (
	"time"

	"github.com/chocop/ocop/internal/platform/day"
)

// VNTime writes t as people in Vietnam read it. Times are stored in UTC
// and shown in Vietnam time (day.Zone), everywhere.
func VNTime(t time.Time) string { return t.In(day.Zone).Format("15:04 02/01/2006") }

// localTime writes a stored instant in Vietnam time in the reader's format.
func localTime(lang string, t time.Time) string {
	if lang == "en" {
		return t.In(day.Zone).Format("15:04, 2 Jan 2006")
	}
	return VNTime(t)
}
