package review

import (
	"context"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/randcode"
)

// Service writes and reads reviews. It owns its transactions.
type Service struct {
	db       *gorm.DB
	photos   Photos
	products Products
}

// Photos is the catalogue's photo pipeline (catalog.PhotoService): a
// review's pictures pass the same checks and are stored the same way as a
// product's.
type Photos interface {
	// Store checks, resizes and stores an upload; a bad one is a validation error.
	Store(ctx context.Context, r io.Reader) (catalog.StoredPhoto, error)
	// Discard removes what Store put under key.
	Discard(ctx context.Context, key string) error
}

// Products is what reviews need of the catalogue (catalog.Service).
type Products interface {
	// SaleLines loads variants with their products, in tx.
	SaleLines(ctx context.Context, tx *gorm.DB, ids []int64) (map[int64]catalog.SaleLine, error)
	// Published is a product the storefront shows, or errs.ErrNotFound.
	Published(ctx context.Context, slug string) (catalog.Product, error)
}

// NewService returns a Service on g.
func NewService(g *gorm.DB, photos Photos, products Products) *Service {
	return &Service{db: g, photos: photos, products: products}
}

// codeAlphabet has no 0/O or 1/I (like order codes).
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func newCode() string { return "RV" + randcode.New(codeAlphabet, 10) }

// cleanText trims s and checks it is text a person typed: valid UTF-8, no
// NUL or control character but newline and tab, at most max characters,
// and not empty when required. The web layer refuses such text before any
// handler runs; the service holds the rule again for every other door.
func cleanText(field, s string, max int, required bool) (string, *errs.FieldError) {
	if !utf8.ValidString(s) {
		return "", &errs.FieldError{Field: field, Message: "validation.text"}
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", &errs.FieldError{Field: field, Message: "validation.text"}
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", &errs.FieldError{Field: field, Message: "validation.max", Param: itoa(max)}
	}
	if required && s == "" {
		return "", &errs.FieldError{Field: field, Message: "validation.required"}
	}
	return s, nil
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// fieldsErr is nil when no field is wrong.
func fieldsErr(fields []errs.FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &errs.ValidationError{Fields: fields}
}
