package vietqr_test

import (
	"errors"
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
	withCRC := func(body string) string { return body + "6304" + vietqr.CRC(body+"6304") }
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

func FuzzDecode(f *testing.F) {
	f.Add(napasExample)
	f.Add("000201010211")
	f.Add("00020101021238570010A0000007270127000697040301130011012345678")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := vietqr.Decode(s)
		if err != nil {
			return
		}
		// Whatever decodes must encode again and decode to the same payment.
		again, err := vietqr.Encode(p)
		if err != nil {
			t.Fatalf("decoded %+v from %q but cannot encode it: %v", p, s, err)
		}
		p2, err := vietqr.Decode(again)
		if err != nil || p2.BIN != p.BIN || p2.Account != p.Account || p2.Amount != p.Amount || p2.Card != p.Card || p2.Bill != p.Bill {
			t.Fatalf("re-decode of %q = %+v, %v; want %+v", again, p2, err, p)
		}
	})
}
