package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Lifetimes of credentials.
const (
	SessionTTL  = 30 * 24 * time.Hour
	APITokenTTL = 30 * 24 * time.Hour
)

// ErrBadCredentials is returned for a wrong password and for an unknown
// e-mail alike, so that sign-in never tells which accounts exist.
var ErrBadCredentials error = &errs.Reasoned{Err: fmt.Errorf("wrong e-mail or password: %w", errs.ErrUnauthorized),
	Reason: "login.bad_credentials", Code: "auth.bad_credentials"}

// ErrRateLimited refuses a sign-in attempt past the limit (429), even with
// the right password.
var ErrRateLimited error = &errs.Reasoned{Err: errs.ErrTooMany, Reason: "login.too_many", Code: "auth.rate_limited"}

// Service manages users and their credentials.
type Service struct {
	db      *gorm.DB
	limiter *Limiter
	now     func() time.Time
	hasher  *hasher
}

// NewService returns a Service on g. limiter may be nil to disable sign-in
// rate limiting. Password hashes are bounded per Service (HashSlots at once).
func NewService(g *gorm.DB, limiter *Limiter) *Service {
	return &Service{db: g, limiter: limiter, now: func() time.Time { return time.Now().UTC() }, hasher: newHasher()}
}

// NewUser is what it takes to create a user.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     Role
	Locale   string
	// Officer scope, only for RoleOfficer.
	OfficerLevel        OfficerLevel
	OfficerProvinceCode string
	OfficerCommuneCode  string // a commune officer's commune, in OfficerProvinceCode (the caller checks it is)
}

// Create makes a user. A taken e-mail is errs.ErrConflict.
func (s *Service) Create(ctx context.Context, in NewUser) (User, error) {
	u, err := s.Prepare(ctx, in)
	if err != nil {
		return User{}, err
	}
	return s.InsertTx(ctx, s.db, u)
}

// Prepare checks in and hashes its password, writing nothing: the user
// Create would insert. A caller that must record the creation with it (the
// registry's audit log) inserts it with InsertTx in its own transaction,
// so the slow hash is never inside that transaction.
func (s *Service) Prepare(ctx context.Context, in NewUser) (User, error) {
	if !in.Role.Valid() {
		return User{}, errs.Invalid("role", "validation.oneof")
	}
	if len(in.Password) < 8 {
		return User{}, errs.Invalid("password", "validation.min")
	}
	if strings.TrimSpace(in.Name) == "" { // every door: the forms, the API and `ocop user create`
		return User{}, errs.Invalid("name", "validation.required")
	}
	hash, err := s.hasher.hash(ctx, in.Password)
	if err != nil {
		return User{}, err
	}
	u := User{
		Email:        NormalizeEmail(in.Email),
		Name:         strings.TrimSpace(in.Name),
		PasswordHash: hash,
		Role:         in.Role,
		Locale:       orLocale(in.Locale),
	}
	if in.Role == RoleOfficer {
		u.OfficerLevel = in.OfficerLevel
		switch in.OfficerLevel {
		case LevelProvince, LevelCommune:
			if in.OfficerProvinceCode == "" {
				return User{}, errs.Invalid("province", "validation.required")
			}
			code := in.OfficerProvinceCode
			u.OfficerProvinceCode = &code
			if in.OfficerLevel == LevelCommune {
				if in.OfficerCommuneCode == "" {
					return User{}, errs.Invalid("commune", "validation.required")
				}
				cc := in.OfficerCommuneCode
				u.OfficerCommuneCode = &cc
			}
		case LevelCentral:
		default:
			return User{}, errs.Invalid("officer_level", "validation.oneof")
		}
	}
	return u, nil
}

// InsertTx inserts u (from Prepare) through tx. A taken e-mail is
// errs.ErrConflict.
func (s *Service) InsertTx(ctx context.Context, tx *gorm.DB, u User) (User, error) {
	err := tx.WithContext(ctx).Create(&u).Error
	if db.IsDuplicate(err) {
		return User{}, &errs.Reasoned{Err: errs.ErrConflict, Reason: "account.email_taken"}
	}
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return User{}, errs.Invalid("province", "validation.exists")
	}
	return u, err
}

// Register makes a shopper account, the only role anyone may give themselves.
func (s *Service) Register(ctx context.Context, email, name, password, locale string) (User, error) {
	return s.Create(ctx, NewUser{Email: email, Name: name, Password: password, Role: RoleShopper, Locale: locale})
}

// Authenticate checks an e-mail and password. key identifies the client for
// rate limiting (its IP address). Errors: ErrBadCredentials, errs.ErrTooMany
// (with a retry hint), errs.ErrUnavailable when too many hashes are running.
func (s *Service) Authenticate(ctx context.Context, email, password, key string) (User, error) {
	email = NormalizeEmail(email)
	limitKey := key + "|" + email
	// security: the attempt is counted before the password is hashed, so a
	// burst of parallel guesses gets max tries, not as many as it sends.
	if s.limiter != nil {
		if ok, wait := s.limiter.Take(limitKey); !ok {
			return User{}, &errs.Later{Err: ErrRateLimited, After: wait}
		}
	}
	u, err := s.authenticate(ctx, email, password)
	if s.limiter != nil {
		switch {
		case err == nil:
			s.limiter.Reset(limitKey)
		case !errors.Is(err, ErrBadCredentials):
			s.limiter.Release(limitKey) // the password was never checked (busy, database error): not a guess
		}
	}
	return u, err
}

func (s *Service) authenticate(ctx context.Context, email, password string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", email).Take(&u).Error
	if db.IsNotFound(err) {
		// Hash anyway so that an unknown e-mail takes as long as a wrong password.
		if _, err := s.hasher.check(ctx, dummyHash, password); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	ok, err := s.hasher.check(ctx, u.PasswordHash, password)
	if err != nil {
		return User{}, err
	}
	if !ok || u.DisabledAt != nil {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// dummyHash is a valid argon2id hash of a random password, used to spend the
// same time on unknown e-mails.
var dummyHash = mustHash("not-a-real-password-x9")

// mustHash hashes at start; a failure would leave unknown e-mails answering
// faster than wrong passwords, so it stops the program instead.
func mustHash(password string) string {
	h, err := HashPassword(password)
	if err != nil {
		panic("account: dummy hash: " + err.Error())
	}
	return h
}

// Emails returns the e-mail addresses of the users with ids, by id, in one
// query (lists that name who did what read them all at once); unknown ids
// are absent.
func (s *Service) Emails(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    int64
		Email string
	}
	if err := s.db.WithContext(ctx).Model(&User{}).Select("id, email").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Email
	}
	return out, nil
}

// UserByEmail returns the user with email, or errs.ErrNotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error
	if db.IsNotFound(err) {
		return u, fmt.Errorf("user %q: %w", email, errs.ErrNotFound)
	}
	return u, err
}

// UserByID returns the user with id, or errs.ErrNotFound (a job acting for
// the user who started it reads them again, disabled or not).
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Take(&u, id).Error
	if db.IsNotFound(err) {
		return u, fmt.Errorf("user %d: %w", id, errs.ErrNotFound)
	}
	return u, err
}

// StartSession records a new browser session for userID and returns the
// cookie token.
func (s *Service) StartSession(ctx context.Context, userID int64, userAgent string) (string, error) {
	token, hash := NewToken()
	now := s.now()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	err := s.db.WithContext(ctx).Create(&Session{TokenHash: hash, UserID: userID, ExpiresAt: now.Add(SessionTTL), LastSeenAt: now, UserAgent: userAgent, CreatedAt: now}).Error
	return token, err
}

// SessionUser returns the user of a live session token, or errs.ErrUnauthorized.
func (s *Service) SessionUser(ctx context.Context, token string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).
		Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.token_hash = ? AND sessions.expires_at > ? AND users.disabled_at IS NULL", HashToken(token), s.now()).
		Take(&u).Error
	if db.IsNotFound(err) {
		return u, fmt.Errorf("session: %w", errs.ErrUnauthorized)
	}
	return u, err
}

// EndSession deletes the session with token; ending an unknown session is not an error.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("token_hash = ?", HashToken(token)).Delete(&Session{}).Error
}

// IssueAPIToken makes a bearer token for userID. The token is returned once
// and only its hash is stored.
func (s *Service) IssueAPIToken(ctx context.Context, userID int64, name string) (string, time.Time, error) {
	token, hash := NewToken()
	now := s.now()
	t := APIToken{TokenHash: hash, UserID: userID, Name: name, ExpiresAt: now.Add(APITokenTTL), CreatedAt: now}
	if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
		return "", time.Time{}, err
	}
	return "ocop_" + token, t.ExpiresAt, nil
}

// TokenUser returns the user of a live, unrevoked API token, or errs.ErrUnauthorized.
func (s *Service) TokenUser(ctx context.Context, token string) (User, error) {
	token = strings.TrimPrefix(token, "ocop_")
	var u User
	err := s.db.WithContext(ctx).
		Joins("JOIN api_tokens ON api_tokens.user_id = users.id").
		Where("api_tokens.token_hash = ? AND api_tokens.expires_at > ? AND api_tokens.revoked_at IS NULL AND users.disabled_at IS NULL", HashToken(token), s.now()).
		Take(&u).Error
	if db.IsNotFound(err) {
		return u, fmt.Errorf("api token: %w", errs.ErrUnauthorized)
	}
	return u, err
}

// RevokeAPIToken revokes token; it stays in the table for the audit trail.
func (s *Service) RevokeAPIToken(ctx context.Context, token string) error {
	token = strings.TrimPrefix(token, "ocop_")
	return s.db.WithContext(ctx).Model(&APIToken{}).
		Where("token_hash = ? AND revoked_at IS NULL", HashToken(token)).
		Update("revoked_at", s.now()).Error
}

// SetLocale remembers the user's language.
func (s *Service) SetLocale(ctx context.Context, userID int64, locale string) error {
	return s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Update("locale", orLocale(locale)).Error
}

// NormalizeEmail trims and lower-cases an address so that one mailbox is one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func orLocale(l string) string {
	if l == "en" {
		return "en"
	}
	return "vi"
}
