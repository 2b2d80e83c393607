// Package validate checks request structs with validator/v10 and turns its
// errors into errs.ValidationError, naming fields by their json (or form) tag
// so that API clients and forms see the names they sent.
package validate

import (
	"errors"
	"reflect"
	"regexp"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/chocop/ocop/internal/platform/errs"
)

// Validator is safe for concurrent use; build one per process.
type Validator struct{ v *validator.Validate }

var vnPhone = regexp.MustCompile(`^(\+84|0)(3|5|7|8|9)[0-9]{8}$`)

// New returns a Validator with the project's custom rules:
// vnphone (a Vietnamese mobile number) and taxcode (10 digits, or 13 as NNNNNNNNNN-NNN).
func New() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"json", "form", "query"} {
			name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
			if name != "" && name != "-" {
				return name
			}
		}
		return f.Name
	})
	must(v.RegisterValidation("vnphone", func(fl validator.FieldLevel) bool {
		return vnPhone.MatchString(NormalizePhone(fl.Field().String()))
	}))
	must(v.RegisterValidation("taxcode", func(fl validator.FieldLevel) bool {
		return TaxCode(fl.Field().String())
	}))
	return &Validator{v: v}
}

// must stops the program on a validator that cannot be registered: a
// programming error (a bad tag name), found at start rather than as a rule
// that silently never runs.
func must(err error) {
	if err != nil {
		panic("validate: " + err.Error())
	}
}

// Struct trims the text of s (when s is a pointer, see Trim) and validates
// it. The error, if any, is an *errs.ValidationError.
func (v *Validator) Struct(s any) error {
	Trim(s)
	err := v.v.Struct(s)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	out := &errs.ValidationError{}
	for _, fe := range ves {
		out.Fields = append(out.Fields, errs.FieldError{
			Field:   fieldPath(fe),
			Message: "validation." + fe.Tag(),
			Param:   fe.Param(),
		})
	}
	return out
}

// fieldPath drops the struct name from the namespace: "Req.items[0].sku" → "items[0].sku".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

// NormalizePhone removes spaces, dots and dashes that people type in phone numbers.
func NormalizePhone(s string) string {
	return strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(s))
}

// TaxCode reports whether s is a Vietnamese tax code: 10 digits, or 10 digits,
// a dash and a 3-digit branch suffix.
func TaxCode(s string) bool {
	digits := func(x string) bool {
		for _, r := range x {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	switch len(s) {
	case 10:
		return digits(s)
	case 14:
		return digits(s[:10]) && s[10] == '-' && digits(s[11:])
	}
	return false
}
