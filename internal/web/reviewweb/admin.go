package reviewweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/kit"
)

// adminView is the admin's list of the newest reviews, each visible one
// with a form to hide it and the reason.
type adminView struct {
	Reviews   []review.Review
	Failed    string
	Reason    string
	Errors    map[string]string
	MaxReason int
}

// adminListSize is how many reviews the admin list shows, newest first.
const adminListSize = 200

// AdminReviews lists the newest reviews of every product.
func (h *Handlers) AdminReviews(c echo.Context) error {
	return h.adminPage(c, http.StatusOK, adminView{})
}

func (h *Handlers) adminPage(c echo.Context, status int, v adminView) error {
	var err error
	if v.Reviews, err = h.Reviews.Recent(c.Request().Context(), adminListSize); err != nil {
		return err
	}
	v.MaxReason = review.MaxReason
	return h.Render(c, status, "admin_reviews", v)
}

type hideRequest struct {
	Reason string `json:"reason" form:"reason"`
}

// AdminHide hides an abusive review, audited with the reason.
func (h *Handlers) AdminHide(c echo.Context) error {
	var f hideRequest
	if err := h.BindForm(c, &f); err != nil {
		return err
	}
	_, err := h.Reviews.Hide(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"), f.Reason)
	if fe := kit.FormErrors(err); fe != nil {
		return h.adminPage(c, http.StatusBadRequest, adminView{Failed: c.Param("code"), Reason: f.Reason, Errors: fe})
	}
	if err != nil {
		return err
	}
	h.Flash(c, "review.hidden_ok")
	return c.Redirect(http.StatusSeeOther, "/admin/reviews#review-"+c.Param("code"))
}

// APIHide is AdminHide as JSON.
func (h *Handlers) APIHide(c echo.Context) error {
	var req hideRequest
	if err := h.BindJSON(c, &req); err != nil {
		return err
	}
	r, err := h.Reviews.Hide(c.Request().Context(), kit.UserOf(c).ID, c.Param("code"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, reviewOf(r))
}
