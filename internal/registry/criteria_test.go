package registry

import (
	"testing"

	"github.com/chocop/ocop/internal/platform/day"
)

// TestCriteriaInForce: 148 from its date (24/02/2023), 1048 from its own
// (21/08/2019) until then, nothing before.
func TestCriteriaInForce(t *testing.T) {
	cases := []struct {
		on   day.Date
		want string
		ok   bool
	}{
		{day.New(2018, 12, 31), "", false},
		{day.New(2019, 8, 20), "", false},
		{day.New(2019, 8, 21), Criteria1048, true},
		{day.New(2023, 2, 23), Criteria1048, true},
		{day.New(2023, 2, 24), Criteria148, true},
		{day.New(2026, 12, 1), Criteria148, true},
	}
	for _, tc := range cases {
		if got, ok := CriteriaOn(tc.on); got != tc.want || ok != tc.ok {
			t.Errorf("CriteriaOn(%s) = %q, %v; want %q, %v", tc.on, got, ok, tc.want, tc.ok)
		}
	}
}

// TestCouncilOfOneVersion: a council's version is its sheets' one version;
// sheets under two versions make it Mixed, with no version to issue under,
// whatever order they came in.
func TestCouncilOfOneVersion(t *testing.T) {
	sh := func(v string, total float64) ScoreSheet {
		return ScoreSheet{Level: AuthorityProvince, CriteriaVersion: v, Total: total, MandatoryPassed: true}
	}
	cases := []struct {
		name    string
		sheets  []ScoreSheet
		version string
		mixed   bool
	}{
		{"one 148 sheet", []ScoreSheet{sh("148", 70)}, "148", false},
		{"three 1048 sheets", []ScoreSheet{sh("1048", 70), sh("1048", 71), sh("1048", 72)}, "1048", false},
		{"148 then 1048", []ScoreSheet{sh("148", 70), sh("1048", 71)}, "", true},
		{"1048 then 148 last", []ScoreSheet{sh("1048", 70), sh("1048", 71), sh("148", 72)}, "", true},
		{"148, 1048, 148", []ScoreSheet{sh("148", 70), sh("1048", 71), sh("148", 72)}, "", true},
	}
	for _, tc := range cases {
		c := councilOf(tc.sheets, AuthorityProvince)
		if c.CriteriaVersion != tc.version || c.Mixed != tc.mixed {
			t.Errorf("%s: version %q mixed %v; want %q %v", tc.name, c.CriteriaVersion, c.Mixed, tc.version, tc.mixed)
		}
	}
}
