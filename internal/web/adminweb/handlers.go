// Package adminweb serves the platform admin's pages and API: the admin
// home (producers to approve or suspend) and the issuing authorities.
// Payment settings, payments and payouts are orderweb's.
package adminweb

import (
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

// Handlers are the admin handlers.
type Handlers struct {
	*kit.Kit
	Producers *producer.Store
	Registry  *registry.Service // issuing authorities
	Regions   *region.Store     // provinces' names
}
