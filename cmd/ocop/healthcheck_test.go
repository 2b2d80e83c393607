package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealthcheck: `ocop healthcheck` succeeds only when the server at
// OCOP_ADDR answers /healthz with a 200; a listen address on every
// interface is dialled on loopback.
func TestHealthcheck(t *testing.T) {
	server := func(status int) string {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(status)
		}))
		t.Cleanup(ts.Close)
		return ts.Listener.Addr().String()
	}
	up, down := server(http.StatusOK), server(http.StatusServiceUnavailable)
	_, upPort, _ := net.SplitHostPort(up)
	closed := func() string { // a port nobody listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}()
	cases := []struct {
		name, addr string
		ok         bool
	}{
		{"healthy", up, true},
		{"healthy, listening on every interface", ":" + upPort, true},
		{"answers 503", down, false},
		{"nothing listening", closed, false},
	}
	for _, tc := range cases {
		out, err := ocop(t, map[string]string{"OCOP_ADDR": tc.addr}, "healthcheck")
		if tc.ok && (err != nil || !strings.Contains(out, "ok")) {
			t.Errorf("%s: %v %q, want success", tc.name, err, out)
		}
		if !tc.ok && err == nil {
			t.Errorf("%s: success, want an error", tc.name)
		}
	}
	if out, err := ocop(t, nil, "healthcheck", "--help"); err != nil || !strings.Contains(out, "/healthz") {
		t.Errorf("healthcheck --help: %v %q", err, out)
	}
}

func TestDialAddr(t *testing.T) {
	for in, want := range map[string]string{
		":8080": "127.0.0.1:8080", "0.0.0.0:8080": "127.0.0.1:8080", "[::]:8080": "[::1]:8080",
		"127.0.0.1:9000": "127.0.0.1:9000", "app.internal:80": "app.internal:80",
	} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
