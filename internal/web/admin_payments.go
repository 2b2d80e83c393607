package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/web/kit"
)

type commissionJSON struct {
	CommissionBP int `json:"commission_bp" form:"commission_bp" validate:"gte=0,lte=3000"`
}

func (s *Server) apiCommission(c echo.Context) error {
	bp, err := s.commissionBP(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, commissionJSON{CommissionBP: bp})
}

func (s *Server) commissionBP(c echo.Context) (int, error) {
	return payment.CommissionBP(c.Request().Context(), s.db)
}

func (s *Server) apiSetCommission(c echo.Context) error {
	var req commissionJSON
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	if err := s.paySvc.SetCommission(c.Request().Context(), kit.UserOf(c).ID, req.CommissionBP); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, req)
}

type ratesJSON struct {
	Rates []order.ShippingRate `json:"rates" validate:"required,dive"`
}

func (s *Server) apiShippingRates(c echo.Context) error {
	rs, err := s.orderSvc.ShippingRates(c.Request().Context())
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []order.ShippingRate{}
	}
	return c.JSON(http.StatusOK, ratesJSON{Rates: rs})
}

func (s *Server) apiSetShippingRates(c echo.Context) error {
	var req ratesJSON
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	if err := s.orderSvc.SetShippingRates(c.Request().Context(), req.Rates); err != nil {
		return err
	}
	return s.apiShippingRates(c)
}

func (s *Server) apiPaymentIssues(c echo.Context) error {
	is, err := s.paySvc.Issues(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"issues": nonNil(is)})
}

func (s *Server) apiProviderCalls(c echo.Context) error {
	calls, err := s.paySvc.ProviderCallsToWatch(c.Request().Context(), time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"calls": nonNil(calls)})
}

func (s *Server) apiRetryProviderCall(c echo.Context) error {
	id, err := parseID(c, "id")
	if err != nil {
		return err
	}
	if err := s.paySvc.RetryProviderCall(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type confirmRequest struct {
	Code      string `json:"-" form:"code" validate:"omitempty,max=20"`
	Amount    int64  `json:"amount" form:"amount" validate:"required,gt=0"`
	Reference string `json:"reference" form:"reference" validate:"required,max=100"`
}

func (s *Server) apiConfirmPayment(c echo.Context) error {
	var req confirmRequest
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	out, err := s.paySvc.ConfirmManually(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"), req.Amount, req.Reference)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": out})
}

func (s *Server) apiBalances(c echo.Context) error {
	bs, err := s.paySvc.Balances(c.Request().Context())
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

func (s *Server) apiRecordPayout(c echo.Context) error {
	var req payoutRequest
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	p, err := s.paySvc.RecordPayout(c.Request().Context(), kit.UserOf(c).ID, req.ProducerSlug, req.Amount, req.Reference)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

// payoutCSV exports the payout batch: every producer owed money, with the
// bank account to transfer to. A bank's bulk-transfer tool takes it as is.
func (s *Server) payoutCSV(c echo.Context) error {
	bs, err := s.paySvc.Balances(c.Request().Context())
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
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
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
