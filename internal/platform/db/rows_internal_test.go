package db

import "testing"

// TestNumberPlaceholders: only a ? outside quotes is a placeholder, and
// the count must match the arguments.
func TestNumberPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string // "" when an error is expected
	}{
		{"SELECT 1", 0, "SELECT 1"},
		{"a = ? AND b = ?", 2, "a = $1 AND b = $2"},
		{`x LIKE ? ESCAPE '\' AND y = ?`, 2, `x LIKE $1 ESCAPE '\' AND y = $2`},
		{"'?' || ? || 'it''s ?' || \"col?\" || ?", 2, "'?' || $1 || 'it''s ?' || \"col?\" || $2"},
		{"a = ?", 0, ""},
		{"a = 1", 1, ""},
	} {
		got, err := numberPlaceholders(tc.in, tc.n)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q with %d arguments: %q, want an error", tc.in, tc.n, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
