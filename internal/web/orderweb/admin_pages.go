package orderweb

import (
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

type adminSettingsView struct {
	CommissionBP int
	RatesText    string
}

// AdminSettings shows the commission rate and the shipping table (one band
// per line: from province, to province, max grams, fee; "*" is any province).
func (h *Handlers) AdminSettings(c echo.Context) error {
	bp, err := h.commissionBP(c)
	if err != nil {
		return err
	}
	rs, err := h.Orders.ShippingRates(c.Request().Context())
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s,%s,%d,%d\n", r.FromProvinceCode, r.ToProvinceCode, r.MaxGrams, r.Fee)
	}
	return h.Render(c, http.StatusOK, "admin_settings", adminSettingsView{CommissionBP: bp, RatesText: b.String()})
}

// AdminSetCommission is the page form of APISetCommission.
func (h *Handlers) AdminSetCommission(c echo.Context) error {
	var f commissionJSON
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.AdminSettings)
	}
	if err := h.Payments.SetCommission(c.Request().Context(), kit.UserOf(c).ID, f.CommissionBP); err != nil {
		return kit.RenderForm(c, err, h.AdminSettings)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/settings")
}

type shippingForm struct {
	Rates string `form:"rates" validate:"max=20000"`
}

// AdminSetShipping replaces the shipping table from its text form.
func (h *Handlers) AdminSetShipping(c echo.Context) error {
	var f shippingForm
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.AdminSettings)
	}
	rates, err := parseRates(f.Rates)
	if err != nil {
		return kit.RenderForm(c, err, h.AdminSettings)
	}
	if err := h.Orders.SetShippingRates(c.Request().Context(), rates); err != nil {
		return kit.RenderForm(c, err, h.AdminSettings)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/settings")
}

// parseRates reads "from,to,max_grams,fee" lines; a bad line is a 400 naming it.
func parseRates(text string) ([]order.ShippingRate, error) {
	var out []order.ShippingRate
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.Split(line, ",")
		// The line number goes to the person (the message) and to the API (Data); the code stays the one clients know.
		bad := &errs.Reasoned{Err: errs.Invalid("rates", "forms.bad_rate_line"), Reason: "forms.bad_rate_line", Code: "admin.bad_rate_line", Data: map[string]any{"Line": i + 1}}
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: %w", i+1, bad)
		}
		g, err1 := strconv.Atoi(strings.TrimSpace(f[2]))
		fee, err2 := strconv.ParseInt(strings.TrimSpace(f[3]), 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, bad)
		}
		out = append(out, order.ShippingRate{FromProvinceCode: strings.TrimSpace(f[0]), ToProvinceCode: strings.TrimSpace(f[1]), MaxGrams: g, Fee: fee})
	}
	return out, nil
}

type adminPaymentsView struct {
	Issues []payment.Issue
	Calls  []payment.ProviderCall // refunds to the provider that are failing, overdue or given up
}

// AdminPayments lists the payment issues and the provider calls to watch.
func (h *Handlers) AdminPayments(c echo.Context) error {
	ctx := c.Request().Context()
	is, err := h.Payments.Issues(ctx)
	if err != nil {
		return err
	}
	calls, err := h.Payments.ProviderCallsToWatch(ctx, time.Now())
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "admin_payments", adminPaymentsView{Issues: is, Calls: calls})
}

// AdminRetryCall queues a given-up provider call again (audited).
func (h *Handlers) AdminRetryCall(c echo.Context) error {
	id, err := parseID(c, "id")
	if err != nil {
		return kit.RenderForm(c, err, h.AdminPayments)
	}
	if err := h.Payments.RetryProviderCall(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return kit.RenderForm(c, err, h.AdminPayments)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/payments")
}

// AdminConfirmPayment marks a VietQR group paid by hand (audited).
func (h *Handlers) AdminConfirmPayment(c echo.Context) error {
	var f confirmRequest
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.AdminPayments)
	}
	out, err := h.Payments.ConfirmManually(c.Request().Context(), kit.UserOf(c).ID, strings.ToUpper(strings.TrimSpace(f.Code)), f.Amount, f.Reference)
	if err != nil {
		return kit.RenderForm(c, err, h.AdminPayments)
	}
	h.Flash(c, "admin.payment."+out)
	return c.Redirect(http.StatusSeeOther, "/admin/payments")
}

// AdminResolveIssue marks a payment issue dealt with (audited).
func (h *Handlers) AdminResolveIssue(c echo.Context) error {
	id, err := parseID(c, "id")
	if err != nil {
		return kit.RenderForm(c, err, h.AdminPayments)
	}
	if err := h.Payments.ResolveIssue(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return kit.RenderForm(c, err, h.AdminPayments)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/payments")
}

type adminPayoutsView struct {
	Balances []payment.Balance
	Banks    map[string]string // BIN → the bank's short name: people know banks by name, not by code
}

// AdminPayouts lists what each producer is owed, with the payout form.
func (h *Handlers) AdminPayouts(c echo.Context) error {
	bs, err := h.Payments.Balances(c.Request().Context())
	if err != nil {
		return err
	}
	banks, err := h.Regions.Banks(c.Request().Context())
	if err != nil {
		return err
	}
	v := adminPayoutsView{Balances: bs, Banks: map[string]string{}}
	for _, b := range banks {
		v.Banks[b.BIN] = b.ShortName
	}
	return h.Render(c, http.StatusOK, "admin_payouts", v)
}

// AdminRecordPayout is the page form of APIRecordPayout.
func (h *Handlers) AdminRecordPayout(c echo.Context) error {
	var f payoutRequest
	if err := h.BindForm(c, &f); err != nil {
		return kit.RenderForm(c, err, h.AdminPayouts)
	}
	if _, err := h.Payments.RecordPayout(c.Request().Context(), kit.UserOf(c).ID, f.ProducerSlug, f.Amount, f.Reference); err != nil {
		return kit.RenderForm(c, err, h.AdminPayouts)
	}
	h.Flash(c, "flash.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/payouts")
}
