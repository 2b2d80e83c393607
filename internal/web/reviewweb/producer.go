package reviewweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/kit"
)

// portalView is the producer's list of reviews, with a reply form under
// each review not yet answered. Failed is the review whose reply was
// refused, with the text kept and the error beside it.
type portalView struct {
	Reviews  []review.Review
	Failed   string
	Reply    string
	Errors   map[string]string
	MaxReply int
}

// portalListSize is how many reviews the portal list shows, newest first.
const portalListSize = 100

// PortalReviews lists the reviews of the producer's own products.
func (h *Handlers) PortalReviews(c echo.Context) error {
	return h.portalPage(c, http.StatusOK, portalView{})
}

func (h *Handlers) portalPage(c echo.Context, status int, v portalView) error {
	ctx := c.Request().Context()
	p, err := h.Producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	if v.Reviews, err = h.Reviews.OfProducer(ctx, p.ID, portalListSize); err != nil {
		return err
	}
	v.MaxReply = review.MaxReplyLen
	return h.Render(c, status, "portal_reviews", v)
}

type replyRequest struct {
	Reply string `json:"reply" form:"reply"`
}

// PortalReply records the producer's reply to a review of its product.
func (h *Handlers) PortalReply(c echo.Context) error {
	ctx := c.Request().Context()
	var f replyRequest
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	p, err := h.Producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	_, err = h.Reviews.Reply(ctx, p.ID, kit.UserOf(c).ID, c.Param("code"), f.Reply)
	if fe := kit.FormErrors(err); fe != nil {
		return h.portalPage(c, http.StatusBadRequest, portalView{Failed: c.Param("code"), Reply: f.Reply, Errors: fe})
	}
	if err != nil {
		return err
	}
	h.Flash(c, "review.replied_ok")
	return c.Redirect(http.StatusSeeOther, "/portal/reviews#review-"+c.Param("code"))
}

// APIReply is PortalReply as JSON.
func (h *Handlers) APIReply(c echo.Context) error {
	ctx := c.Request().Context()
	var req replyRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	p, err := h.Producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	r, err := h.Reviews.Reply(ctx, p.ID, kit.UserOf(c).ID, c.Param("code"), req.Reply)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, reviewOf(r))
}
