package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck asks the server listening on OCOP_ADDR for /healthz and
// succeeds only on a 200. It is Docker's HEALTHCHECK: the distroless image
// has no shell and no curl, so the binary checks itself.
func healthcheck(ctx context.Context, load loader, args []string, stdout io.Writer) error {
	fs := newFlags("healthcheck", "healthcheck\n\n  GET /healthz of the server at OCOP_ADDR (on this machine); exit status 0 when it answers 200 within 3 s, else 1", stdout)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("healthcheck: unexpected argument %q", fs.Arg(0))
	}
	cfg, _, err := load()
	if err != nil {
		return err
	}
	url := "http://" + dialAddr(cfg.Addr) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, res.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// dialAddr turns a listen address into one to dial on this machine: a server
// listening on every interface (":8080", "0.0.0.0:8080", "[::]:8080") is
// reached on loopback.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}
