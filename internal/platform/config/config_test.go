package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestDefaultsRunTheEmbeddedDemo(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "sqlite:var/ocop.db" || c.Env != EnvDev || c.DBMaxConns != 20 {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

// TestListenersDefaultToLoopback: with nothing set, neither the site (whose
// dev database has demo accounts with a published password) nor /metrics
// listens beyond this machine; both follow their variables when set, and
// metrics never share the site's address.
func TestListenersDefaultToLoopback(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.MetricsAddr != "127.0.0.1:9090" {
		t.Errorf("defaults: addr %q, metrics %q; want 127.0.0.1:8080 and 127.0.0.1:9090", c.Addr, c.MetricsAddr)
	}
	c, err = Load(env(map[string]string{"OCOP_ADDR": ":8080", "OCOP_METRICS_ADDR": "10.0.0.5:9100", "OCOP_ENV": "prod",
		"OCOP_BANK_WEBHOOK_SECRET": "a-bank-secret-of-32-characters!!"})) // prod needs it (TestProdRefusesPaymentsThatCanNeverConfirm)
	if err != nil || c.Addr != ":8080" || c.MetricsAddr != "10.0.0.5:9100" {
		t.Errorf("explicit addresses: %q %q (%v)", c.Addr, c.MetricsAddr, err)
	}
	if c, err := Load(env(map[string]string{"OCOP_METRICS_ADDR": "off"})); err != nil || c.MetricsAddr != MetricsOff {
		t.Errorf("OCOP_METRICS_ADDR=off: %q (%v)", c.MetricsAddr, err)
	}
	for _, v := range []string{"9090", "metrics", "127.0.0.1:99999"} {
		if _, err := Load(env(map[string]string{"OCOP_METRICS_ADDR": v})); err == nil || !strings.Contains(err.Error(), "OCOP_METRICS_ADDR") {
			t.Errorf("OCOP_METRICS_ADDR=%q: %v, want an error naming the variable", v, err)
		}
	}
	if _, err := Load(env(map[string]string{"OCOP_ADDR": ":8080", "OCOP_METRICS_ADDR": ":8080"})); err == nil || !strings.Contains(err.Error(), "OCOP_METRICS_ADDR") {
		t.Errorf("metrics on the public address: %v, want refused", err)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]string{
		"OCOP_ENV":          "staging",
		"OCOP_ADDR":         "8080",
		"OCOP_BASE_URL":     "localhost",
		"OCOP_DATABASE_URL": "mysql://root:hunter2@db/x",
		"OCOP_PAYMENT_TTL":  "soon",
		"OCOP_STATS_CACHE":  "2h",
		"OCOP_LOG_LEVEL":    "loud",
		"OCOP_DB_MAX_CONNS": "1",
	}
	for name, value := range cases {
		_, err := Load(env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v does not name the variable", name, value, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error leaks a secret: %v", name, err)
		}
	}
}

func TestStringMasksSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{
		"OCOP_DATABASE_URL":      "postgres://app:s3cret@db:5432/ocop",
		"OCOP_STRIPE_SECRET_KEY": "sk_test_abcdef",
	}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	for _, secret := range []string{"s3cret", "sk_test_abcdef"} {
		if strings.Contains(s, secret) {
			t.Errorf("String() leaks %q: %s", secret, s)
		}
	}
}

// TestProdRefusesPaymentsThatCanNeverConfirm: in prod, VietQR without the
// bank webhook secret (or a Stripe key without its webhook secret) stops
// the start with a message naming the variable; OCOP_VIETQR_DISABLED=1 is
// the explicit card-only way out; dev keeps working without secrets.
func TestProdRefusesPaymentsThatCanNeverConfirm(t *testing.T) {
	const bank, stripeKey, stripeHook = "a-bank-secret-of-32-characters!!", "sk_live_x", "whsec_x"
	cases := []struct {
		name  string
		env   map[string]string
		names []string // variables the error must name; none: it starts
	}{
		{"prod without the bank secret", map[string]string{"OCOP_ENV": "prod"}, []string{"OCOP_BANK_WEBHOOK_SECRET", "OCOP_VIETQR_DISABLED=1"}},
		{"prod with a short bank secret", map[string]string{"OCOP_ENV": "prod", "OCOP_BANK_WEBHOOK_SECRET": "short"}, []string{"OCOP_BANK_WEBHOOK_SECRET"}},
		{"prod with the bank secret", map[string]string{"OCOP_ENV": "prod", "OCOP_BANK_WEBHOOK_SECRET": bank}, nil},
		{"prod, VietQR off, card on", map[string]string{"OCOP_ENV": "prod", "OCOP_VIETQR_DISABLED": "1", "OCOP_STRIPE_SECRET_KEY": stripeKey, "OCOP_STRIPE_WEBHOOK_SECRET": stripeHook}, nil},
		{"prod, VietQR off, no card", map[string]string{"OCOP_ENV": "prod", "OCOP_VIETQR_DISABLED": "1"}, []string{"OCOP_VIETQR_DISABLED", "OCOP_STRIPE_SECRET_KEY"}},
		{"prod, Stripe key without its webhook secret", map[string]string{"OCOP_ENV": "prod", "OCOP_BANK_WEBHOOK_SECRET": bank, "OCOP_STRIPE_SECRET_KEY": stripeKey}, []string{"OCOP_STRIPE_WEBHOOK_SECRET"}},
		{"bad opt-out value", map[string]string{"OCOP_VIETQR_DISABLED": "yes please"}, []string{"OCOP_VIETQR_DISABLED"}},
		{"dev without any secret", map[string]string{}, nil},
	}
	for _, c := range cases {
		_, err := Load(env(c.env))
		if len(c.names) == 0 {
			if err != nil {
				t.Errorf("%s: %v, want it to start", c.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: started, want a refusal naming %v", c.name, c.names)
			continue
		}
		for _, n := range c.names {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%s: %q does not name %s", c.name, err, n)
			}
		}
		if strings.Contains(err.Error(), bank) || strings.Contains(err.Error(), stripeKey) {
			t.Errorf("%s: the message shows a secret: %v", c.name, err)
		}
	}
	if c, err := Load(env(map[string]string{"OCOP_VIETQR_DISABLED": "1"})); err != nil || !c.VietQRDisabled {
		t.Fatalf("OCOP_VIETQR_DISABLED=1 in dev: %+v %v, want VietQR off", c.VietQRDisabled, err)
	}
}

func TestDBMaxConns(t *testing.T) {
	for value, want := range map[string]int{"2": 2, "40": 40, "1000": 1000} {
		c, err := Load(env(map[string]string{"OCOP_DB_MAX_CONNS": value}))
		if err != nil || c.DBMaxConns != want {
			t.Errorf("OCOP_DB_MAX_CONNS=%s: %d, %v; want %d", value, c.DBMaxConns, err, want)
		}
	}
	for _, value := range []string{"0", "1", "-3", "1001", "20x", "2.5"} {
		if _, err := Load(env(map[string]string{"OCOP_DB_MAX_CONNS": value})); err == nil || !strings.Contains(err.Error(), "OCOP_DB_MAX_CONNS") {
			t.Errorf("OCOP_DB_MAX_CONNS=%s: %v, want an error naming the variable", value, err)
		}
	}
}
