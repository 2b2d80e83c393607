package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
	"github.com/chocop/ocop/internal/web/kit"
)

type portalView struct {
	Producer *producer.Producer
	Address  string
	BankName string
	Items    []productJSON
	Warnings int
}

// portalHome is a producer's start page: their own producer only, with
// each listing's OCOP badge and a warning for badges expiring within 90 days.
func (s *Server) portalHome(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.producers.OfUser(ctx, kit.UserOf(c).ID)
	if err != nil {
		return err
	}
	v := portalView{Producer: &p, Address: s.address(c, p)}
	if b, err := s.regions.Bank(ctx, p.BankBIN); err == nil {
		v.BankName = b.ShortName
	}
	if v.Items, v.Warnings, err = s.ownProducts(ctx, p); err != nil {
		return err
	}
	return s.Render(c, http.StatusOK, "portal", v)
}

// address writes a producer's address as street, commune, province.
func (s *Server) address(c echo.Context, p producer.Producer) string {
	place := s.place(c.Request().Context(), p, kit.LangOf(c))
	if p.Street == "" {
		return place
	}
	return p.Street + ", " + place
}

type registryView struct {
	Central      bool
	ProvinceName string
	Overview     registry.Overview
	Stars        []int
	Statuses     []string
}

// registryHome is an officer's start page: the province's OCOP economy at a
// glance (valid certificates by star, expiries, the queue), scoped to their
// province (or every province for the central level).
func (s *Server) registryHome(c echo.Context) error {
	ctx := c.Request().Context()
	u := kit.UserOf(c)
	v := registryView{Central: u.IsCentralOfficer(), Stars: []int{5, 4, 3}, Statuses: []string{"submitted", "proposed", "scored", "forwarded", "decided"}}
	code := ""
	if !v.Central && u.OfficerProvinceCode != nil {
		code = *u.OfficerProvinceCode
		pr, err := s.regions.Province(ctx, code)
		if err != nil {
			return err
		}
		v.ProvinceName = pr.FullName
	}
	o, err := s.reg.Overview(ctx, code)
	if err != nil {
		return err
	}
	v.Overview = o
	return s.Render(c, http.StatusOK, "registry", v)
}
