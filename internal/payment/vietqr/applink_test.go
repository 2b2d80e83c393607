package vietqr

import (
	"strings"
	"testing"
)

// TestAppLinks proves the deep links follow VietQR.io's documented form
// (account@code with '@' kept, amount in digits, content query-escaped,
// the return URL last and as it is), that every documented autofill app
// gets one, and that nothing is offered for a bank without a known code
// or for fields that cannot be carried safely.
func TestAppLinks(t *testing.T) {
	links := AppLinks("970405", "0000000000001", "CHO OCOP DEMO", 356000, "OCOP DHABCD2345", "https://cho.example/orders/DHABCD2345")
	if len(links) != len(AutofillApps) {
		t.Fatalf("%d links, want one per documented app (%d)", len(links), len(AutofillApps))
	}
	want := "https://dl.vietqr.io/pay?app=mb&am=356000&tn=OCOP+DHABCD2345&ba=0000000000001@vba&bn=CHO+OCOP+DEMO&url=https://cho.example/orders/DHABCD2345"
	if links[0].URL != want {
		t.Errorf("MB link\n got %s\nwant %s", links[0].URL, want)
	}
	for _, tc := range []struct {
		name, bin, account, back string
		amount                   int64
		links                    int
	}{
		{"unknown bank", "970400", "0000000000001", "", 1000, 0},
		{"no amount", "970405", "0000000000001", "", 0, 0},
		{"account with a space", "970405", "0000 0001", "", 1000, 0},
		{"account with @", "970405", "1@evil", "", 1000, 0},
		{"account too long", "970405", strings.Repeat("1", 20), "", 1000, 0},
		{"return URL with &", "970405", "123456", "https://x.example/?a=1&app=evil", 1000, 5},
		{"return URL not http", "970405", "123456", "javascript:alert(1)", 1000, 5},
	} {
		got := AppLinks(tc.bin, tc.account, "X", tc.amount, "OCOP DH1", tc.back)
		if len(got) != tc.links {
			t.Errorf("%s: %d links, want %d", tc.name, len(got), tc.links)
		}
		for _, l := range got {
			if strings.Contains(l.URL, "&url=") || strings.Contains(l.URL, "evil") {
				t.Errorf("%s: unsafe return URL carried: %s", tc.name, l.URL)
			}
		}
	}
}
