// Package registryweb serves the OCOP certification registry: public
// verification (the page a package's QR code opens, JSON, print, PDF, QR
// images, the scanned decision) and certificate search, a producer's
// applications in the portal, and the officers' pages and API: the queue,
// scoring, decisions, certificates, revocations, historic imports,
// revocation proposals and exports.
package registryweb

import (
	"github.com/chocop/ocop/internal/platform/cursor"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the registry and verification handlers.
type Handlers struct {
	*kit.Kit
	Registry    *registry.Service
	Producers   *producer.Store // the producer a portal user applies for
	Regions     *region.Store   // the officer's province on the registry home
	CertCursors *cursor.Codec   // signed cursors of the officers' certificate list
}
