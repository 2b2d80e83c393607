// Package mailpittest starts Mailpit v1.33.1 (a real SMTP server with an
// HTTP API) for tests, and reads what arrived: recipients, subjects,
// bodies, headers. Install it with
// `go install github.com/axllent/mailpit@v1.33.1`. When it is missing a
// test fails if CI or OCOP_TEST_REQUIRE_MAILPIT=1 is set, and skips with a
// clear message otherwise.
package mailpittest

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/platform/testbin"
)

// Binary finds mailpit: $OCOP_TEST_MAILPIT, else on PATH, else in
// $(go env GOPATH)/bin.
func Binary() (string, error) {
	return testbin.Find("OCOP_TEST_MAILPIT", "mailpit", "go install github.com/axllent/mailpit@v1.33.1")
}

// Server is a running Mailpit of one test. Its messages are kept in a file,
// so they survive Stop and Start (an SMTP outage in the middle of a test).
type Server struct {
	t                  testing.TB
	bin, db            string
	smtpPort, httpPort int
	cmd                *exec.Cmd
}

// Start runs a Mailpit on free ports; it is killed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("OCOP_TEST_REQUIRE_MAILPIT") == "1" {
			t.Fatalf("mailpittest: %v", err)
		}
		t.Skipf("mailpittest: %v (skipping; with CI or OCOP_TEST_REQUIRE_MAILPIT=1 set this fails)", err)
	}
	s := &Server{t: t, bin: bin, db: filepath.Join(t.TempDir(), "mailpit.db"), smtpPort: freePort(t), httpPort: freePort(t)}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// SMTPURL is the OCOP_SMTP_URL of this server (no TLS, no password).
func (s *Server) SMTPURL() string { return "smtp://127.0.0.1:" + strconv.Itoa(s.smtpPort) }

// Start (re)starts the server on its ports and waits until both listen.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		return
	}
	s.cmd = exec.Command(s.bin, "--quiet", "--database", s.db,
		"--smtp", "127.0.0.1:"+strconv.Itoa(s.smtpPort), "--listen", "127.0.0.1:"+strconv.Itoa(s.httpPort),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("mailpittest: start %s: %v", s.bin, err)
	}
	for _, port := range []int{s.smtpPort, s.httpPort} {
		addr := "127.0.0.1:" + strconv.Itoa(port)
		deadline := time.Now().Add(30 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				s.t.Fatalf("mailpittest: mailpit did not listen on %s", addr)
			}
			time.Sleep(20 * time.Millisecond) // polling a port that is coming up, not a fixed wait
		}
	}
}

// Stop kills the server (an SMTP outage); Start brings it back.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill() // teardown: the process may already have exited
	_ = s.cmd.Wait()         // reaps it; after a kill the error is always "signal: killed"
	s.cmd = nil
}

// Address is one mailbox of a message.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is a message as Mailpit's API gives it.
type Message struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Text      string    `json:"Text"`
	HTML      string    `json:"HTML"`
}

// Messages lists every message received, newest first (without bodies).
func (s *Server) Messages() []Message {
	s.t.Helper()
	var out struct {
		Messages []Message `json:"messages"`
	}
	s.get("/api/v1/messages?limit=1000", &out)
	return out.Messages
}

// Message reads one message with its text and HTML bodies.
func (s *Server) Message(id string) Message {
	s.t.Helper()
	var m Message
	s.get("/api/v1/message/"+id, &m)
	return m
}

// Headers reads one message's headers.
func (s *Server) Headers(id string) map[string][]string {
	s.t.Helper()
	h := map[string][]string{}
	s.get("/api/v1/message/"+id+"/headers", &h)
	return h
}

// WaitFor polls until at least n messages arrived (or fails the test after
// timeout) and returns them all, newest first.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ms := s.Messages()
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("mailpittest: %d messages after %s, want %d", len(ms), timeout, n)
		}
		time.Sleep(20 * time.Millisecond) // polling the mailbox, not a fixed wait
	}
}

// To lists the messages to address, newest first.
func (s *Server) To(address string) []Message {
	s.t.Helper()
	var out []Message
	for _, m := range s.Messages() {
		for _, a := range m.To {
			if a.Address == address {
				out = append(out, m)
			}
		}
	}
	return out
}

func (s *Server) get(path string, v any) {
	s.t.Helper()
	res, err := http.Get("http://127.0.0.1:" + strconv.Itoa(s.httpPort) + path)
	if err != nil {
		s.t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("mailpittest: GET %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		s.t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
