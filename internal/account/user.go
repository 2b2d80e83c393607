// Package account holds users, their roles, server-side sessions, API tokens
// and password hashing.
package account

import (
	"time"
)

// Role is what a user is allowed to be in the system.
type Role string

// The four roles. A producer user is a member of exactly one producer; an
// officer is scoped to one province or to the central level.
const (
	RoleShopper  Role = "shopper"
	RoleProducer Role = "producer"
	RoleOfficer  Role = "officer"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleShopper, RoleProducer, RoleOfficer, RoleAdmin:
		return true
	}
	return false
}

// OfficerLevel says where an officer sits.
type OfficerLevel string

// Officer levels: commune People's Committees (which check dossiers and
// propose products to the province, Decision 1489), provincial agriculture
// departments and the central ministry.
const (
	LevelNone     OfficerLevel = ""
	LevelCommune  OfficerLevel = "commune"
	LevelProvince OfficerLevel = "province"
	LevelCentral  OfficerLevel = "central"
)

// User is a person who can sign in.
type User struct {
	ID                  int64  `gorm:"primaryKey"`
	Email               string `gorm:"not null;uniqueIndex"`
	Name                string `gorm:"not null"`
	PasswordHash        string `gorm:"not null" json:"-"`
	Role                Role   `gorm:"not null"`
	OfficerLevel        OfficerLevel
	OfficerProvinceCode *string
	OfficerCommuneCode  *string // a commune officer's commune (their province is OfficerProvinceCode)
	Locale              string  `gorm:"not null"`
	DisabledAt          *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// IsCentralOfficer reports whether u evaluates at the central (ministry) level.
func (u User) IsCentralOfficer() bool { return u.Role == RoleOfficer && u.OfficerLevel == LevelCentral }

// IsCommuneOfficer reports whether u is a commune officer: they see their
// commune's applications at the proposal stage and nothing else.
func (u User) IsCommuneOfficer() bool {
	return u.Role == RoleOfficer && u.OfficerLevel == LevelCommune && u.OfficerCommuneCode != nil
}

// CommuneOfficerOf reports whether u is a commune officer of communeCode.
func (u User) CommuneOfficerOf(communeCode string) bool {
	return u.IsCommuneOfficer() && *u.OfficerCommuneCode == communeCode
}

// OfficerOf reports whether u is a provincial officer of provinceCode (a
// commune officer of the province is not: they act only on proposals).
func (u User) OfficerOf(provinceCode string) bool {
	return u.Role == RoleOfficer && u.OfficerLevel == LevelProvince &&
		u.OfficerProvinceCode != nil && *u.OfficerProvinceCode == provinceCode
}

// Session is a signed-in browser. Only the SHA-256 of its token is stored,
// so a leaked database cannot be replayed as cookies.
type Session struct {
	ID         int64  `gorm:"primaryKey"`
	TokenHash  string `gorm:"not null;uniqueIndex"`
	UserID     int64  `gorm:"not null"`
	ExpiresAt  time.Time
	LastSeenAt time.Time
	UserAgent  string
	CreatedAt  time.Time
}

// APIToken is a bearer token for /api/v1. Like sessions, only its hash is kept;
// the token itself is shown once, when it is made.
type APIToken struct {
	ID         int64  `gorm:"primaryKey"`
	TokenHash  string `gorm:"not null;uniqueIndex"`
	UserID     int64  `gorm:"not null"`
	Name       string
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
	CreatedAt  time.Time
}

// TableName keeps GORM from pluralising to "api_tokens" differently across versions.
func (APIToken) TableName() string { return "api_tokens" }
