package region

import (
	"context"
	"errors"
	"strings"

	"github.com/chocop/ocop/internal/platform/errs"
)

// CurrentCommune returns the commune with code when it is in force (not
// retired) and, when provinceCode is not empty, in that province; otherwise
// errs.ErrNotFound. It is the check every address a person enters goes through.
func (s *Store) CurrentCommune(ctx context.Context, code, provinceCode string) (Commune, error) {
	c, err := s.Commune(ctx, code)
	if err != nil {
		return c, err
	}
	if !c.RetiredOn.IsZero() || (provinceCode != "" && c.ProvinceCode != provinceCode) {
		return Commune{}, errs.ErrNotFound
	}
	return c, nil
}

// Place writes where a producer is for the public, "commune, province", in
// lang ("en" or Vietnamese, the default), never the street. A code that
// names no unit is left out (the rest of the place is still true); a
// database error is returned.
func (s *Store) Place(ctx context.Context, communeCode, provinceCode, lang string) (string, error) {
	var parts []string
	if communeCode != "" {
		cm, err := s.Commune(ctx, communeCode)
		switch {
		case err == nil:
			parts = append(parts, pick(lang, cm.FullName, cm.FullNameEn))
		case !errors.Is(err, errs.ErrNotFound):
			return "", err
		}
	}
	if provinceCode != "" {
		pr, err := s.Province(ctx, provinceCode)
		switch {
		case err == nil:
			parts = append(parts, pick(lang, pr.FullName, pr.FullNameEn))
		case !errors.Is(err, errs.ErrNotFound):
			return "", err
		}
	}
	return strings.Join(parts, ", "), nil
}

// Address writes "street, commune, province" with the units' official
// Vietnamese names, as a printed document carries it. Unlike Place, every
// code must name a unit: an address missing its commune is wrong on paper,
// so an unknown code is errs.ErrNotFound and the caller decides.
func (s *Store) Address(ctx context.Context, street, communeCode, provinceCode string) (string, error) {
	var parts []string
	if street != "" {
		parts = append(parts, street)
	}
	if communeCode != "" {
		cm, err := s.Commune(ctx, communeCode)
		if err != nil {
			return "", err
		}
		parts = append(parts, cm.FullName)
	}
	pr, err := s.Province(ctx, provinceCode)
	if err != nil {
		return "", err
	}
	parts = append(parts, pr.FullName)
	return strings.Join(parts, ", "), nil
}

// pick is en when lang is "en" and an English name exists, else vi.
func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}
