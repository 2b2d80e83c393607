package registry

import (
	"strings"
	"testing"
)

func TestCheckDocument(t *testing.T) {
	pdf := []byte("%PDF-1.7\n...")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	jpg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	cases := []struct {
		name string
		size int64
		head []byte
		ok   bool
	}{
		{"ho-so.pdf", 100, pdf, true},
		{"ANH.PNG", 100, png, true},
		{"anh.jpg", 100, jpg, true},
		{"anh.pdf", 100, png, false},     // an image named as a PDF
		{"ho-so.png", 100, pdf, false},   // a PDF named as an image
		{"script.html", 100, pdf, false}, // not an allowed type
		{"big.pdf", MaxDocumentSize + 1, pdf, false},
		{"empty.pdf", 0, nil, false},
		{"fake.pdf", 100, []byte("<html>%PDF-"), false},
	}
	for _, tc := range cases {
		_, err := CheckDocument(tc.name, tc.size, tc.head)
		if (err == nil) != tc.ok {
			t.Errorf("CheckDocument(%q) error = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func FuzzCheckDocument(f *testing.F) {
	f.Add("a.pdf", []byte("%PDF-1.4"))
	f.Add("b.png", []byte("\x89PNG\r\n\x1a\n"))
	f.Add("c.webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		ct, err := CheckDocument(name, int64(len(head))+1, head)
		if err != nil {
			return
		}
		if allowedDocTypes[strings.ToLower(extOf(name))] != ct {
			t.Fatalf("%q accepted as %s", name, ct)
		}
		clean := CleanFileName(name)
		if strings.ContainsAny(clean, "\"/;\r\n") {
			t.Fatalf("CleanFileName(%q) = %q keeps unsafe characters", name, clean)
		}
	})
}

func extOf(name string) string {
	i := strings.LastIndex(name, ".")
	if i < 0 || strings.Contains(name[i:], "/") {
		return ""
	}
	return name[i:]
}

func FuzzNormalizeCode(f *testing.F) {
	f.Add("abcde23456")
	f.Add(NewCode())
	f.Add("O0I1L00000")
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeCode(s)
		if !ok {
			return
		}
		if len(n) != CodeLen || strings.Trim(n, codeAlphabet) != "" {
			t.Fatalf("NormalizeCode(%q) = %q", s, n)
		}
		if again, ok := NormalizeCode(n); !ok || again != n {
			t.Fatalf("not idempotent: %q → %q", n, again)
		}
	})
}

func TestNewCodeIsUniqueAndWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if _, ok := NormalizeCode(c); !ok || seen[c] {
			t.Fatalf("code %q malformed or repeated", c)
		}
		seen[c] = true
	}
}

func TestCouncilAverageRoundsDown(t *testing.T) {
	sheets := []ScoreSheet{
		{Level: AuthorityProvince, Total: 89.99, MandatoryPassed: true},
		{Level: AuthorityProvince, Total: 90, MandatoryPassed: true},
		{Level: AuthorityCentral, Total: 10, MandatoryPassed: false},
	}
	c := councilOf(sheets, AuthorityProvince)
	// (89.99 + 90) / 2 = 89.995: rounded down, never lifted over the 90 boundary.
	if c.Members != 2 || c.Score != 8999 || !c.MandatoryPassed {
		t.Fatalf("council = %+v, want 2 members, 89.99, passed", c)
	}
	sheets[1].MandatoryPassed = false
	if c := councilOf(sheets, AuthorityProvince); c.MandatoryPassed {
		t.Fatal("one member's failed mandatory criterion must fail the council")
	}
}

func TestSheetLimits(t *testing.T) {
	ok := SheetInput{CriteriaVersion: Criteria148, PartA: 4000, PartB: 2500, PartC: 3500, Bonus: 500}
	if err := ok.check(); err != nil || ok.Total() != 10000 {
		t.Fatalf("full marks with bonus: %v, total %v (capped at 100)", err, ok.Total())
	}
	bad := []SheetInput{
		{CriteriaVersion: Criteria148, PartA: 4001},
		{CriteriaVersion: Criteria148, PartC: 3501},
		{CriteriaVersion: Criteria1048, PartC: 4001},
		{CriteriaVersion: Criteria1048, PartA: 3501},
		{CriteriaVersion: Criteria148, PartB: -1},
		{CriteriaVersion: Criteria148, Bonus: 501},
		{CriteriaVersion: "2030"},
	}
	for _, in := range bad {
		if err := in.check(); err == nil {
			t.Errorf("%+v accepted", in)
		}
	}
	if err := (SheetInput{CriteriaVersion: Criteria1048, PartC: 4000}).check(); err != nil {
		t.Errorf("1048 allows C up to 40: %v", err)
	}
}
