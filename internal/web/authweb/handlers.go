// Package authweb serves signing in and out, registration, the account
// page and the language switch, and their API twins (tokens, register, me).
package authweb

import (
	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/web/kit"
)

// GuestCarts joins the cart a visitor filled as a guest into their
// account's cart when they sign in (orderweb.Handlers).
type GuestCarts interface {
	MergeGuestCart(c echo.Context, u account.User)
}

// Handlers are the sign-in, registration and account handlers.
type Handlers struct {
	*kit.Kit
	Accounts  *account.Service
	Producers *producer.Store // a producer's slug in their API profile
	Carts     GuestCarts
}
