package order

import (
	"context"
	"fmt"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
)

// Estimate is what shipping quantity of a variant to a province would
// cost, as checkout would charge it for a cart holding only that line.
type Estimate struct {
	VariantID    int64
	Quantity     int64
	WeightGrams  int
	ProvinceCode string
	Fee          int64
	NoShipping   bool // a service (voucher): nothing is shipped
}

// EstimateShipping prices the product page's shipping estimate with the
// shipping table checkout uses (ShippingFee, from the producer's province),
// for a sellable variant. No band for the route is the 409
// shipping.unavailable; an unknown or hidden variant is errs.ErrNotFound.
func (s *Service) EstimateShipping(ctx context.Context, variantID, quantity int64, toProvince string) (Estimate, error) {
	e := Estimate{VariantID: variantID, Quantity: quantity, ProvinceCode: toProvince}
	if quantity <= 0 || quantity > MaxUnitsPerVariant {
		return e, errs.Invalid("quantity", "validation.max")
	}
	if toProvince == "" {
		return e, errs.Invalid("province_code", "validation.required")
	}
	v, err := s.sellable(ctx, s.db, variantID)
	if err != nil {
		return e, err
	}
	sale, err := s.catalog.SaleLines(ctx, s.db, []int64{variantID})
	if err != nil {
		return e, err
	}
	line, ok := sale[variantID]
	if !ok {
		return e, fmt.Errorf("variant %d: %w", variantID, errs.ErrNotFound)
	}
	if line.IsService {
		e.NoShipping = true
		return e, nil
	}
	pr, err := producer.NewStore(s.db).ByID(ctx, v.ProducerID)
	if err != nil {
		return e, err
	}
	e.WeightGrams = v.WeightGrams * int(quantity)
	e.Fee, err = s.ShippingFee(ctx, s.db, pr.ProvinceCode, toProvince, e.WeightGrams)
	return e, err
}
