package orderweb

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

type commissionJSON struct {
	CommissionBP int `json:"commission_bp" form:"commission_bp" validate:"gte=0,lte=3000"`
}

// APICommission is the platform's commission rate in basis points.
func (h *Handlers) APICommission(c echo.Context) error {
	bp, err := h.commissionBP(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, commissionJSON{CommissionBP: bp})
}

func (h *Handlers) commissionBP(c echo.Context) (int, error) {
	return h.Payments.CommissionRate(c.Request().Context())
}

// APISetCommission sets the commission rate new orders snapshot (audited).
func (h *Handlers) APISetCommission(c echo.Context) error {
	var req commissionJSON
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.Payments.SetCommission(c.Request().Context(), kit.UserOf(c).ID, req.CommissionBP); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, req)
}

type ratesJSON struct {
	Rates []order.ShippingRate `json:"rates" validate:"required,dive"`
}

// APIShippingRates is the shipping table, band by band.
func (h *Handlers) APIShippingRates(c echo.Context) error {
	rs, err := h.Orders.ShippingRates(c.Request().Context())
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []order.ShippingRate{}
	}
	return c.JSON(http.StatusOK, ratesJSON{Rates: rs})
}

// APISetShippingRates replaces the shipping table.
func (h *Handlers) APISetShippingRates(c echo.Context) error {
	var req ratesJSON
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.Orders.SetShippingRates(c.Request().Context(), req.Rates); err != nil {
		return err
	}
	return h.APIShippingRates(c)
}

// APIPaymentIssues lists payments that need a person: under- and overpayments, unmatched transfers.
func (h *Handlers) APIPaymentIssues(c echo.Context) error {
	is, err := h.Payments.Issues(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"issues": nonNil(is)})
}

// APIProviderCalls lists provider calls (card refunds) that are failing, overdue or given up.
func (h *Handlers) APIProviderCalls(c echo.Context) error {
	calls, err := h.Payments.ProviderCallsToWatch(c.Request().Context(), time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"calls": nonNil(calls)})
}

// APIRetryProviderCall queues a given-up provider call again (audited).
func (h *Handlers) APIRetryProviderCall(c echo.Context) error {
	id, err := parseID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Payments.RetryProviderCall(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type confirmRequest struct {
	Code      string `json:"-" form:"code" validate:"omitempty,max=20"`
	Amount    int64  `json:"amount" form:"amount" validate:"required,gt=0"`
	Reference string `json:"reference" form:"reference" validate:"required,max=100"`
}

// APIConfirmPayment marks a VietQR group paid by hand, with the bank's reference (audited).
func (h *Handlers) APIConfirmPayment(c echo.Context) error {
	var req confirmRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	out, err := h.Payments.ConfirmManually(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"), req.Amount, req.Reference)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": out})
}

// APIBalances is what the platform owes each producer.
func (h *Handlers) APIBalances(c echo.Context) error {
	bs, err := h.Payments.Balances(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"balances": nonNil(bs)})
}

type payoutRequest struct {
	ProducerSlug string `json:"producer_slug" form:"producer_slug" validate:"required,max=200"`
	Amount       int64  `json:"amount" form:"amount" validate:"required,gt=0"`
	Reference    string `json:"reference" form:"reference" validate:"required,max=100"`
}

// APIRecordPayout records a transfer made to a producer in the ledger.
func (h *Handlers) APIRecordPayout(c echo.Context) error {
	var req payoutRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	p, err := h.Payments.RecordPayout(c.Request().Context(), kit.UserOf(c).ID, req.ProducerSlug, req.Amount, req.Reference)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

// PayoutCSV exports the payout batch: every producer owed money, with the
// bank account to transfer to. A bank's bulk-transfer tool takes it as is.
func (h *Handlers) PayoutCSV(c echo.Context) error {
	bs, err := h.Payments.Balances(c.Request().Context())
	if err != nil {
		return err
	}
	rows := [][]string{{"producer_slug", "legal_name", "bank_bin", "bank_account", "bank_holder", "amount_vnd", "content"}}
	for _, x := range bs {
		rows = append(rows, []string{x.Slug, csvSafe(x.LegalName), x.BankBIN, x.BankAccount, csvSafe(x.BankHolder), strconv.FormatInt(x.Amount, 10), "OCOP payout " + x.Slug})
	}
	var b strings.Builder
	// A payout batch goes to a bank: a row that failed to be written must
	// fail the export, never leave a shorter file (WriteAll flushes and reports).
	if err := csv.NewWriter(&b).WriteAll(rows); err != nil {
		return fmt.Errorf("payout CSV: %w", err)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="ocop-payouts.csv"`)
	return kit.Blob(c, http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}

// csvSafe stops a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func parseID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s: %w", name, errs.ErrNotFound)
	}
	return id, nil
}
