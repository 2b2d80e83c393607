// Package web is the HTTP face of Chợ OCOP: one Echo server with one route
// table, the JSON API under /api/v1, the server-rendered storefront, portal,
// registry and admin pages, and the error handling that maps domain errors
// to status codes. Handlers bind, validate, call one service method and
// render; business rules live in the domain packages.
package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"gorm.io/gorm"

	"github.com/chocop/ocop/frontend"
	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/catalog"
	"github.com/chocop/ocop/internal/notify"
	"github.com/chocop/ocop/internal/order"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/payment/stripe"
	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/config"
	"github.com/chocop/ocop/internal/platform/cursor"
	"github.com/chocop/ocop/internal/platform/i18n"
	"github.com/chocop/ocop/internal/platform/jobs"
	"github.com/chocop/ocop/internal/platform/validate"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/review"
	"github.com/chocop/ocop/internal/stats"
	"github.com/chocop/ocop/internal/web/adminweb"
	"github.com/chocop/ocop/internal/web/authweb"
	"github.com/chocop/ocop/internal/web/catalogweb"
	"github.com/chocop/ocop/internal/web/jobsweb"
	"github.com/chocop/ocop/internal/web/kit"
	"github.com/chocop/ocop/internal/web/notifyweb"
	"github.com/chocop/ocop/internal/web/orderweb"
	"github.com/chocop/ocop/internal/web/registryweb"
	"github.com/chocop/ocop/internal/web/reviewweb"
	"github.com/chocop/ocop/internal/web/statsweb"
	"github.com/chocop/ocop/internal/web/webhookweb"
	"github.com/chocop/ocop/internal/webhook"
)

// Server is the HTTP layer: the domain services, each area's handlers
// (given only the services they need), the route table and the jobs.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	db       *gorm.DB // /readyz only: handlers reach the database through services
	plumbing *kit.Kit // rendering, binding, errors: shared by every area
	router   *echo.Echo
	assets   *kit.Assets
	apiDoc   []byte
	metrics  *metrics
	engine   *jobs.Engine // background jobs (River): enqueued by services, worked after Run starts it
	svc      services

	// The areas' handlers.
	auth  *authweb.Handlers
	cat   *catalogweb.Handlers
	reg   *registryweb.Handlers
	ord   *orderweb.Handlers
	adm   *adminweb.Handlers
	rev   *reviewweb.Handlers
	sta   *statsweb.Handlers
	jobs  *jobsweb.Handlers
	hooks *webhookweb.Handlers
	ntf   *notifyweb.Handlers
}

// services are the domain services, built once in New and shared by the
// areas that need them.
type services struct {
	accounts      *account.Service
	producers     *producer.Store
	regions       *region.Store
	products      *catalog.Service
	photos        *catalog.PhotoService
	badges        *registry.BadgeStore
	certification *registry.Service // applications, decisions, certificates
	orders        *order.Service
	payments      *payment.Service
	reviews       *review.Service
	stats         *stats.Service // the public figures, gathered from the areas above
	notify        *notify.Service
	webhooks      *webhook.Service // outgoing webhooks: EnqueueTx from the services that emit events
}

// New builds the server and its dependencies on g. Templates, messages and
// the OpenAPI document are loaded here, so a broken one fails at start.
func New(cfg config.Config, log *slog.Logger, g *gorm.DB) (*Server, error) {
	msgs, err := i18n.Load(frontend.Messages())
	if err != nil {
		return nil, err
	}
	a, err := kit.LoadAssets(frontend.Static())
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	if err := a.Bundle(frontend.SiteCSS, frontend.SiteCSSParts()...); err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	pages, err := kit.NewRenderer(frontend.Templates(), msgs, a)
	if err != nil {
		return nil, err
	}
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	blobs, err := newBlobStore(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, db: g, assets: a, apiDoc: doc, metrics: newMetrics(),
		plumbing: &kit.Kit{Pages: pages, Msgs: msgs, Valid: validate.New(), Log: log, BaseURL: cfg.BaseURL, Secure: cfg.Secure()},
	}
	if s.engine, err = s.newEngine(); err != nil {
		return nil, err
	}
	notifier, err := newNotifier(cfg, log, g, msgs, s.engine)
	if err != nil {
		return nil, err
	}
	s.svc = newServices(cfg, g, blobs, s.engine, notifier)
	s.newAreas()
	s.RegisterJobs(s.engine)
	s.router = s.routes()
	return s, nil
}

// newServices builds the domain services on g; uploads go to blobs. Orders,
// payments and the registry tell people through n, in their transactions.
func newServices(cfg config.Config, g *gorm.DB, blobs blob.Store, engine *jobs.Engine, n *notify.Service) services {
	var sc *stripe.Client
	if cfg.StripeSecretKey != "" {
		sc = stripe.New(cfg.StripeSecretKey, cfg.StripeAPIBase, cfg.StripeWebhookSecret)
	}
	orders := order.NewService(g, cfg.PaymentTTL, payment.CommissionBP)
	badges := registry.NewBadgeStore(g)
	producers, regions := producer.NewStore(g), region.NewStore(g)
	products, photos := catalog.NewService(g, badges), catalog.NewPhotoService(g, blobs)
	certification := registry.NewService(g, blobs, nil)
	certification.SetJobs(engine) // bulk imports run as jobs
	svc := services{
		webhooks:      webhook.NewService(g, engine),
		accounts:      account.NewService(g, account.NewLimiter(5, 15*time.Minute)),
		producers:     producers,
		regions:       regions,
		products:      products,
		photos:        photos,
		reviews:       review.NewService(g, photos, products),
		badges:        badges,
		certification: certification,
		orders:        orders,
		payments: payment.NewService(g, orders, payment.Config{
			Collection:        payment.Collection{BIN: cfg.CollectionBankBIN, Account: cfg.CollectionAccount, Holder: cfg.CollectionHolder},
			BankWebhookSecret: cfg.BankWebhookSecret,
			Stripe:            sc,
			BaseURL:           cfg.BaseURL,
			VietQRDisabled:    cfg.VietQRDisabled,
			Jobs:              engine,
		}),
		stats:  stats.NewService(badges, producers, products, orders, regions, nil).Snapshots(g, cfg.StatsSnapshot),
		notify: n,
	}
	n.SetJobs(engine, svc.webhooks) // every event also goes to the registered webhooks
	orders.SetNotifier(n, svc.payments.TransferDetails)
	svc.certification.SetNotifier(n)
	return svc
}

// newAreas gives each area's handlers the plumbing and only the services it needs.
func (s *Server) newAreas() {
	k, svc := s.plumbing, s.svc
	secret := cursorSecret(s.cfg)
	s.ord = &orderweb.Handlers{Kit: k, Orders: svc.orders, Payments: svc.payments, Producers: svc.producers, Regions: svc.regions,
		Products: svc.products,
		// Each checkout reserves stock for the payment TTL: a flood of unpaid checkouts would hold a producer's stock.
		Checkouts: account.NewLimiter(30, 10*time.Minute), CardReady: s.cfg.StripeSecretKey != "", VietQRDisabled: s.cfg.VietQRDisabled}
	s.auth = &authweb.Handlers{Kit: k, Accounts: svc.accounts, Producers: svc.producers, Carts: s.ord}
	s.cat = &catalogweb.Handlers{Kit: k, Catalog: svc.products, Photos: svc.photos, Badges: svc.badges, Registry: svc.certification,
		Producers: svc.producers, Regions: svc.regions, Cursors: catalog.NewCursorCodec(secret), Cache: kit.NewReadCache(kit.PublicCacheTTL, s.cfg.ReadCacheBytes),
		Reviews: svc.reviews, Sales: svc.orders}
	s.reg = &registryweb.Handlers{Kit: k, Registry: svc.certification, Producers: svc.producers, Regions: svc.regions,
		CertCursors: cursor.New(secret)}
	s.adm = &adminweb.Handlers{Kit: k, Producers: svc.producers, Registry: svc.certification, Regions: svc.regions}
	s.rev = &reviewweb.Handlers{Kit: k, Reviews: svc.reviews, Producers: svc.producers, Cursors: cursor.New(secret)}
	s.sta = &statsweb.Handlers{Kit: k, Stats: svc.stats, Registry: svc.certification}
	if s.cfg.StatsCache > 0 {
		s.sta.Cache = kit.NewReadCache(s.cfg.StatsCache, statsCacheBytes)
	}
	s.jobs = &jobsweb.Handlers{Kit: k, Jobs: s.engine}
	s.hooks = &webhookweb.Handlers{Kit: k, Webhooks: svc.webhooks}
	s.ntf = &notifyweb.Handlers{Kit: k, Notify: svc.notify}
}

// statsCacheBytes bounds the statistics' read cache: a national page's
// view is a few hundred kilobytes, a commune's far less, so the busy
// filters of both languages fit.
const statsCacheBytes = 8 << 20

// cursorSecret signs the list cursors. Without OCOP_CURSOR_SECRET it is
// derived from the database URL: the same on every instance of one
// deployment, so a cursor from one instance is good on another.
func cursorSecret(cfg config.Config) []byte {
	if cfg.CursorSecret != "" {
		return []byte(cfg.CursorSecret)
	}
	sum := sha256.Sum256([]byte("ocop-cursor\x00" + cfg.DatabaseURL))
	return sum[:]
}

// Handler is the whole application as an http.Handler, for tests and for Run.
func (s *Server) Handler() http.Handler { return kit.HeadAsGet(s.router) }

// Run serves the site on cfg.Addr and /metrics on cfg.MetricsAddr (a
// listener of its own, so metrics never reach the public one) until ctx is
// cancelled, then stops taking new connections and lets in-flight requests
// finish within the shutdown timeout.
func (s *Server) Run(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("OCOP_ADDR: listen %s: %w", s.cfg.Addr, err)
	}
	servers := []*http.Server{s.httpServer(s.Handler())}
	listeners := []net.Listener{ln}
	if s.cfg.MetricsAddr != config.MetricsOff {
		mln, err := net.Listen("tcp", s.cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("OCOP_METRICS_ADDR: listen %s: %w (set another address, or off)", s.cfg.MetricsAddr, err)
		}
		servers, listeners = append(servers, s.httpServer(s.MetricsHandler())), append(listeners, mln)
		s.log.Info("metrics listening", "addr", mln.Addr().String())
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	if err := s.startJobs(ctx); err != nil {
		for _, srv := range servers {
			srv.Close() // nothing was served yet: the start-up error is the one to report
		}
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	running := len(servers)
	var errList []error
	select {
	case err := <-errc: // one listener failed: stop the other too
		running--
		errList = append(errList, fmt.Errorf("listener stopped: %w", err))
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			errList = append(errList, fmt.Errorf("shutdown: %w", err))
		}
	}
	// Running jobs get what is left of the grace period; those cut short are
	// retried later, here or on another instance.
	if err := s.engine.Stop(sctx); err != nil {
		errList = append(errList, err)
	}
	for range running {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errList = append(errList, err)
		}
	}
	return errors.Join(errList...)
}

// httpServer is an http.Server with the timeouts every listener needs.
func (s *Server) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// MetricsHandler serves /metrics (Prometheus) and nothing else. Run puts it
// on OCOP_METRICS_ADDR; it is never part of the site's route table.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.httpHandler())
	return mux
}

// base installs the middleware every request goes through, outermost first.
func (s *Server) base(e *echo.Echo) {
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.plumbing.HandleError
	e.IPExtractor = echo.ExtractIPDirect() // behind a proxy, set a trusted extractor here
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RequestID())
	e.Use(kit.AccessLog(s.log, s.metrics))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.Error("panic", "id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err, "stack", string(stack))
		return err
	}}))
	e.Use(kit.SecurityHeaders(s.cfg.Secure()))
	e.Use(s.plumbing.RefuseBadText(max(photoLimit, reviewLimit))) // a review's photos are the largest body any route takes
	e.Use(kit.Gzip(5, 1024))
	e.Use(kit.Timeout(20 * time.Second))
}

// PhotoGatePeak is the most photos this server ever decoded at once, for
// tests and measurements.
func (s *Server) PhotoGatePeak() int { return s.svc.photos.Gate().Peak() }

// Routes lists every route registered in Echo (method and path), so tests can
// check the route table against the OpenAPI document.
func (s *Server) Routes() []*echo.Route { return s.router.Routes() }

// newBlobStore is where uploaded files live: an S3-compatible bucket when one
// is configured (so several instances share them), else DataDir/blobs.
func newBlobStore(cfg config.Config) (blob.Store, error) {
	if cfg.S3Endpoint != "" {
		return blob.NewS3(blob.S3Config{Endpoint: cfg.S3Endpoint, Bucket: cfg.S3Bucket, Region: cfg.S3Region,
			AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey}), nil
	}
	d, err := blob.NewDisk(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("uploads: %w", err)
	}
	return d, nil
}
