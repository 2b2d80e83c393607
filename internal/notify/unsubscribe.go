package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chocop/ocop/internal/platform/errs"
)

// strictB64 rejects base64 whose unused trailing bits are not zero, so each
// token has one spelling: a changed last character is never the same token.
var strictB64 = base64.RawURLEncoding.Strict()

// UnsubscribeTTL is how long an unsubscribe link in an e-mail works: long
// enough for an old message, short enough that a leaked link dies.
const UnsubscribeTTL = 365 * 24 * time.Hour

// ErrBadLink is an unsubscribe link that was altered, is not ours or has
// expired: 400, and nothing changes.
var ErrBadLink = &errs.Reasoned{Err: errs.Invalid("token", "notify.bad_link"), Reason: "notify.bad_link"}

// maxTokenLen bounds a token before any decoding: a real one is ~90 bytes.
const maxTokenLen = 256

// UnsubscribeToken signs "userID may turn off e-mail of kind until exp".
// It is opaque in the URL and carries no secret; the HMAC is the
// authority, so the link works without signing in (RFC 8058).
func (s *Service) UnsubscribeToken(userID int64, kind Kind, exp time.Time) string {
	payload := "v1|" + strconv.FormatInt(userID, 10) + "|" + string(kind) + "|" + strconv.FormatInt(exp.Unix(), 10)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload))
}

func (s *Service) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.unsubKey)
	m.Write([]byte("ocop-unsubscribe\x00" + payload))
	return m.Sum(nil)
}

// Unsubscription is what a valid unsubscribe link stands for.
type Unsubscription struct {
	UserID int64
	Kind   Kind
}

// CheckUnsubscribe verifies token: ErrBadLink unless it is ours, intact
// and not expired.
func (s *Service) CheckUnsubscribe(token string, now time.Time) (Unsubscription, error) {
	if len(token) > maxTokenLen {
		return Unsubscription{}, ErrBadLink
	}
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return Unsubscription{}, ErrBadLink
	}
	payload, err1 := strictB64.DecodeString(p64)
	mac, err2 := strictB64.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(string(payload))) { // security: constant-time compare
		return Unsubscription{}, ErrBadLink
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 4 || parts[0] != "v1" {
		return Unsubscription{}, ErrBadLink
	}
	uid, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[3], 10, 64)
	kind := Kind(parts[2])
	if err1 != nil || err2 != nil || !kind.Valid() || now.Unix() > exp {
		return Unsubscription{}, ErrBadLink
	}
	return Unsubscription{UserID: uid, Kind: kind}, nil
}

// Unsubscribe turns off e-mail of the link's kind for the link's person.
// Doing it twice is fine.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	u, err := s.CheckUnsubscribe(token, time.Now())
	if err != nil {
		return u, err
	}
	if err := setPref(ctx, s.db, u.UserID, u.Kind, false); err != nil {
		return u, fmt.Errorf("unsubscribe: %w", err)
	}
	return u, nil
}

// UnsubscribeURL is the absolute one-click link for userID and kind.
func (s *Service) UnsubscribeURL(userID int64, kind Kind, now time.Time) string {
	return s.baseURL + "/notifications/unsubscribe/" + s.UnsubscribeToken(userID, kind, now.Add(UnsubscribeTTL))
}
