package validate

import (
	"testing"

	"github.com/chocop/ocop/internal/platform/errs"
)

func TestFieldsNamedByJSONTag(t *testing.T) {
	type req struct {
		Email string `json:"email" validate:"required,email"`
		Phone string `json:"phone" validate:"omitempty,vnphone"`
		Tax   string `json:"tax_code" validate:"omitempty,taxcode"`
	}
	err := New().Struct(req{Email: "nope", Phone: "12345", Tax: "0101-1"})
	ve, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("want ValidationError, got %v", err)
	}
	got := map[string]string{}
	for _, f := range ve.Fields {
		got[f.Field] = f.Message
	}
	want := map[string]string{"email": "validation.email", "phone": "validation.vnphone", "tax_code": "validation.taxcode"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s: got %q want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func TestTaxCodeAndPhone(t *testing.T) {
	for s, want := range map[string]bool{"0101234567": true, "0101234567-001": true, "010123456": false, "0101234567001": false, "01012345a7": false} {
		if TaxCode(s) != want {
			t.Errorf("TaxCode(%q) != %v", s, want)
		}
	}
	for s, want := range map[string]bool{"0912 345 678": true, "+84912345678": true, "0212345678": false, "091234567": false} {
		if vnPhone.MatchString(NormalizePhone(s)) != want {
			t.Errorf("phone %q != %v", s, want)
		}
	}
}
