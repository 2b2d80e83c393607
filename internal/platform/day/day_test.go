package day

import (
	"testing"
	"time"
)

func TestOfUsesVietnamTime(t *testing.T) {
	// 18:30 UTC on 31/12 is already 01/01 in Hà Nội.
	got := Of(time.Date(2025, 12, 31, 18, 30, 0, 0, time.UTC))
	if got.String() != "2026-01-01" {
		t.Fatalf("Of = %s, want 2026-01-01", got)
	}
}

func TestScanForms(t *testing.T) {
	for _, src := range []any{"2025-12-31", []byte("2025-12-31"), "2025-12-31 00:00:00+00:00", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)} {
		var d Date
		if err := d.Scan(src); err != nil || d.String() != "2025-12-31" {
			t.Errorf("Scan(%v) = %s, %v", src, d, err)
		}
	}
	var d Date
	if err := d.Scan("31/12/2025"); err == nil {
		t.Error("Scan accepted a non-ISO date")
	}
}

func TestAddMonthsCalendar(t *testing.T) {
	if got := New(2025, 12, 31).AddMonths(36); got.String() != "2028-12-31" {
		t.Fatalf("got %s", got)
	}
	if got := New(2025, 12, 31).VN(); got != "31/12/2025" {
		t.Fatalf("VN = %s", got)
	}
}

func TestLocalFormatsPerLanguage(t *testing.T) {
	d := New(2026, 1, 2)
	for _, tc := range []struct{ lang, want string }{{"vi", "02/01/2026"}, {"en", "2 Jan 2026"}, {"", "02/01/2026"}} {
		if got := d.Local(tc.lang); got != tc.want {
			t.Errorf("Local(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if (Date{}).Local("en") != "" {
		t.Error("the zero date is not blank")
	}
}
