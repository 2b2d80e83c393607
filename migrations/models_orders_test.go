package migrations_test

import (
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
)

func init() {
	models = append(models,
		&order.Cart{}, &order.CartItem{}, &order.Group{}, &order.Order{}, &order.Item{}, &order.Event{}, &order.ShippingRate{}, &order.SavedAddress{},
		&payment.Entry{}, &payment.WebhookEvent{}, &payment.Issue{}, &payment.Audit{}, &payment.Payout{}, &payment.Setting{})
}

func init() { models = append(models, &payment.ProviderCall{}) }
