package money

import "testing"

func TestVND(t *testing.T) {
	cases := map[int64]string{0: "0\u00a0₫", 5: "5\u00a0₫", 1000: "1.000\u00a0₫", 150000: "150.000\u00a0₫", 1234567: "1.234.567\u00a0₫", -25000: "-25.000\u00a0₫"}
	for in, want := range cases {
		if got := VND(in); got != want {
			t.Errorf("VND(%d) = %q, want %q", in, got, want)
		}
	}
}
