package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/validate"
	"github.com/chocop/ocop/internal/web/kit"
)

type cartAddRequest struct {
	VariantID int64 `json:"variant_id" validate:"required,gt=0"`
	Quantity  int64 `json:"quantity" validate:"required,gt=0,lte=1000"`
}

type cartSetRequest struct {
	Quantity *int64 `json:"quantity" validate:"required,gte=0,lte=1000"`
}

// checkoutRequest is the checkout form, as JSON or as a page form.
type checkoutRequest struct {
	RecipientName  string `json:"recipient_name" form:"recipient_name" validate:"required,max=120"`
	Phone          string `json:"phone" form:"phone" validate:"required,vnphone"`
	ProvinceCode   string `json:"province_code" form:"province_code" validate:"required,len=2,numeric"`
	CommuneCode    string `json:"commune_code" form:"commune_code" validate:"required,max=10,numeric"`
	Street         string `json:"street" form:"street" validate:"required,max=200"`
	Note           string `json:"note" form:"note" validate:"max=500"`
	PaymentMethod  string `json:"payment_method" form:"payment_method" validate:"required,oneof=vietqr card"`
	AdultConfirmed bool   `json:"adult_confirmed" form:"adult_confirmed"`
}

func (r checkoutRequest) input() order.CheckoutInput {
	return order.CheckoutInput{Address: order.Address{RecipientName: strings.TrimSpace(r.RecipientName), Phone: validate.NormalizePhone(r.Phone), ProvinceCode: r.ProvinceCode,
		CommuneCode: r.CommuneCode, Street: strings.TrimSpace(r.Street), Note: strings.TrimSpace(r.Note)}, Method: r.PaymentMethod, AdultConfirmed: r.AdultConfirmed}
}

func ownerOf(c echo.Context) order.Owner { return order.Owner{UserID: kit.UserOf(c).ID} }

func (s *Server) apiCart(c echo.Context) error {
	q, err := s.orderSvc.View(c.Request().Context(), ownerOf(c), c.QueryParam("province_code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cartJSON(q))
}

// cartJSON never returns null lists, so clients can iterate without checks.
func cartJSON(q order.Quote) order.Quote {
	if q.Parts == nil {
		q.Parts = []order.Part{}
	}
	return q
}

func (s *Server) apiCartAdd(c echo.Context) error {
	var req cartAddRequest
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	if err := s.orderSvc.Add(c.Request().Context(), ownerOf(c), req.VariantID, req.Quantity); err != nil {
		return err
	}
	return s.apiCart(c)
}

func (s *Server) apiCartSet(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("variant_id"), 10, 64)
	if err != nil {
		return errs.ErrNotFound
	}
	var req cartSetRequest
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	if err := s.orderSvc.SetQuantity(c.Request().Context(), ownerOf(c), id, *req.Quantity); err != nil {
		return err
	}
	return s.apiCart(c)
}

func (s *Server) apiCheckout(c echo.Context) error {
	var req checkoutRequest
	if err := s.BindJSON(c, &req); err != nil {
		return err
	}
	if err := s.allowCheckout(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := s.paySvc.Checkout(ctx, kit.UserOf(c).ID, req.input())
	if err != nil {
		return err
	}
	v := s.groupView(ctx, res.Group)
	v.CheckoutURL = res.RedirectURL
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) apiOrders(c echo.Context) error {
	ctx := c.Request().Context()
	gs, err := s.orderSvc.GroupsOf(ctx, kit.UserOf(c).ID, 100)
	if err != nil {
		return err
	}
	out := []groupJSON{}
	for _, g := range gs {
		out = append(out, s.groupView(ctx, g))
	}
	return c.JSON(http.StatusOK, map[string]any{"orders": out})
}

// apiOrder shows one of the caller's groups; anyone else's is a 404.
func (s *Server) apiOrder(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := s.orderSvc.GroupByCode(ctx, c.Param("code"), kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.groupView(ctx, g))
}

func (s *Server) apiOrderCancel(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := s.paySvc.CancelGroup(ctx, kit.UserOf(c).ID, c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.groupView(ctx, g))
}
