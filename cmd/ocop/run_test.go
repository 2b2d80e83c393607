package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chocop/ocop/internal/platform/dbtest"
)

// env is a fake environment.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write to
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ocop runs the command with the environment and returns its output.
func ocop(t *testing.T, e map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	err := run(context.Background(), args, env(e), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestBadConfigurationStopsNamingTheVariable(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		never string // a secret the message must not show
	}{
		{"OCOP_ADDR", map[string]string{"OCOP_ADDR": "8080"}, ""},
		{"OCOP_METRICS_ADDR", map[string]string{"OCOP_METRICS_ADDR": "9090"}, ""},
		{"OCOP_DATABASE_URL", map[string]string{"OCOP_DATABASE_URL": "mysql://root:hunter2@db/ocop"}, "hunter2"},
		{"OCOP_BASE_URL", map[string]string{"OCOP_BASE_URL": "cho-ocop.vn"}, ""},
		{"OCOP_ENV", map[string]string{"OCOP_ENV": "staging"}, ""},
		{"OCOP_LOG_LEVEL", map[string]string{"OCOP_LOG_LEVEL": "loud"}, ""},
		{"OCOP_PAYMENT_TTL", map[string]string{"OCOP_PAYMENT_TTL": "soon"}, ""},
		{"OCOP_STATS_CACHE", map[string]string{"OCOP_STATS_CACHE": "-1s"}, ""},
		{"OCOP_SHUTDOWN_TIMEOUT", map[string]string{"OCOP_SHUTDOWN_TIMEOUT": "-5s"}, ""},
		{"OCOP_DB_MAX_CONNS", map[string]string{"OCOP_DB_MAX_CONNS": "1"}, ""},
		{"OCOP_DB_MAX_CONNS", map[string]string{"OCOP_DB_MAX_CONNS": "lots"}, ""},
		{"OCOP_STRIPE_API_BASE", map[string]string{"OCOP_STRIPE_API_BASE": "not a url"}, ""},
		{"OCOP_BANK_WEBHOOK_SECRET", map[string]string{"OCOP_ENV": "prod", "OCOP_BANK_WEBHOOK_SECRET": "short-s3cret"}, "short-s3cret"},
		{"OCOP_BANK_WEBHOOK_SECRET", map[string]string{"OCOP_ENV": "prod"}, ""}, // VietQR could never confirm
	}
	for _, tc := range cases {
		for _, cmd := range [][]string{nil, {"migrate", "status"}, {"seed"}} {
			out, err := ocop(t, tc.env, cmd...)
			if err == nil {
				t.Fatalf("%s %v: started with a bad value", tc.name, cmd)
			}
			if !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), "expected") {
				t.Errorf("%s %v: message does not name the variable and what it expects: %v", tc.name, cmd, err)
			}
			if tc.never != "" && (strings.Contains(err.Error(), tc.never) || strings.Contains(out, tc.never)) {
				t.Errorf("%s: the message shows the secret: %v", tc.name, err)
			}
		}
	}
}

func TestHelpForEveryCommand(t *testing.T) {
	// Help must work even when the configuration is wrong.
	broken := map[string]string{"OCOP_ENV": "staging"}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"Usage:", "ocop migrate", "OCOP_DATABASE_URL", "OCOP_ENV", "OCOP_METRICS_ADDR", "127.0.0.1:8080"}},
		{[]string{"--help"}, []string{"Usage:", "ocop user create"}},
		{[]string{"-h"}, []string{"Usage:"}},
		{[]string{"serve", "--help"}, []string{"run the web server", "OCOP_ADDR"}},
		{[]string{"migrate", "--help"}, []string{"migrate [up|down|status]", "roll back"}},
		{[]string{"seed", "--help"}, []string{"seed [--demo]", "-demo", "-scale"}},
		{[]string{"user", "--help"}, []string{"user create", "--role"}},
		{[]string{"user", "create", "--help"}, []string{"-email", "-role", "-producer", "-province", "-level"}},
	}
	for _, tc := range cases {
		out, err := ocop(t, broken, tc.args...)
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: help does not mention %q:\n%s", tc.args, w, out)
			}
		}
	}
	if _, err := ocop(t, nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := ocop(t, nil, "migrate", "sideways"); err == nil || !strings.Contains(err.Error(), "sideways") {
		t.Errorf("unknown migrate action: %v", err)
	}
}

func TestMigrateUpStatusDown(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		e := map[string]string{"OCOP_DATABASE_URL": url}
		steps := []struct {
			args []string
			want string
		}{
			{[]string{"migrate", "status"}, "pending"},
			{[]string{"migrate", "up"}, "applied 00001_core.sql"},
			{[]string{"migrate", "status"}, "applied"},
			{[]string{"migrate"}, "no pending migrations"},
			{[]string{"migrate", "down"}, "rolled back"},
			{[]string{"migrate", "status"}, "pending"},
			{[]string{"migrate", "up"}, "applied"},
		}
		for _, s := range steps {
			out, err := ocop(t, e, s.args...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", s.args, err, out)
			}
			if !strings.Contains(out, s.want) {
				t.Fatalf("%v: output lacks %q:\n%s", s.args, s.want, out)
			}
		}
		out, _ := ocop(t, e, "migrate", "status")
		if strings.Contains(out, "pending") {
			t.Errorf("after up, a migration is still pending:\n%s", out)
		}
	})
}

// TestHelpAndREADMEListEveryVariable: every OCOP_ variable that the
// configuration reads is in `ocop help` and in the README's table, and
// neither lists one that does not exist.
func TestHelpAndREADMEListEveryVariable(t *testing.T) {
	src, err := os.ReadFile("../../internal/platform/config/config.go")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`OCOP_[A-Z0-9_]*[A-Z0-9]`)
	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`getenv\("(OCOP_[A-Z0-9_]+)"\)|dur\("(OCOP_[A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
		read[m[1]+m[2]] = true
	}
	if len(read) < 10 {
		t.Fatalf("found only %d variables read in config.go: the pattern is out of date", len(read))
	}
	help, err := ocop(t, nil, "help")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "\n## Configuration\n")
	table, _, _ = strings.Cut(table, "\n## ") // no later section: the table runs to the end
	for doc, text := range map[string]string{"ocop help": help, "the README's configuration table": table} {
		listed := map[string]bool{}
		for _, v := range name.FindAllString(text, -1) {
			listed[v] = true
		}
		for v := range read {
			if !listed[v] {
				t.Errorf("%s does not list %s", doc, v)
			}
		}
		for v := range listed {
			if !read[v] {
				t.Errorf("%s lists %s, which the configuration does not read", doc, v)
			}
		}
	}
}

// TestDatabaseOpenErrorNamesTheDatabase: a database that cannot be opened
// stops the program with a message naming the variable and the file (SQLite
// says only "out of memory (14)" for a file it cannot create) or the server,
// never the password.
func TestDatabaseOpenErrorNamesTheDatabase(t *testing.T) {
	dir := t.TempDir() // a directory is no database file
	cases := []struct {
		url, want, never string
	}{
		{"sqlite:" + dir, dir, ""},
		{"postgres://ocop:hunter2@127.0.0.1:1/ocop?sslmode=disable&connect_timeout=2", "127.0.0.1:1/ocop", "hunter2"},
	}
	for _, tc := range cases {
		for _, cmd := range [][]string{{"migrate", "status"}, {"seed"}, {"serve"}} {
			_, err := ocop(t, map[string]string{"OCOP_DATABASE_URL": tc.url, "OCOP_ADDR": "127.0.0.1:0"}, cmd...)
			if err == nil {
				t.Fatalf("%v on %s: no error", cmd, tc.url)
			}
			msg := err.Error()
			if !strings.Contains(msg, "OCOP_DATABASE_URL") || !strings.Contains(msg, tc.want) {
				t.Errorf("%v: %q does not name OCOP_DATABASE_URL and %s", cmd, msg, tc.want)
			}
			if tc.never != "" && strings.Contains(msg, tc.never) {
				t.Errorf("%v: the message shows the password: %s", cmd, msg)
			}
		}
	}
}
