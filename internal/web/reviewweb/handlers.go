// Package reviewweb serves verified-purchase reviews: the shopper's review
// form (from their order page), the producer's replies in the portal, the
// admin's hiding, and the same as JSON under /api/v1. The product page and
// cards read reviews through catalogweb; every rule is review.Service's.
package reviewweb

import (
	"context"
	"time"

	"github.com/chocop/ocop/internal/platform/cursor"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the review handlers.
type Handlers struct {
	*kit.Kit
	Reviews   *review.Service
	Producers ProducerOfUser
	Cursors   *cursor.Codec // signed cursors of review lists
}

// ProducerOfUser finds the producer a signed-in user acts for (producer.Store).
type ProducerOfUser interface {
	OfUser(ctx context.Context, userID int64) (producer.Producer, error)
}

// photoJSON is a review photo's URLs (served by /media, like product photos).
type photoJSON struct {
	CardURL string `json:"card_url"`
	PageURL string `json:"page_url"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

// replyJSON is the producer's reply.
type replyJSON struct {
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// reviewJSON is a review in the API.
type reviewJSON struct {
	Code      string      `json:"code"`
	Rating    int         `json:"rating"`
	Body      string      `json:"body"`
	Author    string      `json:"author"`
	Product   string      `json:"product"`
	Variant   string      `json:"variant"`
	CreatedAt time.Time   `json:"created_at"`
	Photos    []photoJSON `json:"photos"`
	Reply     *replyJSON  `json:"reply"`
	Hidden    bool        `json:"hidden"`
}

func reviewOf(r review.Review) reviewJSON {
	out := reviewJSON{Code: r.Code, Rating: r.Rating, Body: r.Body, Author: r.AuthorName, Product: r.ProductName, Variant: r.VariantName,
		CreatedAt: r.CreatedAt, Photos: []photoJSON{}, Hidden: !r.Visible()}
	for _, p := range r.Photos {
		out.Photos = append(out.Photos, photoJSON{CardURL: "/media/" + p.Key + "-card.jpg", PageURL: "/media/" + p.Key + "-page.jpg", Width: p.Width, Height: p.Height})
	}
	if r.RepliedAt != nil {
		out.Reply = &replyJSON{Body: r.Reply, CreatedAt: *r.RepliedAt}
	}
	return out
}
