package registry

import (
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
)

func TestCertificateStatusIsDerivedFromDates(t *testing.T) {
	from := day.New(2025, 12, 31)
	c := Certificate{ValidFrom: from, ValidUntil: ValidUntilFor(from)}
	if got := c.ValidUntil.String(); got != "2028-12-30" {
		t.Fatalf("ValidUntilFor(2025-12-31) = %s, want 2028-12-30", got)
	}
	cases := []struct {
		name string
		on   day.Date
		mod  func(*Certificate)
		want CertStatus
	}{
		{"before decision", day.New(2025, 12, 30), nil, CertPending},
		{"decision day", from, nil, CertActive},
		{"last valid day", day.New(2028, 12, 30), nil, CertActive},
		{"first expired day", day.New(2028, 12, 31), nil, CertExpired},
		{"revoked on the day", day.New(2026, 6, 1), func(c *Certificate) { c.RevokedOn = day.New(2026, 6, 1) }, CertRevoked},
		{"before revocation", day.New(2026, 5, 31), func(c *Certificate) { c.RevokedOn = day.New(2026, 6, 1) }, CertActive},
		{"superseded", day.New(2027, 1, 1), func(c *Certificate) { c.SupersededOn = day.New(2026, 12, 1) }, CertSuperseded},
	}
	for _, tc := range cases {
		cc := c
		if tc.mod != nil {
			tc.mod(&cc)
		}
		if got := cc.StatusOn(tc.on); got != tc.want {
			t.Errorf("%s: StatusOn(%s) = %s, want %s", tc.name, tc.on, got, tc.want)
		}
	}
}
