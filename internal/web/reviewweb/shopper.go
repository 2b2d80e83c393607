package reviewweb

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/kit"
)

// formView is the review page: the line, the review written of it, or the
// form with what the shopper typed and each field's error.
type formView struct {
	GroupCode string
	VariantID int64
	Line      review.Line
	Delivered bool
	Rating    int
	Body      string
	Errors    map[string]string
	MaxPhotos int
	MaxBody   int
	Choices   []int // the ratings offered, 1 to 5
}

// line reads the route's group code and variant; a variant id that is not
// a number names no line (404).
func line(c echo.Context) (string, int64, error) {
	id, err := strconv.ParseInt(c.Param("variant_id"), 10, 64)
	if err != nil || id <= 0 {
		return "", 0, errs.ErrNotFound
	}
	return c.Param("code"), id, nil
}

// ReviewPage is where a shopper reviews a line of their order: the form
// when the line is delivered and not yet reviewed, else what stands.
func (h *Handlers) ReviewPage(c echo.Context) error {
	code, vid, err := line(c)
	if err != nil {
		return err
	}
	l, err := h.Reviews.LineOf(c.Request().Context(), kit.UserOf(c).ID, code, vid)
	if err != nil {
		return err
	}
	return h.Render(c, http.StatusOK, "review_form", h.form(code, vid, l))
}

func (h *Handlers) form(code string, vid int64, l review.Line) formView {
	return formView{GroupCode: code, VariantID: vid, Line: l, Delivered: l.Status == order.StatusDelivered,
		MaxPhotos: review.MaxPhotos, MaxBody: review.MaxBodyLen, Choices: []int{1, 2, 3, 4, 5}}
}

// CreateReview takes the review form (multipart, with up to three photos).
// A validation error (a rating out of range, a bad text, a fourth or
// non-image photo) shows the form again with the rating and text kept and
// the error beside its field; nothing is written.
func (h *Handlers) CreateReview(c echo.Context) error {
	ctx := c.Request().Context()
	code, vid, err := line(c)
	if err != nil {
		return err
	}
	u := kit.UserOf(c)
	in, err := input(c)
	if err != nil {
		return err
	}
	_, err = h.Reviews.Create(ctx, review.Author{UserID: u.ID, Name: u.Name}, code, vid, in)
	if fe := kit.FormErrors(err); fe != nil {
		l, lerr := h.Reviews.LineOf(ctx, u.ID, code, vid)
		if lerr != nil {
			return lerr
		}
		v := h.form(code, vid, l)
		v.Rating, v.Body, v.Errors = in.Rating, in.Body, fe
		return h.Render(c, http.StatusBadRequest, "review_form", v)
	}
	if err != nil {
		return err
	}
	h.Flash(c, "review.thanks")
	return c.Redirect(http.StatusSeeOther, "/orders/"+code+"/reviews/"+strconv.FormatInt(vid, 10))
}

// apiReviewRequest is the JSON body of a review (photos come by multipart).
type apiReviewRequest struct {
	Rating int    `json:"rating"`
	Body   string `json:"body"`
}

// APICreate writes a review of the caller's order line: JSON (rating and
// body) or multipart/form-data (rating, body and up to three photos).
func (h *Handlers) APICreate(c echo.Context) error {
	code, vid, err := line(c)
	if err != nil {
		return err
	}
	var in review.Input
	if isMultipart(c) {
		if in, err = input(c); err != nil {
			return err
		}
	} else {
		var req apiReviewRequest
		if err := h.BindJSON(c, &req); err != nil {
			return err
		}
		in = review.Input{Rating: req.Rating, Body: req.Body}
	}
	u := kit.UserOf(c)
	r, err := h.Reviews.Create(c.Request().Context(), review.Author{UserID: u.ID, Name: u.Name}, code, vid, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, reviewOf(r))
}

func isMultipart(c echo.Context) bool {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	return mt == echo.MIMEMultipartForm
}

// input reads a review form: rating, body and the photos. A rating that is
// not a number is 0, which the service refuses beside the field; a file
// input left empty sends a part with no name and no bytes, which is no photo.
func input(c echo.Context) (review.Input, error) {
	rating, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("rating")))
	in := review.Input{Rating: rating, Body: c.FormValue("body")}
	if !isMultipart(c) {
		return in, nil
	}
	form, err := c.MultipartForm()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return in, echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return in, echo.NewHTTPError(http.StatusBadRequest, "the multipart form could not be read")
	}
	for _, fh := range form.File["photos"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		in.Photos = append(in.Photos, opener(fh))
	}
	return in, nil
}

func opener(fh *multipart.FileHeader) review.Upload {
	return func() (io.ReadCloser, error) { return fh.Open() }
}
