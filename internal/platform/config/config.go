// Package config reads Chợ OCOP's configuration from OCOP_* environment
// variables into one typed struct, with defaults that run the embedded demo
// and validation that names the variable at fault.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Env is the deployment kind.
type Env string

// Deployment kinds. Dev seeds demo data on an empty database; prod never does.
const (
	EnvDev  Env = "dev"
	EnvProd Env = "prod"
)

// Config is everything the binary can be told from outside. Secrets are
// marked `secret:"true"` and masked by String.
type Config struct {
	Addr        string // OCOP_ADDR, listen address of the site (default loopback: see Load)
	MetricsAddr string // OCOP_METRICS_ADDR, listen address of /metrics, or "off"
	DatabaseURL string `secret:"true"` // OCOP_DATABASE_URL: sqlite:path or postgres://...
	DBMaxConns  int    // OCOP_DB_MAX_CONNS: PostgreSQL connections per instance (SQLite keeps 4)
	BaseURL     string // OCOP_BASE_URL, the public origin used in links and QR codes
	Env         Env    // OCOP_ENV: dev or prod
	LogLevel    string // OCOP_LOG_LEVEL: debug, info, warn, error
	DataDir     string // OCOP_DATA_DIR: uploads and other files on local disk
	// ReadCacheBytes bounds the public read cache (OCOP_READ_CACHE_MB, in
	// MiB; 0 turns caching off).
	ReadCacheBytes int64

	PaymentTTL          time.Duration // OCOP_PAYMENT_TTL: how long an unpaid order group holds stock
	StatsCache          time.Duration // OCOP_STATS_CACHE: how long an instance reuses a filter's statistics; 0 = never
	StatsSnapshot       time.Duration // OCOP_STATS_SNAPSHOT: how old stored marketplace figures may be; 0 = count every time
	StripeSecretKey     string        `secret:"true"` // OCOP_STRIPE_SECRET_KEY
	StripeWebhookSecret string        `secret:"true"` // OCOP_STRIPE_WEBHOOK_SECRET
	StripeAPIBase       string        // OCOP_STRIPE_API_BASE: stripe-mock in tests
	BankWebhookSecret   string        `secret:"true"` // OCOP_BANK_WEBHOOK_SECRET: HMAC key for bank notifications
	// VietQRDisabled turns VietQR payments off (OCOP_VIETQR_DISABLED=1): the
	// explicit way to run prod without a bank webhook secret, card only.
	VietQRDisabled bool

	// The platform's collection account that VietQR transfers go to.
	CollectionBankBIN string // OCOP_COLLECTION_BANK_BIN: six-digit NAPAS BIN
	CollectionAccount string // OCOP_COLLECTION_ACCOUNT: account number, up to 19 characters
	CollectionHolder  string // OCOP_COLLECTION_HOLDER: account holder as the bank shows it

	ShutdownTimeout time.Duration // OCOP_SHUTDOWN_TIMEOUT: grace period for in-flight requests

	// JobWorkers is how many background jobs this instance works at once
	// (OCOP_JOB_WORKERS, default 8); 0 makes an instance that enqueues jobs
	// but works none (a web-only instance beside worker instances).
	JobWorkers int

	// Uploaded files go to DataDir unless an S3-compatible bucket is set.
	S3Endpoint  string // OCOP_S3_ENDPOINT, e.g. https://s3.ap-southeast-1.amazonaws.com or a MinIO URL
	S3Bucket    string // OCOP_S3_BUCKET
	S3Region    string // OCOP_S3_REGION (default us-east-1)
	S3AccessKey string `secret:"true"` // OCOP_S3_ACCESS_KEY
	S3SecretKey string `secret:"true"` // OCOP_S3_SECRET_KEY
	// CursorSecret signs pagination cursors; when unset it is derived from
	// DatabaseURL, which every instance of one deployment shares.
	CursorSecret string `secret:"true"` // OCOP_CURSOR_SECRET

	// E-mail: unset SMTPURL sends none (the in-site inbox still works).
	SMTPURL  string `secret:"true"` // OCOP_SMTP_URL: smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (implicit TLS)
	MailFrom string // OCOP_MAIL_FROM: the From address, e.g. "Chợ OCOP <no-reply@cho-ocop.vn>"

	// JobPollInterval is how often the job engine looks for work; zero is
	// the engine's default. Not read from the environment: tests set it.
	JobPollInterval time.Duration
}

// Getenv is os.Getenv's shape, so tests pass a map instead of the process environment.
type Getenv func(string) string

// Load reads and validates the configuration. Every problem is reported at
// once, each naming the variable and what it expects.
func Load(getenv Getenv) (Config, error) {
	c := Config{
		// security: loopback unless told otherwise. The dev default seeds demo
		// accounts whose password is published; a container or server sets
		// OCOP_ADDR=:8080 on purpose (the Dockerfile does).
		Addr: or(getenv("OCOP_ADDR"), "127.0.0.1:8080"),
		// Metrics are for the operator, never on the public listener.
		MetricsAddr:         or(getenv("OCOP_METRICS_ADDR"), "127.0.0.1:9090"),
		DatabaseURL:         or(getenv("OCOP_DATABASE_URL"), "sqlite:var/ocop.db"),
		BaseURL:             strings.TrimRight(or(getenv("OCOP_BASE_URL"), "http://localhost:8080"), "/"),
		Env:                 Env(or(getenv("OCOP_ENV"), string(EnvDev))),
		LogLevel:            or(getenv("OCOP_LOG_LEVEL"), "info"),
		DataDir:             or(getenv("OCOP_DATA_DIR"), "var"),
		StripeSecretKey:     getenv("OCOP_STRIPE_SECRET_KEY"),
		StripeWebhookSecret: getenv("OCOP_STRIPE_WEBHOOK_SECRET"),
		StripeAPIBase:       getenv("OCOP_STRIPE_API_BASE"),
		BankWebhookSecret:   getenv("OCOP_BANK_WEBHOOK_SECRET"),
		S3Endpoint:          strings.TrimRight(getenv("OCOP_S3_ENDPOINT"), "/"),
		S3Bucket:            getenv("OCOP_S3_BUCKET"),
		S3Region:            or(getenv("OCOP_S3_REGION"), "us-east-1"),
		S3AccessKey:         getenv("OCOP_S3_ACCESS_KEY"),
		S3SecretKey:         getenv("OCOP_S3_SECRET_KEY"),
		CursorSecret:        getenv("OCOP_CURSOR_SECRET"),
		SMTPURL:             getenv("OCOP_SMTP_URL"),
		MailFrom:            getenv("OCOP_MAIL_FROM"),
		// Demo defaults: Agribank's BIN and a visibly fake account number.
		CollectionBankBIN: or(getenv("OCOP_COLLECTION_BANK_BIN"), "970405"),
		CollectionAccount: or(getenv("OCOP_COLLECTION_ACCOUNT"), "0000000000001"),
		CollectionHolder:  or(getenv("OCOP_COLLECTION_HOLDER"), "CHO OCOP DEMO"),
	}
	var problems []error
	bad := func(name, want, got string) {
		problems = append(problems, fmt.Errorf("%s: expected %s, got %q", name, want, got))
	}
	dur := func(name, def string) time.Duration {
		v := or(getenv(name), def)
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(name, "a positive duration such as 30m or 10s", v)
		}
		return d
	}
	c.PaymentTTL = dur("OCOP_PAYMENT_TTL", "30m")
	statsCache := or(getenv("OCOP_STATS_CACHE"), "5s")
	if d, err := time.ParseDuration(statsCache); err != nil || d < 0 || d > time.Hour {
		bad("OCOP_STATS_CACHE", "a duration from 0s (no cache) to 1h, such as 5s", statsCache)
	} else {
		c.StatsCache = d
	}
	statsSnap := or(getenv("OCOP_STATS_SNAPSHOT"), "10m")
	if d, err := time.ParseDuration(statsSnap); err != nil || d < 0 || d > 24*time.Hour {
		bad("OCOP_STATS_SNAPSHOT", "a duration from 0s (count every time) to 24h, such as 10m", statsSnap)
	} else {
		c.StatsSnapshot = d
	}
	// Each instance holds up to this many PostgreSQL connections; a server
	// usually has 100 for every instance and tool together. At least 2: the
	// start-up lock holds one while migrations use another.
	maxConns := or(getenv("OCOP_DB_MAX_CONNS"), "20")
	if n, err := strconv.Atoi(maxConns); err != nil || n < 2 || n > 1000 {
		bad("OCOP_DB_MAX_CONNS", "a whole number from 2 to 1000", maxConns)
	} else {
		c.DBMaxConns = n
	}
	c.ShutdownTimeout = dur("OCOP_SHUTDOWN_TIMEOUT", "15s")
	// The read cache is bounded in bytes so a flood of distinct queries
	// cannot grow the process. 16 MiB holds hundreds of product pages and
	// thousands of lists, more than five seconds of traffic ask for, and
	// keeps a flooded instance under 120 MiB (docs/performance.md): the
	// garbage collector lets the heap reach twice what is live.
	cacheMB := or(getenv("OCOP_READ_CACHE_MB"), "16")
	if n, err := strconv.Atoi(cacheMB); err != nil || n < 0 || n > 65536 {
		bad("OCOP_READ_CACHE_MB", "a whole number of MiB from 0 (no cache) to 65536", cacheMB)
	} else {
		c.ReadCacheBytes = int64(n) << 20
	}
	workers := or(getenv("OCOP_JOB_WORKERS"), "8")
	if n, err := strconv.Atoi(workers); err != nil || n < 0 || n > 1000 {
		bad("OCOP_JOB_WORKERS", "a whole number from 0 to 1000", workers)
	} else {
		c.JobWorkers = n
	}

	if c.Env != EnvDev && c.Env != EnvProd {
		bad("OCOP_ENV", "dev or prod", string(c.Env))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("OCOP_LOG_LEVEL", "debug, info, warn or error", c.LogLevel)
	}
	if _, port, ok := strings.Cut(c.Addr, ":"); !ok || !isPort(port) {
		bad("OCOP_ADDR", "host:port such as :8080 or 127.0.0.1:8080", c.Addr)
	}
	if c.MetricsAddr != MetricsOff {
		if _, port, ok := strings.Cut(c.MetricsAddr, ":"); !ok || !isPort(port) {
			bad("OCOP_METRICS_ADDR", "host:port such as 127.0.0.1:9090, or off", c.MetricsAddr)
		} else if c.MetricsAddr == c.Addr && port != "0" {
			bad("OCOP_METRICS_ADDR", "an address other than OCOP_ADDR (metrics never share the public listener)", c.MetricsAddr)
		}
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("OCOP_BASE_URL", "an absolute http(s) URL such as https://cho-ocop.vn", c.BaseURL)
	}
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		// The value may hold a password: say what it starts with, never what it is.
		problems = append(problems, errors.New("OCOP_DATABASE_URL: expected sqlite:<path> or postgres://user@host/db"))
	}
	if c.StripeAPIBase != "" {
		if u, err := url.Parse(c.StripeAPIBase); err != nil || u.Host == "" {
			bad("OCOP_STRIPE_API_BASE", "an absolute URL such as http://127.0.0.1:12111", c.StripeAPIBase)
		}
	}
	if (c.S3Endpoint == "") != (c.S3Bucket == "") {
		problems = append(problems, errors.New("OCOP_S3_ENDPOINT and OCOP_S3_BUCKET: set both or neither"))
	} else if c.S3Endpoint != "" {
		if u, err := url.Parse(c.S3Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("OCOP_S3_ENDPOINT", "an absolute http(s) URL", c.S3Endpoint)
		}
	}
	problems = append(problems, checkMail(c)...)
	switch v := getenv("OCOP_VIETQR_DISABLED"); v {
	case "", "0", "false":
	case "1", "true":
		c.VietQRDisabled = true
	default:
		bad("OCOP_VIETQR_DISABLED", "1 or true (VietQR off), or unset", v)
	}
	if c.Env == EnvProd {
		problems = append(problems, prodPayments(c)...)
	}
	return c, errors.Join(problems...)
}

// prodPayments refuses a production configuration in which a payment
// method is offered but can never be confirmed: VietQR without the bank
// webhook secret (a shopper would transfer money and the order would
// expire unpaid), a Stripe key without its webhook secret, or no way to
// pay at all.
func prodPayments(c Config) []error {
	var problems []error
	switch {
	case c.VietQRDisabled:
	case c.BankWebhookSecret == "":
		problems = append(problems, errors.New("OCOP_BANK_WEBHOOK_SECRET: expected the bank notification key (at least 16 characters) in prod, "+
			"without which no VietQR payment can ever be confirmed; or set OCOP_VIETQR_DISABLED=1 to take card payments only"))
	case len(c.BankWebhookSecret) < 16:
		problems = append(problems, errors.New("OCOP_BANK_WEBHOOK_SECRET: expected at least 16 characters in prod"))
	}
	if c.StripeSecretKey != "" && c.StripeWebhookSecret == "" {
		problems = append(problems, errors.New("OCOP_STRIPE_WEBHOOK_SECRET: expected the Stripe webhook signing secret in prod when OCOP_STRIPE_SECRET_KEY is set, "+
			"without which no card payment can ever be confirmed"))
	}
	if c.VietQRDisabled && c.StripeSecretKey == "" {
		problems = append(problems, errors.New("OCOP_VIETQR_DISABLED: expected OCOP_STRIPE_SECRET_KEY too, or nothing can be paid"))
	}
	return problems
}

// checkMail checks the SMTP settings. The URL may hold a password: a
// problem names what is wrong, never the value.
func checkMail(c Config) []error {
	var problems []error
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Port() != "" && !isPort(u.Port())) {
			problems = append(problems, errors.New("OCOP_SMTP_URL: expected smtp://user:pass@host:port or smtps://user:pass@host:port"))
		}
		if c.MailFrom == "" {
			problems = append(problems, errors.New("OCOP_MAIL_FROM: expected the From address when OCOP_SMTP_URL is set"))
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			problems = append(problems, fmt.Errorf("OCOP_MAIL_FROM: expected an address such as \"Chợ OCOP <no-reply@cho-ocop.vn>\", got %q", c.MailFrom))
		}
	}
	return problems
}

// MetricsOff as OCOP_METRICS_ADDR serves no metrics at all.
const MetricsOff = "off"

// Secure reports whether cookies must carry the Secure flag (the site is served over TLS).
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// String describes the configuration with secrets masked, for the start-up log.
func (c Config) String() string {
	return fmt.Sprintf("addr=%s metrics_addr=%s database=%s db_max_conns=%d base_url=%s env=%s data_dir=%s payment_ttl=%s stripe_key=%s stripe_api_base=%s bank_webhook_secret=%s vietqr_disabled=%t job_workers=%d smtp=%s mail_from=%s",
		c.Addr, c.MetricsAddr, MaskURL(c.DatabaseURL), c.DBMaxConns, c.BaseURL, c.Env, c.DataDir, c.PaymentTTL, mask(c.StripeSecretKey), c.StripeAPIBase, mask(c.BankWebhookSecret), c.VietQRDisabled, c.JobWorkers, MaskURL(c.SMTPURL), c.MailFrom)
}

// MaskURL hides the password of a database URL.
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func mask(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "(set)"
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n < 65536
}
