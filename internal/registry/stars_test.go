package registry

import "testing"

func TestStarBoundaries(t *testing.T) {
	cases := []struct {
		total   float64
		level   AuthorityLevel
		stars   int
		certify bool
		forward bool
	}{
		{49.99, AuthorityProvince, 2, false, false},
		{50, AuthorityProvince, 3, true, false},
		{69.5, AuthorityProvince, 3, true, false},
		{69.99, AuthorityProvince, 3, true, false},
		{70, AuthorityProvince, 4, true, false},
		{89.99, AuthorityProvince, 4, true, false},
		{90, AuthorityProvince, 5, false, true},
		{100, AuthorityProvince, 5, false, true},
		{90, AuthorityCentral, 5, true, false},
		{89.99, AuthorityCentral, 4, true, false},
		{29.99, AuthorityProvince, 1, false, false},
		{30, AuthorityProvince, 2, false, false},
		{0, AuthorityProvince, 1, false, false},
	}
	for _, tc := range cases {
		o := OutcomeFor(tc.level, PointsOf(tc.total), true)
		if o.Stars != tc.stars || o.Certify != tc.certify || o.Forward != tc.forward {
			t.Errorf("%s %.2f: got %+v, want stars %d certify %v forward %v", tc.level, tc.total, o, tc.stars, tc.certify, tc.forward)
		}
		if !o.Certify && !o.Forward && o.Reason == "" {
			t.Errorf("%.2f: no certificate without a reason", tc.total)
		}
	}
}

func TestMandatoryFailureMeansNoStar(t *testing.T) {
	o := OutcomeFor(AuthorityProvince, PointsOf(95), false)
	if o.Certify || o.Forward || o.Stars != 0 || o.Reason != "registry.reason.mandatory_failed" {
		t.Fatalf("failed mandatory criterion at 95: %+v", o)
	}
}

func TestParsePoints(t *testing.T) {
	good := map[string]Points{"69.5": 6950, "70": 7000, "89,99": 8999, " 0 ": 0, "40.00": 4000}
	for in, want := range good {
		if got, err := ParsePoints(in); err != nil || got != want {
			t.Errorf("ParsePoints(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1e3", "NaN", "12.345", ".5", "5.", "abc", "1.2.3", "+5", "1000"} {
		if p, err := ParsePoints(in); err == nil {
			t.Errorf("ParsePoints(%q) = %v, want an error", in, p)
		}
	}
}

func FuzzParsePoints(f *testing.F) {
	for _, s := range []string{"69.5", "89,99", "100", "1e9", "-0", "999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePoints(s)
		if err != nil {
			return
		}
		if p < 0 {
			t.Fatalf("ParsePoints(%q) = %v: negative", s, p)
		}
		back, err := ParsePoints(p.String())
		if err != nil || back != p {
			t.Fatalf("round trip of %q: %v → %q → %v, %v", s, p, p.String(), back, err)
		}
	})
}
