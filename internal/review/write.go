package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/platform/auditchain"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Upload opens one uploaded photo; the service opens it only once the rest
// of the review has passed its checks.
type Upload func() (io.ReadCloser, error)

// Input is what a shopper writes.
type Input struct {
	Rating int
	Body   string
	Photos []Upload // at most MaxPhotos
}

// Author is the shopper writing, as the review shows them.
type Author struct {
	UserID int64
	Name   string
}

// Errors a review write may meet, each a 409 with its reason.
var (
	errNotDelivered = &errs.Reasoned{Err: errs.ErrConflict, Reason: "review.not_delivered"}
	errExists       = &errs.Reasoned{Err: errs.ErrConflict, Reason: "review.exists"}
	errReplied      = &errs.Reasoned{Err: errs.ErrConflict, Reason: "review.replied"}
	errHidden       = &errs.Reasoned{Err: errs.ErrConflict, Reason: "review.hidden_already"}
)

// check validates the input and returns it cleaned.
func (in Input) check() (Input, error) {
	var fields []errs.FieldError
	if in.Rating < MinRating || in.Rating > MaxRating {
		fields = append(fields, errs.FieldError{Field: "rating", Message: "review.rating_range"})
	}
	body, fe := cleanText("body", in.Body, MaxBodyLen, false)
	if fe != nil {
		fields = append(fields, *fe)
	}
	if len(in.Photos) > MaxPhotos {
		fields = append(fields, errs.FieldError{Field: "photos", Message: "review.too_many_photos"})
	}
	in.Body = body
	return in, fieldsErr(fields)
}

// Create writes the review of the author's line of variantID in their
// order group groupCode. The line must be the author's (else
// errs.ErrNotFound) and delivered (else the 409 review.not_delivered), and
// a line is reviewed once (the 409 review.exists, held by the unique
// order_item_id, so a burst of the same review leaves one row). Photos are
// stored after every other check and removed again when the review is not
// written; a bad photo is a validation error on "photos" and writes nothing.
func (s *Service) Create(ctx context.Context, a Author, groupCode string, variantID int64, in Input) (Review, error) {
	in, err := in.check()
	if err != nil {
		return Review{}, err
	}
	line, productID, err := s.reviewable(ctx, s.db, a.UserID, groupCode, variantID)
	if err != nil {
		return Review{}, err
	}
	stored, err := s.storePhotos(ctx, in.Photos)
	if err != nil {
		return Review{}, err
	}
	r := Review{Code: newCode(), ProductID: productID, ProducerID: line.ProducerID, OrderItemID: line.ItemID, UserID: a.UserID,
		AuthorName: a.Name, ProductName: line.ProductName, VariantName: line.VariantName, Rating: in.Rating, Body: in.Body, CreatedAt: auditchain.Now(), Photos: stored}
	err = db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if _, _, err := s.reviewable(ctx, tx, a.UserID, groupCode, variantID); err != nil {
			return err
		}
		if err := tx.Create(&r).Error; err != nil { // the photos go in with it (association)
			if db.IsDuplicate(err) {
				return errExists
			}
			return err
		}
		return tx.Exec(`INSERT INTO review_stats (product_id, review_count, rating_sum) VALUES (?, 1, ?)
			ON CONFLICT (product_id) DO UPDATE SET review_count = review_stats.review_count + 1,
			rating_sum = review_stats.rating_sum + excluded.rating_sum`, productID, r.Rating).Error
	})
	if err != nil {
		for _, p := range stored {
			err = errors.Join(err, s.photos.Discard(ctx, p.Key))
		}
		return Review{}, err
	}
	return r, nil
}

// reviewable finds the author's line and its product, in tx, and refuses a
// line that is not delivered or already reviewed.
func (s *Service) reviewable(ctx context.Context, tx *gorm.DB, userID int64, groupCode string, variantID int64) (order.ShopperLine, int64, error) {
	line, err := order.LineOfShopper(ctx, tx, userID, groupCode, variantID)
	if err != nil {
		return line, 0, err
	}
	if line.Status != order.StatusDelivered {
		return line, 0, errNotDelivered
	}
	var n int64
	if err := tx.WithContext(ctx).Model(&Review{}).Where("order_item_id = ?", line.ItemID).Count(&n).Error; err != nil {
		return line, 0, err
	}
	if n > 0 {
		return line, 0, errExists
	}
	sale, err := s.products.SaleLines(ctx, tx, []int64{variantID})
	if err != nil {
		return line, 0, err
	}
	v, ok := sale[variantID]
	if !ok { // the variant was removed from the catalogue since: nothing to attach the review to
		return line, 0, fmt.Errorf("variant %d: %w", variantID, errs.ErrNotFound)
	}
	return line, v.ProductID, nil
}

// storePhotos runs each upload through the photo pipeline. On a bad one,
// the ones already stored are removed and the error names "photos".
func (s *Service) storePhotos(ctx context.Context, ups []Upload) ([]Photo, error) {
	var out []Photo
	fail := func(err error) ([]Photo, error) {
		for _, p := range out {
			err = errors.Join(err, s.photos.Discard(ctx, p.Key))
		}
		if ve, ok := errs.AsValidation(err); ok {
			for i := range ve.Fields {
				ve.Fields[i].Field = "photos"
			}
		}
		return nil, err
	}
	for i, up := range ups {
		f, err := up()
		if err != nil {
			return fail(errs.Invalid("photos", "catalog.photo_type"))
		}
		st, err := s.photos.Store(ctx, f)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return fail(err)
		}
		out = append(out, Photo{Key: st.Key, Width: st.Width, Height: st.Height, Position: i})
	}
	return out, nil
}

// Reply records producerID's one reply to a review of one of its products.
// Another producer's review is errs.ErrNotFound; a second reply is the 409
// review.replied (a compare-and-set on replied_at, so two racing replies
// cannot both land).
func (s *Service) Reply(ctx context.Context, producerID, actorID int64, code, text string) (Review, error) {
	text, fe := cleanText("reply", text, MaxReplyLen, true)
	if fe != nil {
		return Review{}, &errs.ValidationError{Fields: []errs.FieldError{*fe}}
	}
	var r Review
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.WithContext(ctx).Where("code = ? AND producer_id = ?", code, producerID).Take(&r).Error; err != nil {
			if db.IsNotFound(err) {
				return fmt.Errorf("review %q: %w", code, errs.ErrNotFound)
			}
			return err
		}
		now := time.Now().UTC()
		res := tx.Model(&Review{}).Where("id = ? AND replied_at IS NULL", r.ID).
			Updates(map[string]any{"reply": text, "replied_at": now, "replied_by": actorID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errReplied
		}
		r.Reply, r.RepliedAt, r.RepliedBy = text, &now, &actorID
		return nil
	})
	return r, err
}

// Hide takes an abusive review off the storefront for good: an admin's
// act, audited with the reason in the same transaction, which also takes
// the rating out of the product's average. A review hidden already is the
// 409 review.hidden_already; an unknown one errs.ErrNotFound.
func (s *Service) Hide(ctx context.Context, actorID int64, code, reason string) (Review, error) {
	reason, fe := cleanText("reason", reason, MaxReason, true)
	if fe != nil {
		return Review{}, &errs.ValidationError{Fields: []errs.FieldError{*fe}}
	}
	var r Review
	err := db.Tx(ctx, s.db, func(tx *gorm.DB) error {
		// The chain's lock first: an appender never waits on the chain while holding a row.
		if err := auditchain.Lock(tx, auditTable); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Where("code = ?", code).Take(&r).Error; err != nil {
			if db.IsNotFound(err) {
				return fmt.Errorf("review %q: %w", code, errs.ErrNotFound)
			}
			return err
		}
		now := auditchain.Now()
		res := tx.Model(&Review{}).Where("id = ? AND hidden_at IS NULL", r.ID).
			Updates(map[string]any{"hidden_at": now, "hidden_reason": reason})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errHidden
		}
		r.HiddenAt, r.HiddenReason = &now, reason
		if err := tx.Exec("UPDATE review_stats SET review_count = review_count - 1, rating_sum = rating_sum - ? WHERE product_id = ?",
			r.Rating, r.ProductID).Error; err != nil {
			return err
		}
		return auditchain.Append(tx, auditTable, &Audit{ActorID: actorID, Action: "review.hide", Subject: r.Code, Reason: reason,
			Before: "visible", After: "hidden", CreatedAt: now})
	})
	return r, err
}
