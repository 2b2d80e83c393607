package catalogweb

import (
	"context"
	"strings"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/review"
)

// Reviews is what the storefront reads of the review area (review.Service).
type Reviews interface {
	// Summaries are the visible reviews' count and average, by product id.
	Summaries(ctx context.Context, productIDs []int64) (map[int64]review.Summary, error)
	// Visible lists a product's visible reviews, newest first.
	Visible(ctx context.Context, productID, before int64, limit int) ([]review.Review, bool, error)
}

// Sales is what the product page reads of the order area (order.Service).
type Sales interface {
	// UnitsSold sums the units of the variants in paid, fulfilled or delivered orders.
	UnitsSold(ctx context.Context, variantIDs []int64) (int64, error)
}

// ProductPageReviews is how many reviews the product page shows (the API lists them all).
const ProductPageReviews = 10

// ratings are the review summaries of products, by id, as card fields.
func (h *Handlers) ratings(ctx context.Context, ids []int64) (map[int64]*review.Summary, error) {
	out := map[int64]*review.Summary{}
	if h.Reviews == nil {
		return out, nil
	}
	sums, err := h.Reviews.Summaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, s := range sums {
		out[id] = &s
	}
	return out, nil
}

// reviewView is a review as the product page shows it.
type reviewView struct {
	Author  string
	Rating  int
	Variant string
	Date    string // Vietnam date, for people
	ISODate string // for JSON-LD and <time>
	Body    []string
	Photos  []photoJSON
	Reply   []string
}

// productReviews loads what the product page shows of reviews and sales.
func (h *Handlers) productReviews(ctx context.Context, v *productView) error {
	if h.Reviews != nil {
		list, more, err := h.Reviews.Visible(ctx, v.Product.ID, 0, ProductPageReviews)
		if err != nil {
			return err
		}
		v.MoreReviews = more
		for _, r := range list {
			rv := reviewView{Author: r.AuthorName, Rating: r.Rating, Variant: r.VariantName, Date: r.CreatedAt.In(day.Zone).Format("02/01/2006"),
				ISODate: r.CreatedAt.In(day.Zone).Format("2006-01-02"), Body: paragraphs(r.Body), Reply: paragraphs(r.Reply)}
			for _, p := range r.Photos {
				rv.Photos = append(rv.Photos, photoURLs(p.Key, p.Width, p.Height))
			}
			v.Reviews = append(v.Reviews, rv)
		}
	}
	if h.Sales != nil {
		ids := make([]int64, len(v.Product.Variants))
		for i, x := range v.Product.Variants {
			ids[i] = x.ID
		}
		n, err := h.Sales.UnitsSold(ctx, ids)
		if err != nil {
			return err
		}
		v.UnitsSold = n
	}
	return nil
}

// reviewsLD adds the visible reviews to a schema.org Product: the
// aggregate of all of them and the ones the page shows. Hidden reviews are
// in neither (the review area leaves them out of both).
func reviewsLD(ld map[string]any, v productView) {
	r := v.Product.Rating
	if r == nil || r.Count == 0 {
		return
	}
	ld["aggregateRating"] = map[string]any{"@type": "AggregateRating", "ratingValue": r.Average, "reviewCount": r.Count,
		"bestRating": review.MaxRating, "worstRating": review.MinRating}
	var list []map[string]any
	for _, x := range v.Reviews {
		e := map[string]any{"@type": "Review", "author": map[string]any{"@type": "Person", "name": x.Author}, "datePublished": x.ISODate,
			"reviewRating": map[string]any{"@type": "Rating", "ratingValue": x.Rating, "bestRating": review.MaxRating, "worstRating": review.MinRating}}
		if len(x.Body) > 0 {
			e["reviewBody"] = strings.Join(x.Body, "\n\n")
		}
		list = append(list, e)
	}
	if len(list) > 0 {
		ld["review"] = list
	}
}
