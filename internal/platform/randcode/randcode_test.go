package randcode

import (
	"strings"
	"testing"
)

func TestNewUsesOnlyTheAlphabetAndDiffers(t *testing.T) {
	const alphabet = "ABC23"
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c := New(alphabet, 12)
		if len(c) != 12 {
			t.Fatalf("len(%q) = %d, want 12", c, len(c))
		}
		for _, r := range c {
			if !strings.ContainsRune(alphabet, r) {
				t.Fatalf("%q has %q, outside the alphabet", c, r)
			}
		}
		seen[c] = true
	}
	if len(seen) < 195 {
		t.Fatalf("only %d distinct codes in 200: not random", len(seen))
	}
}
