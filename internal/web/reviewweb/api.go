package reviewweb

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/review"
)

// listJSON is a page of a product's visible reviews.
type listJSON struct {
	Summary    review.Summary `json:"summary"`
	Items      []reviewJSON   `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// cursorPurpose scopes the signed cursor to this list.
const cursorPurpose = "reviews"

// APIList lists a listed product's visible reviews, newest first, a page
// of up to 20 at a time (cursor pagination), with their count and average.
func (h *Handlers) APIList(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := h.Reviews.ProductID(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	var before int64
	if raw := c.QueryParam("cursor"); raw != "" {
		if err := h.Cursors.Open(cursorPurpose, raw, &before); err != nil || before <= 0 {
			return errs.Invalid("cursor", "validation.type")
		}
	}
	list, more, err := h.Reviews.Visible(ctx, id, before, 20)
	if err != nil {
		return err
	}
	sums, err := h.Reviews.Summaries(ctx, []int64{id})
	if err != nil {
		return err
	}
	out := listJSON{Summary: sums[id], Items: []reviewJSON{}}
	for _, r := range list {
		out.Items = append(out.Items, reviewOf(r))
	}
	if more {
		if out.NextCursor, err = h.Cursors.Seal(cursorPurpose, list[len(list)-1].ID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}
