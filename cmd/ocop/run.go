package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/web"
	"github.com/chocop/ocop/seed"
)

const usage = `ocop: the Chợ OCOP marketplace and certification registry.

Usage:
  ocop [serve]                    run the web server (default)
  ocop migrate [up|down|status]   apply, roll back one, or list migrations
  ocop seed [--demo] [--scale N]  load reference data; --demo adds the Lạng Sơn demo data and accounts;
                                  --scale N generates N products across 34 provinces for load tests
  ocop user create --email E --name N --password P --role R [--level province|commune|central] [--province CODE] [--commune CODE] [--producer SLUG]
  ocop audit verify               walk the audit logs' hash chains; fails naming the first broken row
  ocop healthcheck                exit 0 when the server at OCOP_ADDR answers /healthz (Docker's HEALTHCHECK)
  ocop help                       this text; "ocop <command> --help" for a command's flags

Configuration comes from OCOP_* environment variables (see README.md):
  OCOP_ADDR                   listen address (default 127.0.0.1:8080, this machine only; :8080 for every interface)
  OCOP_METRICS_ADDR           listen address of /metrics, never the public one (default 127.0.0.1:9090; off to disable)
  OCOP_DATABASE_URL           sqlite:var/ocop.db (default) or postgres://user:pass@host:5432/db
  OCOP_DB_MAX_CONNS           PostgreSQL connections per instance, 2 to 1000 (default 20; SQLite keeps 4)
  OCOP_BASE_URL               public origin for links and QR codes (default http://localhost:8080)
  OCOP_ENV                    dev (default; seeds demo data into an empty database) or prod
  OCOP_LOG_LEVEL              debug, info (default), warn or error
  OCOP_DATA_DIR               directory for uploaded files (default var)
  OCOP_READ_CACHE_MB          bound of the public read cache in MiB, least recently used evicted (default 16; 0: off)
  OCOP_SHUTDOWN_TIMEOUT       grace period for in-flight requests on SIGINT/SIGTERM (default 15s)
  OCOP_PAYMENT_TTL            how long an unpaid order holds its stock (default 30m)
  OCOP_STATS_CACHE            how long an instance reuses a filter's statistics (default 5s; 0s: never)
  OCOP_STATS_SNAPSHOT         how old the stored marketplace figures may be (default 10m; 0s: count every time)
  OCOP_JOB_WORKERS            background jobs this instance works at once (default 8; 0: enqueue only, work none)
  OCOP_STRIPE_SECRET_KEY      Stripe secret key (secret)
  OCOP_STRIPE_WEBHOOK_SECRET  Stripe webhook signing secret (secret)
  OCOP_STRIPE_API_BASE        Stripe API base URL, e.g. stripe-mock in tests
  OCOP_BANK_WEBHOOK_SECRET    HMAC key of bank transfer notifications (secret; required in prod unless VietQR is off)
  OCOP_VIETQR_DISABLED        1: no VietQR payments (card only); the way to run prod without a bank webhook secret
  OCOP_COLLECTION_BANK_BIN    NAPAS BIN of the collection account VietQR transfers go to (default 970405, demo)
  OCOP_COLLECTION_ACCOUNT     collection account number (default 0000000000001, demo)
  OCOP_COLLECTION_HOLDER      collection account holder as the bank shows it (default CHO OCOP DEMO)
  OCOP_S3_ENDPOINT            S3-compatible endpoint for uploads (unset: local disk); with OCOP_S3_BUCKET
  OCOP_S3_BUCKET              the bucket
  OCOP_S3_REGION              the bucket's region (default us-east-1)
  OCOP_S3_ACCESS_KEY          S3 access key (secret)
  OCOP_S3_SECRET_KEY          S3 secret key (secret)
  OCOP_CURSOR_SECRET          key signing pagination cursors (secret; default derived from OCOP_DATABASE_URL)
  OCOP_SMTP_URL               SMTP server for e-mail: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://...:465 (secret; unset: no e-mail, inbox only)
  OCOP_MAIL_FROM              From address of e-mail, e.g. "Chợ OCOP <no-reply@cho-ocop.vn>" (required with OCOP_SMTP_URL)
`

// run is the whole program: main only wires the process to it, so tests call
// it with their own arguments, environment and output. Help never needs a
// valid configuration; everything else loads it first and stops on a bad
// value, naming the variable.
func run(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	load := func() (config.Config, *slog.Logger, error) {
		cfg, err := config.Load(getenv)
		if err != nil {
			return cfg, nil, fmt.Errorf("configuration:\n%w", err)
		}
		return cfg, newLogger(stderr, cfg.LogLevel), nil
	}
	switch cmd {
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve":
		return serve(ctx, load, args, stdout)
	case "migrate":
		return migrate(ctx, load, args, stdout)
	case "seed":
		return seedCmd(ctx, load, args, stdout)
	case "user":
		return userCmd(ctx, load, args, stdout)
	case "audit":
		return auditCmd(ctx, load, args, stdout)
	case "healthcheck":
		return healthcheck(ctx, load, args, stdout)
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// openDB opens the configured database with the configured pool; an error
// names the variable that chose the database, and the database itself.
func openDB(ctx context.Context, cfg config.Config) (*gorm.DB, error) {
	g, err := db.Open(ctx, cfg.DatabaseURL, db.MaxConns(cfg.DBMaxConns))
	if err != nil {
		return nil, fmt.Errorf("OCOP_DATABASE_URL: %w", err)
	}
	return g, nil
}

// loader loads the configuration and a logger, once the flags are parsed.
type loader func() (config.Config, *slog.Logger, error)

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // config.Load accepted only debug, info, warn or error, which all parse
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// newFlags returns a flag set whose --help prints usage to stdout and is not an error.
func newFlags(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: ocop %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	return false, err
}

func serve(ctx context.Context, load loader, args []string, stdout io.Writer) error {
	fs := newFlags("serve", "serve", stdout)
	fs.Usage = func() { fmt.Fprint(stdout, usage) }
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	cfg, log, err := load()
	if err != nil {
		return err
	}
	start := time.Now()
	log.Info("starting", "config", cfg.String())
	g, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close(g)
	if err := prepare(ctx, cfg, log, g); err != nil {
		return err
	}
	srv, err := web.New(cfg, log, g)
	if err != nil {
		return err
	}
	return srv.Run(ctx, func(addr string) {
		log.Info("listening", "addr", addr, "url", cfg.BaseURL, "startup", time.Since(start).String())
	})
}

// prepare migrates, loads reference data, and in dev seeds the demo data
// into an empty database. Production never seeds demo data by itself. Each
// step holds the database's start-up lock, so two instances starting on one
// fresh database do it once: the second finds the schema migrated and users
// present.
func prepare(ctx context.Context, cfg config.Config, log *slog.Logger, g *gorm.DB) error {
	if err := db.Migrate(ctx, g, nil); err != nil {
		return err
	}
	return db.Exclusive(ctx, g, func() error {
		if err := seed.Reference(ctx, g); err != nil {
			return err
		}
		if cfg.Env != config.EnvDev {
			return nil
		}
		var users int64
		if err := g.WithContext(ctx).Model(&account.User{}).Count(&users).Error; err != nil {
			return err
		}
		if users > 0 {
			return nil
		}
		log.Info("empty database in dev: seeding Lạng Sơn demo data")
		return seed.Demo(ctx, g, account.NewService(g, nil))
	})
}

func migrate(ctx context.Context, load loader, args []string, stdout io.Writer) error {
	fs := newFlags("migrate", "migrate [up|down|status]\n\n  up      apply every pending migration (the default)\n  down    roll back the last migration\n  status  list migrations and whether each is applied", stdout)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "", "up", "down", "status":
	default:
		return fmt.Errorf("migrate: unknown action %q (want up, down or status)", fs.Arg(0))
	}
	cfg, _, err := load()
	if err != nil {
		return err
	}
	g, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close(g)
	p, err := db.Provider(g, nil)
	if err != nil {
		return err
	}
	// Under the start-up lock: an instance starting meanwhile waits.
	return db.Exclusive(ctx, g, func() error { return migrateAction(ctx, p, fs.Arg(0), stdout) })
}

func migrateAction(ctx context.Context, p *goose.Provider, action string, stdout io.Writer) error {
	switch action {
	case "", "up":
		res, err := p.Up(ctx)
		for _, r := range res {
			fmt.Fprintf(stdout, "applied %s (%s)\n", r.Source.Path, r.Duration)
		}
		if err == nil && len(res) == 0 {
			fmt.Fprintln(stdout, "no pending migrations")
		}
		return err
	case "down":
		r, err := p.Down(ctx)
		if r != nil {
			fmt.Fprintf(stdout, "rolled back %s\n", r.Source.Path)
		}
		return err
	case "status":
		st, err := p.Status(ctx)
		if err != nil {
			return err
		}
		for _, m := range st {
			fmt.Fprintf(stdout, "%-8s %s\n", m.State, m.Source.Path)
		}
		return nil
	}
	return fmt.Errorf("migrate: unknown action %q (want up, down or status)", action)
}

func seedCmd(ctx context.Context, load loader, args []string, stdout io.Writer) error {
	fs := newFlags("seed", "seed [--demo] [--scale N]", stdout)
	demo := fs.Bool("demo", false, "also load the Lạng Sơn demo producers, products, certificates and accounts")
	scale := fs.Int("scale", 0, "also generate a national-scale catalogue of N products for load tests (e.g. 20000)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed: unexpected argument %q", fs.Arg(0))
	}
	cfg, _, err := load()
	if err != nil {
		return err
	}
	g, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close(g)
	if err := db.Migrate(ctx, g, nil); err != nil {
		return err
	}
	// Under the start-up lock, like a starting server's seed: each step
	// checks what is there already, so running it again changes nothing.
	return db.Exclusive(ctx, g, func() error {
		if err := seed.Reference(ctx, g); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "reference data loaded")
		if *demo {
			if err := seed.Demo(ctx, g, account.NewService(g, nil)); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "demo data loaded; every demo account's password is", seed.DemoPassword)
		}
		if *scale > 0 {
			return seed.Scale(ctx, g, *scale, stdout)
		}
		return nil
	})
}

func userCmd(ctx context.Context, load loader, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stdout, "Usage: ocop user create --email E --name N --password P --role shopper|producer|officer|admin [--level province|commune|central] [--province CODE] [--commune CODE] [--producer SLUG]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errors.New("user: expected the action create")
	}
	fs := newFlags("user create", "user create [flags]", stdout)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "full name (required)")
	password := fs.String("password", "", "password, at least 8 characters (required)")
	role := fs.String("role", "", "shopper, producer, officer or admin (required)")
	level := fs.String("level", "province", "for officers: province, commune or central")
	province := fs.String("province", "", "for provincial and commune officers: the province code, e.g. 20 for Lạng Sơn")
	commune := fs.String("commune", "", "for commune officers: the commune code, a commune of --province")
	producerSlug := fs.String("producer", "", "for producers: the slug of the producer they act for")
	if help, err := parse(fs, args[1:]); help || err != nil {
		return err
	}
	in := account.NewUser{Email: *email, Name: *name, Password: *password, Role: account.Role(*role),
		OfficerLevel: account.OfficerLevel(*level), OfficerProvinceCode: *province, OfficerCommuneCode: *commune}
	if err := checkNewUser(in, *producerSlug); err != nil {
		return err
	}
	cfg, _, err := load()
	if err != nil {
		return err
	}
	g, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close(g)
	return createUser(ctx, g, in, *producerSlug, stdout)
}
