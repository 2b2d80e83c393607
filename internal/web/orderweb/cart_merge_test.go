package orderweb

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/web/kit"
	"github.com/chocop/ocop/seed/seedtest"
)

// TestMergeGuestCartHook proves the hook the sign-in handler calls: the
// guest cart behind the cookie joins the account's cart and the cookie is
// cleared.
func TestMergeGuestCartHook(t *testing.T) {
	seedtest.Each(t, func(t *testing.T, g *gorm.DB) {
		ctx := context.Background()
		p := approvedProducer(t, g)
		accounts := account.NewService(g, nil)
		h := &Handlers{Kit: &kit.Kit{Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
			Orders: order.NewService(g, time.Hour, payment.CommissionBP)}
		now := time.Now().UTC()
		prod := catalog.Product{ProducerID: p.ID, Slug: "hook-test", Name: "Quýt Bắc Sơn", GroupCode: "I.1.a", Status: catalog.StatusPublished, CreatedAt: now, UpdatedAt: now}
		g.Create(&prod)
		v := catalog.Variant{ProductID: prod.ID, ProducerID: p.ID, SKU: "Q-1", Name: "2 kg", Price: 90000, Stock: 9, CreatedAt: now, UpdatedAt: now}
		g.Create(&v)
		guest := "guest-cookie-token-0123456789abcdef0123"
		if err := h.Orders.Add(ctx, order.Owner{Token: guest}, v.ID, 2); err != nil {
			t.Fatal(err)
		}
		u, err := accounts.UserByEmail(ctx, "shopper@example.com")
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", "/login", nil)
		req.AddCookie(&http.Cookie{Name: cartCookie, Value: guest})
		rec := httptest.NewRecorder()
		h.MergeGuestCart(echo.New().NewContext(req, rec), u)
		q, err := h.Orders.View(ctx, order.Owner{UserID: u.ID}, "")
		if err != nil || q.Count != 2 {
			t.Fatalf("account cart after sign-in holds %d units (%v), want 2", q.Count, err)
		}
		if c := rec.Result().Cookies(); len(c) != 1 || c[0].Name != cartCookie || c[0].MaxAge >= 0 {
			t.Fatalf("cookies set = %v, want the cart cookie cleared", c)
		}
	})
}
