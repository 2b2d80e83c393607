package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/chocop/ocop/internal/platform/gate"
)

// argon2id parameters, per RFC 9106's second recommended option (64 MiB, 3
// passes), lowered in memory to 19 MiB/2 passes as OWASP allows so that a
// 2-core server can take a burst of sign-ins.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of password with a fresh salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches encoded, in constant time.
func CheckPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("account: unknown password hash format")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("account: bad argon2 parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// HashSlots is how many argon2id hashes one Service computes at once: one
// per CPU, since a hash is pure CPU work and more at once only add memory
// (argonMemory each) without finishing sooner. HashWait is how long a
// sign-in waits for a slot before it is refused with 503 and Retry-After.
var (
	HashSlots = runtime.GOMAXPROCS(0)
	HashWait  = 3 * time.Second
)

// hasher runs password hashes behind a gate. running and peak count the
// hashes in progress, measured around argon2 itself, so a test can prove
// that no path hashes outside the gate.
type hasher struct {
	gate          *gate.Gate
	mu            sync.Mutex
	running, peak int
	// slow, when set by a test, runs inside each hash to hold it open.
	slow func()
}

func newHasher() *hasher {
	return &hasher{gate: gate.New("password hashing", HashSlots, HashWait)}
}

func (h *hasher) enter(ctx context.Context) (func(), error) {
	leave, err := h.gate.Enter(ctx)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.running++
	h.peak = max(h.peak, h.running)
	h.mu.Unlock()
	if h.slow != nil {
		h.slow()
	}
	return func() {
		h.mu.Lock()
		h.running--
		h.mu.Unlock()
		leave()
	}, nil
}

// hash is HashPassword behind the gate.
func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	leave, err := h.enter(ctx)
	if err != nil {
		return "", err
	}
	defer leave()
	return HashPassword(password)
}

// check is CheckPassword behind the gate.
func (h *hasher) check(ctx context.Context, encoded, password string) (bool, error) {
	leave, err := h.enter(ctx)
	if err != nil {
		return false, err
	}
	defer leave()
	return CheckPassword(encoded, password)
}
