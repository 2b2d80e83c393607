# Chợ OCOP. `make run` starts the site on http://localhost:8080 (embedded
# SQLite under ./var, migrated and seeded); `make test` runs every test.
#
# Tests find their outside parts from the environment:
#   OCOP_TEST_POSTGRES_URL   PostgreSQL for the second dialect (skipped when unset)
#   OCOP_CHROMIUM            Chromium for browser tests (default /usr/bin/chromium; skipped when missing)
#   OCOP_TEST_STRIPE_MOCK    stripe-mock binary (default: on PATH)
#   OCOP_TEST_MAILPIT        mailpit binary, the SMTP server of the notification tests (default: on PATH)
# .ci/run sets all of them and makes each one required.

# Go 1.27.3 carries the security fixes govulncheck asks for; machines start on
# Go 1.26.8 with GOTOOLCHAIN=local, so the go command fetches 1.27.3 from the
# module proxy (the one approved way here).
export GOTOOLCHAIN ?= go1.27.3
GO          ?= go
BIN         ?= bin/ocop
TEST_FLAGS  ?= -timeout 25m
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
STRIPE_MOCK := github.com/stripe/stripe-mock@v0.180.0
MAILPIT     := github.com/axllent/mailpit@v1.33.1
GOBIN       := $(shell $(GO) env GOPATH)/bin

.PHONY: run test build lint setup clean lighthouse

run:
	$(GO) run ./cmd/ocop

test:
	$(GO) test $(TEST_FLAGS) ./...

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/ocop

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt: run gofmt -w on the files above"; exit 1)
	$(GO) vet ./...
	PATH="$(GOBIN):$$PATH" staticcheck ./... || (echo "staticcheck failed (not installed? run make setup)"; exit 1)

# setup installs the test tools (optional: the tests skip what is missing, and .ci/run installs them itself).
setup:
	$(GO) install $(STATICCHECK)
	$(GO) install $(STRIPE_MOCK)
	$(GO) install $(MAILPIT)
	@command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || echo "browser tests need Debian's chromium: sudo apt-get install -y chromium"

# lighthouse scores home, search, product, cart, checkout and verify with
# Lighthouse 12.2.3 (mobile) in Debian's Chromium; fails below 95 in any category.
lighthouse:
	scripts/lighthouse.sh

clean:
	rm -rf bin var/browsertest
