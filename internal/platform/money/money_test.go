package money

import "testing"

func TestVND(t *testing.T) {
	const nb = "\u00a0" // a no-break space: the amount and ₫ never part at a line end
	cases := map[int64]string{0: "0" + nb + "₫", 5: "5" + nb + "₫", 1000: "1.000" + nb + "₫", 150000: "150.000" + nb + "₫", 1234567: "1.234.567" + nb + "₫", -25000: "-25.000" + nb + "₫"}
	for in, want := range cases {
		if got := VND(in); got != want {
			t.Errorf("VND(%d) = %q, want %q", in, got, want)
		}
	}
}
