package registry

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chocop/ocop/internal/platform/day"
)

// Points is a score in hundredths of a point. Scores are decimals with at
// most two places (69.5, 89.99); holding them as integers keeps the star
// boundaries exact, where float comparisons would not be.
type Points int64

// PointsOf converts a decimal score to Points, rounding to the nearest hundredth.
func PointsOf(f float64) Points { return Points(math.Round(f * 100)) }

// Float is p as a decimal number of points.
func (p Points) Float() float64 { return float64(p) / 100 }

// String writes p with two decimals, e.g. "69.50".
func (p Points) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

// ParsePoints reads a decimal score typed by a person: digits with at most two
// decimals, "." or "," as the separator (Vietnamese writes 69,5). Anything
// else is an error, so "1e3", "NaN" or "12.345" never become a score.
func ParsePoints(s string) (Points, error) {
	s = strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || (dot && frac == "") || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("registry: %q is not a score with at most two decimals", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, err
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Points(w*100 + f), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Star thresholds of Decision 148, as half-open ranges on the total score.
// This is the only place they are written down.
const (
	fiveStarFrom  Points = 9000 // [90, 100]: 5★, recognised by the central level only
	fourStarFrom  Points = 7000 // [70, 90): 4★
	threeStarFrom Points = 5000 // [50, 70): 3★, the lowest certified rank
	twoStarFrom   Points = 3000 // [30, 50): 2★, no certificate
)

// StarsFor is the star rank a total earns, 1 to 5, ignoring mandatory criteria.
func StarsFor(total Points) int {
	switch {
	case total >= fiveStarFrom:
		return 5
	case total >= fourStarFrom:
		return 4
	case total >= threeStarFrom:
		return 3
	case total >= twoStarFrom:
		return 2
	}
	return 1
}

// Outcome is what a council result means for one application.
type Outcome struct {
	Stars   int    // rank earned, 0 when a mandatory criterion failed
	Certify bool   // a certificate is issued at this level
	Forward bool   // sent up to the central level (90 or more at a province)
	Reason  string // why no certificate, as an i18n key; empty when certified or forwarded
}

// OutcomeFor decides what a council total means at a level. A failed
// mandatory criterion means no star whatever the total; below 50 means no
// certificate; a province forwards 90 or more to the central level, which
// alone recognises 5★.
func OutcomeFor(level AuthorityLevel, total Points, mandatoryPassed bool) Outcome {
	if !mandatoryPassed {
		return Outcome{Reason: "registry.reason.mandatory_failed"}
	}
	stars := StarsFor(total)
	switch {
	case stars < 3:
		return Outcome{Stars: stars, Reason: "registry.reason.below_50"}
	case stars == 5 && level != AuthorityCentral:
		return Outcome{Stars: 5, Forward: true}
	}
	return Outcome{Stars: stars, Certify: true}
}

// Criteria versions and the maximum of each part.
const (
	Criteria148  = "148"  // Decision 148/QĐ-TTg (2023): A40 B25 C35
	Criteria1048 = "1048" // Decision 1048/QĐ-TTg (2019): A35 B25 C40
)

// MaxBonus is the most bonus points a member may give (women's and
// ethnic-minority participation, local materials and labour). The total with
// bonus is still capped at 100.
const MaxBonus Points = 500

// PartMaxima returns the maxima of parts A, B and C under a criteria version.
func PartMaxima(version string) (a, b, c Points, ok bool) {
	switch version {
	case Criteria148:
		return 4000, 2500, 3500, true
	case Criteria1048:
		return 3500, 2500, 4000, true
	}
	return 0, 0, 0, false
}

// The days each criteria set came into force. Decision 1048/QĐ-TTg is dated
// 21/08/2019; Decision 148/QĐ-TTg, dated 24/02/2023, replaced it. Before
// 1048 no criteria set of this registry was in force.
var (
	criteria1048From = day.New(2019, time.August, 21)
	criteria148From  = day.New(2023, time.February, 24)
)

// CriteriaOn is the criteria version in force on d: 148 from 24/02/2023,
// 1048 from 21/08/2019, and none (ok false) before. A score sheet, and an
// imported certificate, must carry the version in force on its date.
func CriteriaOn(d day.Date) (version string, ok bool) {
	switch {
	case !d.Before(criteria148From):
		return Criteria148, true
	case !d.Before(criteria1048From):
		return Criteria1048, true
	}
	return "", false
}
