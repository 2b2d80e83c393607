// Package stripetest starts stripe-mock v0.180.0 (Stripe's own validator of
// requests, API version 2023-10-16 as stripe-go v76) for tests. Install it
// with `go install github.com/stripe/stripe-mock@v0.180.0`. When it is
// missing a test fails if CI or OCOP_TEST_REQUIRE_STRIPE_MOCK=1 is set, and
// skips with a clear message otherwise.
package stripetest

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/platform/testbin"
)

// Binary finds stripe-mock: $OCOP_TEST_STRIPE_MOCK, else on PATH, else in
// $(go env GOPATH)/bin.
func Binary() (string, error) {
	return testbin.Find("OCOP_TEST_STRIPE_MOCK", "stripe-mock", "go install github.com/stripe/stripe-mock@v0.180.0")
}

// Start runs a stripe-mock for the test on a free port and returns its
// base URL; it is killed when the test ends.
func Start(t testing.TB) string {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("OCOP_TEST_REQUIRE_STRIPE_MOCK") == "1" {
			t.Fatalf("stripetest: %v", err)
		}
		t.Skipf("stripetest: %v (skipping; with CI or OCOP_TEST_REQUIRE_STRIPE_MOCK=1 set this fails)", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-http-port", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatalf("stripetest: start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // teardown: the process may already have exited
		_ = cmd.Wait()         // reaps it; after a kill the error is always "signal: killed"
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return "http://" + addr
		}
		time.Sleep(50 * time.Millisecond) // polling a port that is coming up, not a fixed wait
	}
	t.Fatalf("stripetest: stripe-mock did not listen on %s", addr)
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
