// Package jobsweb serves the admin's view of the background jobs: the page
// /admin/jobs and its API twin /api/v1/admin/jobs. Admins see queued,
// running, retrying and failed jobs with their errors and attempts, and
// retry one (audited by the engine).
package jobsweb

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the jobs handlers.
type Handlers struct {
	*kit.Kit
	Jobs *jobs.Engine
}

// listQuery is what a list request may say: a state filter and a cursor.
type listQuery struct {
	filter jobs.Filter
	cursor string
	limit  int
}

// parseList reads state, cursor and limit; a bad value is a validation error (400).
func parseList(c echo.Context) (listQuery, error) {
	f, err := jobs.ParseFilter(c.QueryParam("state"))
	if err != nil {
		return listQuery{}, err
	}
	q := listQuery{filter: f, cursor: c.QueryParam("cursor"), limit: 50}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > jobs.MaxPage {
			return listQuery{}, errs.Invalid("limit", "jobs.limit.invalid")
		}
		q.limit = n
	}
	return q, nil
}

// parseID reads a job id from the path; anything else is not found.
func parseID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("job %q: %w", c.Param("id"), errs.ErrNotFound)
	}
	return id, nil
}

// pageView is what the jobs page shows.
type pageView struct {
	Filter  jobs.Filter
	Filters []jobs.Filter
	Counts  map[jobs.Filter]int
	Page    jobs.Page
}

// Page lists jobs by state, newest first.
func (h *Handlers) Page(c echo.Context) error {
	q, err := parseList(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	counts, err := h.Jobs.Counts(ctx)
	if err != nil {
		return err
	}
	page, err := h.Jobs.List(ctx, q.filter, q.cursor, q.limit)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "admin_jobs", pageView{Filter: q.filter, Filters: jobs.Filters, Counts: counts, Page: page})
}

// Retry makes a failed, cancelled or retrying job available now (audited).
func (h *Handlers) Retry(c echo.Context) error {
	id, err := parseID(c)
	if err != nil {
		return err
	}
	if _, err := h.Jobs.Retry(c.Request().Context(), kit.UserOf(c).ID, id); err != nil {
		return err
	}
	h.Flash(c, "jobs.flash.retried")
	return c.Redirect(http.StatusSeeOther, "/admin/jobs?state="+string(jobs.FilterQueued))
}

// APIList lists jobs by state, newest first, a page at a time.
func (h *Handlers) APIList(c echo.Context) error {
	q, err := parseList(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := h.Jobs.List(ctx, q.filter, q.cursor, q.limit)
	if err != nil {
		return err
	}
	counts, err := h.Jobs.Counts(ctx)
	if err != nil {
		return err
	}
	out := map[string]int{}
	for f, n := range counts {
		if f != jobs.FilterAll {
			out[string(f)] = n
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"jobs": page.Jobs, "next": page.Next, "counts": out})
}

// APIGet returns one job.
func (h *Handlers) APIGet(c echo.Context) error {
	id, err := parseID(c)
	if err != nil {
		return err
	}
	j, err := h.Jobs.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, j)
}

// APIRetry makes a failed, cancelled or retrying job available now (audited).
func (h *Handlers) APIRetry(c echo.Context) error {
	id, err := parseID(c)
	if err != nil {
		return err
	}
	j, err := h.Jobs.Retry(c.Request().Context(), kit.UserOf(c).ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, j)
}
