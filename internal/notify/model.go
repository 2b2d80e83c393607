package notify

import (
	"encoding/json"
	"time"
)

// Notification is one message to one person: a row of their inbox, and
// the source of its e-mail. (EventKey, UserID) is unique, so an event told
// twice (a replayed webhook, two instances) is one message.
type Notification struct {
	ID        int64  `gorm:"primaryKey"`
	UserID    int64  `gorm:"not null"`
	Kind      Kind   `gorm:"not null"`
	EventKey  string `gorm:"not null"`
	Data      string `gorm:"not null"` // JSON []Field
	Link      string `gorm:"not null"` // site path of the exact page
	EmailedAt *time.Time
	ReadAt    *time.Time
	CreatedAt time.Time
}

// Fields decodes the message's details; a row that cannot be decoded
// shows none rather than failing a page.
func (n Notification) Fields() []Field {
	var fs []Field
	if err := json.Unmarshal([]byte(n.Data), &fs); err != nil {
		return nil
	}
	return fs
}

// Values is the details as a map, the data of the message templates
// (notify.<kind>.subject may say {{.code}}).
func (n Notification) Values() map[string]string {
	m := map[string]string{}
	for _, f := range n.Fields() {
		m[f.Name] = f.Value
	}
	return m
}

// Pref is a person's choice for one kind. No row means e-mail on.
type Pref struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Kind      Kind  `gorm:"primaryKey"`
	Email     bool  `gorm:"not null"`
	UpdatedAt time.Time
}

// TableName is notification_prefs.
func (Pref) TableName() string { return "notification_prefs" }
