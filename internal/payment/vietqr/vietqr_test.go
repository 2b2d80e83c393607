package vietqr_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/payment/vietqr"
	"github.com/chocop/ocop/internal/platform/qr"
	"github.com/chocop/ocop/internal/platform/qr/qrtest"
)

// napasExample is the payload of NAPAS specification section 6.1.3.
const napasExample = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"

func TestEncodeMatchesNAPASExample(t *testing.T) {
	got, err := vietqr.Encode(vietqr.Payment{BIN: "970403", Account: "0011012345678", Amount: 180000, Bill: "NPS6869", Purpose: "thanh toan don hang"})
	if err != nil {
		t.Fatal(err)
	}
	if got != napasExample {
		t.Fatalf("Encode:\n got %s\nwant %s", got, napasExample)
	}
}

func TestDecodeNAPASExample(t *testing.T) {
	p, err := vietqr.Decode(napasExample)
	if err != nil {
		t.Fatal(err)
	}
	want := vietqr.Payment{BIN: "970403", Account: "0011012345678", Amount: 180000, Bill: "NPS6869", Purpose: "thanh toan don hang"}
	if p != want {
		t.Fatalf("Decode = %+v, want %+v", p, want)
	}
}

func TestRoundTrip(t *testing.T) {
	cases := map[string]vietqr.Payment{
		"static account":   {BIN: "970405", Account: "1234567890"},
		"dynamic account":  {BIN: "970436", Account: "0071000123456", Amount: 250000, Purpose: "OCOP DH7K3M9Q2X"},
		"dynamic card":     {BIN: "970418", Account: "9704180000000000018", Card: true, Amount: 1},
		"static card bill": {BIN: "970422", Account: "970422123", Card: true, Bill: "B1"},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := vietqr.Encode(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := vietqr.Decode(s)
			if err != nil {
				t.Fatalf("Decode(%s): %v", s, err)
			}
			if out != in {
				t.Fatalf("round trip = %+v, want %+v", out, in)
			}
		})
	}
}

func TestPurposeFoldedAndCut(t *testing.T) {
	s, err := vietqr.Encode(vietqr.Payment{BIN: "970405", Account: "123", Amount: 5, Purpose: "Thanh toán đơn hàng Chợ OCOP Lạng Sơn"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := vietqr.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Purpose != "Thanh toan don hang Cho O" {
		t.Fatalf("purpose = %q, want folded and cut to 25", p.Purpose)
	}
}

func TestEncodeRejects(t *testing.T) {
	cases := map[string]vietqr.Payment{
		"short BIN":        {BIN: "97040", Account: "1"},
		"letters in BIN":   {BIN: "97040x", Account: "1"},
		"empty account":    {BIN: "970405"},
		"account too long": {BIN: "970405", Account: "12345678901234567890"},
		"account symbols":  {BIN: "970405", Account: "12-34"},
		"negative amount":  {BIN: "970405", Account: "1", Amount: -1},
	}
	for name, p := range cases {
		if _, err := vietqr.Encode(p); !errors.Is(err, vietqr.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestDecodeDetectsCRCErrors(t *testing.T) {
	// One changed digit of the amount, CRC left as it was.
	bad := napasExample[:len("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540618")] + "1" + napasExample[len("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540618")+1:]
	if _, err := vietqr.Decode(bad); !errors.Is(err, vietqr.ErrCRC) {
		t.Fatalf("changed amount: err = %v, want ErrCRC", err)
	}
	if _, err := vietqr.Decode(napasExample[:len(napasExample)-4] + "0000"); !errors.Is(err, vietqr.ErrCRC) {
		t.Fatalf("wrong CRC: err = %v, want ErrCRC", err)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	cases := map[string]string{
		"empty":             "",
		"no crc field":      "000201",
		"length past end":   withCRC("000201010212389912"),
		"non-numeric len":   withCRC("0002010102x2"),
		"repeated tag":      withCRC("00020100020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540618000058" + "02VN"),
		"wrong guid":        withCRC("00020101021138570010A00000072801270006970403011300110123456780208QRIBFTTA5303704" + "5802VN"),
		"unknown service":   withCRC("00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTX5303704" + "5802VN"),
		"dynamic no amount": withCRC("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704" + "5802VN"),
		"static w/ amount":  withCRC("00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA530370454031005802VN"),
		"wrong currency":    withCRC("00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA5303840" + "5802VN"),
		"not ascii":         "0002010102113857ĐĐ",
	}
	for name, s := range cases {
		if _, err := vietqr.Decode(s); !errors.Is(err, vietqr.ErrMalformed) && !errors.Is(err, vietqr.ErrCRC) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		} else if name != "empty" && name != "no crc field" && name != "not ascii" && errors.Is(err, vietqr.ErrCRC) {
			t.Errorf("%s: CRC was valid, want ErrMalformed, got %v", name, err)
		}
	}
}

func TestQRImageDecodesToPayload(t *testing.T) {
	s, err := vietqr.Encode(vietqr.Payment{BIN: "970405", Account: "0000001234", Amount: 325000, Purpose: "OCOP DHABCDEFGH"})
	if err != nil {
		t.Fatal(err)
	}
	png, err := qr.PNG(s, 320)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qrtest.DecodePNG(png)
	if err != nil {
		t.Fatal(err)
	}
	if got != s {
		t.Fatalf("QR decodes to %q, want %q", got, s)
	}
}

// withCRC completes a payload body with its CRC field.
func withCRC(body string) string { return body + "6304" + vietqr.CRC(body+"6304") }

// tlv writes one EMVCo field.
func tlv(id, value string) string { return fmt.Sprintf("%s%02d%s", id, len(value), value) }

// napasAccount is the merchant account template (38) of a transfer to account.
func napasAccount(bin, account string) string {
	return tlv("38", tlv("00", "A000000727")+tlv("01", tlv("00", bin)+tlv("01", account))+tlv("02", "QRIBFTTA"))
}

// TestDecodeAcceptsWhatBankingAppsWrite: real payloads carry a purpose
// longer than the 25 characters the platform writes (up to EMVCo's 99),
// a long bill number, an account longer than 19, extra fields and their
// own field order; Decode reads them all, and the raw fields encode back
// to the same bytes.
func TestDecodeAcceptsWhatBankingAppsWrite(t *testing.T) {
	purpose63 := "NGUYEN VAN A chuyen tien OCOP DHABCDEFGH thanh toan don hang Tet"
	purpose95 := strings.Repeat("chuyen khoan ", 8)[:95]
	bill30 := "HD2024-000123456789-LANGSON-01"
	account22 := "9704360000000000000001"
	head := tlv("00", "01") + tlv("01", "12")
	cases := []struct {
		name    string
		payload string
		want    vietqr.Payment
	}{
		{"purpose of 63 characters",
			withCRC(head + napasAccount("970422", "0368200516") + tlv("53", "704") + tlv("54", "50000") + tlv("58", "VN") + tlv("62", tlv("08", purpose63))),
			vietqr.Payment{BIN: "970422", Account: "0368200516", Amount: 50000, Purpose: purpose63}},
		{"purpose of 95 characters (62 at its 99)",
			withCRC(head + napasAccount("970422", "0368200516") + tlv("53", "704") + tlv("54", "50000") + tlv("58", "VN") + tlv("62", tlv("08", purpose95))),
			vietqr.Payment{BIN: "970422", Account: "0368200516", Amount: 50000, Purpose: purpose95}},
		{"long bill, terminal field, zero fraction, fields reordered",
			withCRC(head + napasAccount("970415", "2019000000123456") + tlv("58", "VN") + tlv("53", "704") + tlv("54", "50000.00") +
				tlv("62", tlv("01", bill30)+tlv("07", "TERM0001")+tlv("08", "OCOP DH7K3M9Q"))),
			vietqr.Payment{BIN: "970415", Account: "2019000000123456", Amount: 50000, Bill: bill30, Purpose: "OCOP DH7K3M9Q"}},
		{"static, account of 22 characters",
			withCRC(tlv("00", "01") + tlv("01", "11") + napasAccount("970436", account22) + tlv("53", "704") + tlv("58", "VN")),
			vietqr.Payment{BIN: "970436", Account: account22}},
	}
	for _, c := range cases {
		p, err := vietqr.Decode(c.payload)
		if err != nil {
			t.Errorf("%s: Decode: %v", c.name, err)
			continue
		}
		if p != c.want {
			t.Errorf("%s: Decode = %+v, want %+v", c.name, p, c.want)
		}
		fs, err := vietqr.Parse(c.payload)
		if err != nil || fs.Encode() != c.payload {
			t.Errorf("%s: raw fields encode to %q (%v), want the same bytes", c.name, fs.Encode(), err)
		}
	}
	// Encode still writes the platform's limits.
	s, err := vietqr.Encode(vietqr.Payment{BIN: "970422", Account: "0368200516", Amount: 5, Purpose: purpose63})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := vietqr.Decode(s); err != nil || len(p.Purpose) > vietqr.MaxPurpose || !strings.HasPrefix(purpose63, p.Purpose) {
		t.Fatalf("Encode wrote the purpose %q (%v), want it cut to %d", p.Purpose, err, vietqr.MaxPurpose)
	}
	// A fraction other than zeros is not an amount of đồng.
	if _, err := vietqr.Decode(withCRC(head + napasAccount("970422", "1") + tlv("53", "704") + tlv("54", "500.50") + tlv("58", "VN"))); !errors.Is(err, vietqr.ErrMalformed) {
		t.Fatalf("amount 500.50: %v, want ErrMalformed", err)
	}
}

// TestRoundTripProperty: for random payments within the platform's
// limits, Decode(Encode(p)) is p (purpose folded), Encode(Decode(x)) is x,
// and the raw fields of x encode to x byte for byte.
func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2024)) // fixed seed: a failure is reproducible
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	str := func(alphabet string, min, max int) string {
		b := make([]byte, min+r.IntN(max-min+1))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	var printable strings.Builder
	for c := byte(0x20); c < 0x7f; c++ {
		printable.WriteByte(c)
	}
	for i := range 5000 {
		p := vietqr.Payment{BIN: str("0123456789", 6, 6), Account: str(alnum, 1, vietqr.MaxAccount), Card: r.IntN(2) == 0,
			Bill: str(printable.String(), 0, vietqr.MaxBill), Purpose: vietqr.FoldPurpose(str(printable.String(), 0, vietqr.MaxPurpose))}
		if r.IntN(3) > 0 {
			p.Amount = 1 + r.Int64N(9_999_999_999_999)
		}
		x, err := vietqr.Encode(p)
		if err != nil {
			t.Fatalf("#%d Encode(%+v): %v", i, p, err)
		}
		got, err := vietqr.Decode(x)
		if err != nil || got != p {
			t.Fatalf("#%d Decode(Encode(%+v)) = %+v, %v", i, p, got, err)
		}
		if again, err := vietqr.Encode(got); err != nil || again != x {
			t.Fatalf("#%d Encode(Decode(%q)) = %q, %v", i, x, again, err)
		}
		if fs, err := vietqr.Parse(x); err != nil || fs.Encode() != x {
			t.Fatalf("#%d raw fields of %q encode to %q, %v", i, x, fs.Encode(), err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(napasExample)
	f.Add("000201010211")
	f.Add("00020101021238570010A0000007270127000697040301130011012345678")
	f.Add(withCRC("00020101021238540010A00000072701240006970422011003682005160208QRIBFTTA53037045405500005802VN62670863NGUYEN VAN A chuyen tien OCOP DHABCDEFGH thanh toan don hang Tet"))
	f.Fuzz(func(t *testing.T, s string) {
		p, err := vietqr.Decode(s)
		if err != nil {
			return
		}
		// Whatever decodes is written back byte for byte from its raw fields
		// (the CRC in upper case), and reads as the same payment.
		fs, err := vietqr.Parse(s)
		if err != nil {
			t.Fatalf("Decode accepted %q but Parse refuses it: %v", s, err)
		}
		raw := fs.Encode()
		if want := s[:len(s)-4] + strings.ToUpper(s[len(s)-4:]); raw != want {
			t.Fatalf("raw fields of %q encode to %q", want, raw)
		}
		if p2, err := vietqr.Decode(raw); err != nil || p2 != p {
			t.Fatalf("Decode of the re-encoded %q = %+v, %v; want %+v", raw, p2, err, p)
		}
		// What fits the platform's limits encodes again to the same payment.
		if vietqr.FoldPurpose(p.Purpose) != p.Purpose {
			return
		}
		again, err := vietqr.Encode(p)
		if err != nil {
			return // an account or bill beyond what the platform writes
		}
		if p3, err := vietqr.Decode(again); err != nil || p3 != p {
			t.Fatalf("re-decode of %q = %+v, %v; want %+v", again, p3, err, p)
		}
	})
}
