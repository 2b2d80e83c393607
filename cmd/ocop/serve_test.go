package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/seed"
)

// started runs `ocop serve` on a free loopback port and returns its address,
// its log and a channel with run's result. It waits for the "listening" line.
func started(t *testing.T, ctx context.Context, e map[string]string) (addr string, log *syncBuffer, done chan error) {
	t.Helper()
	e["OCOP_ADDR"] = "127.0.0.1:0"
	if e["OCOP_METRICS_ADDR"] == "" {
		e["OCOP_METRICS_ADDR"] = "127.0.0.1:0" // never the fixed default: tests run side by side
	}
	log = &syncBuffer{}
	done = make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env(e), io.Discard, log) }()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(log.String(), "\n") {
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" {
				return l.Addr, log, done
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped before listening: %v\n%s", err, log)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not listen within 2 minutes:\n%s", log)
	return
}

// waitLog waits until the log has a line with msg.
func waitLog(t *testing.T, log *syncBuffer, msg string) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if strings.Contains(log.String(), `"msg":"`+msg+`"`) {
			return
		}
	}
	t.Fatalf("no %q in the log:\n%s", msg, log)
}

// TestServeGracefulShutdown starts the real command in dev on an empty
// database: it migrates, seeds the demo, answers /healthz and signs a demo
// account in; on cancel it lets an in-flight request finish, then stops.
func TestServeGracefulShutdown(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addr, log, done := started(t, ctx, map[string]string{"OCOP_DATABASE_URL": url, "OCOP_DATA_DIR": t.TempDir()})
		base := "http://" + addr

		res, err := http.Get(base + "/healthz")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", err, res)
		}
		res.Body.Close()
		body := `{"email":"admin@example.com","password":"` + seed.DemoPassword + `"}`
		res, err = http.Post(base+"/api/v1/auth/token", "application/json", strings.NewReader(body))
		if err != nil || res.StatusCode != 201 {
			t.Fatalf("demo admin sign-in on a fresh dev start: %v %v", err, res)
		}
		res.Body.Close()

		// An in-flight request: with Expect: 100-continue the server says
		// "100 Continue" when the handler starts reading the body, so the
		// test knows the request is being handled. The body is sent only
		// after shutdown has begun.
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/v1/auth/token HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, len(body))
		r := bufio.NewReader(conn)
		if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
			t.Fatalf("want 100 Continue, got %q (%v)", line, err)
		}
		if blank, err := r.ReadString('\n'); err != nil || blank != "\r\n" {
			t.Fatalf("100 Continue not followed by a blank line: %q (%v)", blank, err)
		}
		cancel()
		waitLog(t, log, "shutting down")
		if _, err := io.WriteString(conn, body); err != nil {
			t.Fatalf("finish the in-flight request: %v", err)
		}
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("the in-flight request was cut off by shutdown: %v\n%s", err, log)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Errorf("in-flight request answered %d, want 201", resp.StatusCode)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("serve returned %v after a clean shutdown", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not return after shutdown")
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Error("still accepting connections after shutdown")
		}
		if strings.Contains(log.String(), seed.DemoPassword) {
			t.Error("the log shows a password")
		}
	})
}

// TestServeProdDoesNotSeedDemo proves OCOP_ENV=prod never creates the demo
// accounts by itself, serves /metrics only on the metrics listener, and the
// start-up log masks the database password.
func TestServeProdDoesNotSeedDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	url := "sqlite:" + t.TempDir() + "/prod.db"
	addr, log, done := started(t, ctx, map[string]string{"OCOP_DATABASE_URL": url, "OCOP_ENV": "prod", "OCOP_DATA_DIR": t.TempDir(),
		"OCOP_BANK_WEBHOOK_SECRET": "a-bank-secret-of-32-characters!!"})
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", err, res)
	}
	res.Body.Close()

	// Metrics are served on their own listener, never on the public one.
	var metricsAddr string
	for _, line := range strings.Split(log.String(), "\n") {
		var l struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "metrics listening" {
			metricsAddr = l.Addr
		}
	}
	if metricsAddr == "" || metricsAddr == addr {
		t.Fatalf("metrics listener %q (site %q): want one of its own\n%s", metricsAddr, addr, log)
	}
	if res, err := http.Get("http://" + addr + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public listener: %v %v, want 404", err, res)
	} else {
		res.Body.Close()
	}
	res, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("/metrics on %s: %v %v", metricsAddr, err, res)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), `ocop_http_requests_total{method="GET",route="/readyz",status="200"}`) {
		t.Errorf("the metrics listener does not count the site's requests:\n%.500s", page)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var users int64
	open(t, url).Model(&account.User{}).Count(&users)
	if users != 0 {
		t.Errorf("prod start created %d users, want none", users)
	}
	if !strings.Contains(log.String(), `"msg":"starting"`) {
		t.Errorf("no start-up line in the log:\n%s", log)
	}
}
