// Package order holds carts, checkout, order groups and their per-producer
// orders, stock reservation and the order state machine. A checkout makes
// one order group (paid once, by one payment) split into one order per
// producer, each fulfilled by its producer on its own.
package order

import "time"

// Cart is a shopper's cart: a signed-in user's (UserID) or a guest's,
// found by the hash of a cookie token.
type Cart struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    *int64
	TokenHash *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CartItem is one variant in a cart, with the price the shopper was shown
// when it went in: checkout refuses a price that has changed since.
type CartItem struct {
	ID        int64 `gorm:"primaryKey"`
	CartID    int64 `gorm:"not null"`
	VariantID int64 `gorm:"not null"`
	Quantity  int64 `gorm:"not null"`
	UnitPrice int64 `gorm:"not null"`
	CreatedAt time.Time
}

// GroupStatus is the payment state of an order group.
type GroupStatus string

// Group statuses: pending until paid or expired.
const (
	GroupPending   GroupStatus = "pending"
	GroupPaid      GroupStatus = "paid"
	GroupExpired   GroupStatus = "expired"
	GroupCancelled GroupStatus = "cancelled"
)

// Payment methods.
const (
	MethodVietQR = "vietqr"
	MethodCard   = "card"
)

// Group is one checkout: paid once, split into one Order per producer.
type Group struct {
	ID              int64       `gorm:"primaryKey"`
	Code            string      `gorm:"not null;uniqueIndex"`
	UserID          int64       `gorm:"not null"`
	Status          GroupStatus `gorm:"not null"`
	PaymentMethod   string      `gorm:"not null"`
	ItemsTotal      int64       `gorm:"not null"`
	ShippingTotal   int64       `gorm:"not null"`
	Total           int64       `gorm:"not null"`
	RecipientName   string      `gorm:"not null"`
	Phone           string      `gorm:"not null"`
	ProvinceCode    string      `gorm:"not null"`
	CommuneCode     string      `gorm:"not null"`
	Street          string      `gorm:"not null"`
	Note            string
	AdultConfirmed  bool
	StripeSessionID string
	PaymentRef      string
	ExpiresAt       time.Time
	PaidAt          *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time

	Orders []Order `gorm:"foreignKey:GroupID"`
}

// TableName is order_groups.
func (Group) TableName() string { return "order_groups" }

// Status of one producer's order.
type Status string

// Order statuses; see transitions in state.go.
const (
	StatusPending   Status = "pending"
	StatusPaid      Status = "paid"
	StatusConfirmed Status = "confirmed"
	StatusPacked    Status = "packed"
	StatusShipped   Status = "shipped"
	StatusDelivered Status = "delivered"
	StatusCancelled Status = "cancelled" // cancelled before payment
	StatusRefunded  Status = "refunded"  // cancelled after payment, money returned
	StatusExpired   Status = "expired"
)

// Order is one producer's part of a group, with its own shipping and the
// commission rate in force at checkout (basis points).
type Order struct {
	ID            int64  `gorm:"primaryKey"`
	Code          string `gorm:"not null;uniqueIndex"`
	GroupID       int64  `gorm:"not null"`
	ProducerID    int64  `gorm:"not null"`
	Status        Status `gorm:"not null"`
	ItemsTotal    int64  `gorm:"not null"`
	Shipping      int64  `gorm:"not null"`
	Total         int64  `gorm:"not null"`
	CommissionBP  int    `gorm:"column:commission_bp;not null"`
	Commission    int64  `gorm:"not null"`
	IsService     bool   // group VI only: a voucher, no shipment
	VoucherCode   string
	Carrier       string
	TrackingCode  string
	CancelReason  string
	StockReleased bool // set by the one update that gives the stock back
	CreatedAt     time.Time
	UpdatedAt     time.Time

	Items  []Item  `gorm:"foreignKey:OrderID"`
	Events []Event `gorm:"foreignKey:OrderID"`
}

// Payable is what the producer is owed for the order: everything but the commission.
func (o Order) Payable() int64 { return o.Total - o.Commission }

// Item is a line of an order with the price and names as they were at checkout.
type Item struct {
	ID          int64  `gorm:"primaryKey"`
	OrderID     int64  `gorm:"not null"`
	VariantID   int64  `gorm:"not null"`
	ProductName string `gorm:"not null"`
	VariantName string `gorm:"not null"`
	SKU         string `gorm:"column:sku;not null"`
	UnitPrice   int64  `gorm:"not null"`
	Quantity    int64  `gorm:"not null"`
	WeightGrams int
}

// TableName is order_items.
func (Item) TableName() string { return "order_items" }

// Event is one step of an order's timeline.
type Event struct {
	ID         int64  `gorm:"primaryKey"`
	OrderID    int64  `gorm:"not null"`
	FromStatus Status `gorm:"not null"`
	ToStatus   Status `gorm:"not null"`
	ActorID    *int64
	Note       string
	CreatedAt  time.Time
}

// TableName is order_events.
func (Event) TableName() string { return "order_events" }

// ShippingRate is one weight band of the admin's shipping table. "*"
// matches any province.
type ShippingRate struct {
	ID               int64  `gorm:"primaryKey" json:"id"`
	FromProvinceCode string `gorm:"not null" json:"from_province_code"`
	ToProvinceCode   string `gorm:"not null" json:"to_province_code"`
	MaxGrams         int    `gorm:"not null" json:"max_grams"`
	Fee              int64  `gorm:"not null" json:"fee"`
}
