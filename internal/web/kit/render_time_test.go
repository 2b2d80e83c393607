package kit

import (
	"testing"
	"time"
)

// Times are stored in UTC and shown in Vietnam time: 18:30 UTC on New
// Year's Eve is already half past one on New Year's Day in Hà Nội.
func TestTimesAreShownInVietnamTime(t *testing.T) {
	utc := time.Date(2025, 12, 31, 18, 30, 0, 0, time.UTC)
	if got := VNTime(utc); got != "01:30 01/01/2026" {
		t.Fatalf("VNTime = %q, want 01:30 01/01/2026", got)
	}
}
