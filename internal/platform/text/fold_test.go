package text

import "testing"

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Vịt quay Thất Khê", "vit quay that khe"},
		{"VỊT QUAY", "vit quay"},
		{"Đồng Đăng", "dong dang"},
		{"  Na   Chi Lăng ", "na chi lang"},
		{"Rượu Mẫu Sơn", "ruou mau son"},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSlug(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Na Chi Lăng", "na-chi-lang"},
		{"HTX Đồng Bành (Chi Lăng)", "htx-dong-banh-chi-lang"},
		{"--", ""},
	}
	for _, c := range cases {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Vịt quay", "Đ", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		for _, r := range out {
			if r >= 0x80 {
				t.Fatalf("Fold(%q) = %q has non-ASCII rune %q", s, out, r)
			}
		}
		if Fold(out) != out {
			t.Fatalf("Fold is not idempotent on %q", s)
		}
	})
}
