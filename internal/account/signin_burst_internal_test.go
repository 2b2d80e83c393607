package account

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/platform/gate"
)

const burstPassword = "dung-mat-khau"

func burstService(t *testing.T, g *gorm.DB, slots int, wait time.Duration) *Service {
	t.Helper()
	s := NewService(g, NewLimiter(5, 15*time.Minute))
	s.hasher = &hasher{gate: gate.New("test hashing", slots, wait)}
	if _, err := s.UserByEmail(context.Background(), "burst@example.com"); err == nil {
		return s
	}
	if _, err := s.Create(context.Background(), NewUser{Email: "burst@example.com", Name: "Burst", Password: burstPassword, Role: RoleShopper}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestParallelGuessesAreCountedBeforeHashing sends 30 wrong passwords at
// once while every hash is held open, then the right one: the limit (5) is
// reached by the attempts themselves, so 25 are refused at once, the right
// password is refused too, and only 5 guesses are ever checked. Counting
// failures after hashing let all 30 through and the right one sign in.
func TestParallelGuessesAreCountedBeforeHashing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		s := burstService(t, g, 2, 10*time.Second)
		release := make(chan struct{})
		var checked atomic.Int32
		s.hasher.slow = func() { checked.Add(1); <-release }

		var refused atomic.Int32
		var wg sync.WaitGroup
		results := make(chan error, 30)
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Authenticate(context.Background(), "burst@example.com", fmt.Sprintf("sai-%02d", i), "203.0.113.9")
				if errors.Is(err, errs.ErrTooMany) {
					refused.Add(1)
				}
				results <- err
			}()
		}
		for end := time.Now().Add(3 * time.Second); refused.Load() < 25 && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond)
		}
		right := make(chan error, 1)
		go func() {
			_, err := s.Authenticate(context.Background(), "BURST@example.com", burstPassword, "203.0.113.9")
			right <- err
		}()
		var rightErr error
		select {
		case rightErr = <-right:
		case <-time.After(200 * time.Millisecond):
			// Still waiting: it was let through to hash behind the guesses.
			close(release)
			rightErr = <-right
			release = nil
		}
		if release != nil {
			close(release)
		}
		wg.Wait()
		close(results)
		if !errors.Is(rightErr, errs.ErrTooMany) || errs.RetryAfter(rightErr) <= 0 {
			t.Errorf("the right password after 30 parallel guesses: %v (retry %s), want ErrTooMany with a retry hint", rightErr, errs.RetryAfter(rightErr))
		}
		var bad, many int
		for err := range results {
			switch {
			case errors.Is(err, ErrBadCredentials):
				bad++
			case errors.Is(err, errs.ErrTooMany):
				many++
			default:
				t.Errorf("a guess answered %v", err)
			}
		}
		if bad != 5 || many != 25 {
			t.Errorf("30 parallel guesses: %d checked and wrong, %d refused; want 5 and 25", bad, many)
		}
		if n := checked.Load(); n != 5 {
			t.Errorf("%d passwords hashed, want 5", n)
		}
	})
}

// TestPasswordHashingIsBounded runs sign-ins (known and unknown e-mails)
// and registrations at once through a service with 2 hashing slots: never
// more than 2 hashes run at the same time, measured inside the hasher.
// With a short wait, the excess is refused as busy (503, retry hint), and
// a refused attempt is not counted against the person.
func TestPasswordHashingIsBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, g *gorm.DB) {
		s := burstService(t, g, 2, 30*time.Second)
		s.hasher.slow = func() { time.Sleep(10 * time.Millisecond) }
		var wg sync.WaitGroup
		for i := range 24 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				switch i % 3 {
				case 0:
					_, err = s.Authenticate(context.Background(), "burst@example.com", burstPassword, fmt.Sprintf("198.51.100.%d", i))
				case 1:
					_, err = s.Authenticate(context.Background(), fmt.Sprintf("ghost%d@example.com", i), "khong-co", "198.51.100.1")
					if errors.Is(err, ErrBadCredentials) {
						err = nil
					}
				case 2:
					_, err = s.Register(context.Background(), fmt.Sprintf("new%d@example.com", i), "Người mới", "mat-khau-moi", "vi")
				}
				if err != nil {
					t.Errorf("call %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if p := s.hasher.peak; p != 2 {
			t.Errorf("at most %d hashes ran at once, want exactly the 2 slots used", p)
		}

		// One slot, a short wait, a slow hash: the second caller is refused
		// as busy, and its attempt is given back to the limiter.
		s = burstService(t, g, 1, 20*time.Millisecond)
		hold := make(chan struct{})
		s.hasher.slow = func() { <-hold }
		first := make(chan error, 1)
		go func() {
			_, err := s.Authenticate(context.Background(), "burst@example.com", "sai-roi", "192.0.2.1")
			first <- err
		}()
		for s.hasher.gate.Peak() == 0 {
			time.Sleep(time.Millisecond)
		}
		for range 10 {
			_, err := s.Authenticate(context.Background(), "burst@example.com", "sai-nua", "192.0.2.2")
			if !errors.Is(err, errs.ErrUnavailable) || errs.RetryAfter(err) <= 0 {
				t.Fatalf("with the only slot taken: %v, want ErrUnavailable with a retry hint", err)
			}
		}
		close(hold)
		<-first
		s.hasher.slow = nil
		if _, err := s.Authenticate(context.Background(), "burst@example.com", burstPassword, "192.0.2.2"); err != nil {
			t.Errorf("after 10 busy refusals the right password is refused: %v (busy answers were counted as guesses)", err)
		}
	})
}
