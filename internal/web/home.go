package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/region"
)

type homeView struct {
	Producers []producer.Producer
}

// home is the storefront's front page.
func (s *Server) home(c echo.Context) error {
	ps, err := s.producers.Approved(c.Request().Context(), region.LangSon, 24)
	if err != nil {
		return err
	}
	return s.pages.render(c, http.StatusOK, "home", homeView{Producers: ps})
}
