// Package region holds Vietnam's administrative units after the 1 July 2025
// two-level reform: 34 provinces and their communes, wards and special zones.
package region

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/platform/day"
	"github.com/chocop/ocop/internal/platform/errs"
)

// Province is a first-level unit, identified by its official two-digit code.
type Province struct {
	ID         int64  `gorm:"primaryKey"`
	Code       string `gorm:"not null;uniqueIndex"`
	Name       string `gorm:"not null"`
	NameEn     string `gorm:"not null"`
	FullName   string `gorm:"not null"`
	FullNameEn string `gorm:"not null"`
	Slug       string `gorm:"not null;uniqueIndex"`
}

// Commune is a second-level unit (xã, phường or đặc khu). Units still change,
// so each carries the day it took effect and, once replaced, the day it retired.
type Commune struct {
	ID            int64  `gorm:"primaryKey"`
	Code          string `gorm:"not null;uniqueIndex"`
	ProvinceCode  string `gorm:"not null"`
	Name          string `gorm:"not null"`
	NameEn        string `gorm:"not null"`
	FullName      string `gorm:"not null"`
	FullNameEn    string `gorm:"not null"`
	NameFolded    string `gorm:"not null"`
	EffectiveFrom day.Date
	RetiredOn     day.Date
}

// LangSon is the code of the province Chợ OCOP started with.
const LangSon = "20"

// Store reads provinces and communes.
type Store struct{ db *gorm.DB }

// NewStore returns a Store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Provinces lists all provinces ordered by code.
func (s *Store) Provinces(ctx context.Context) ([]Province, error) {
	var out []Province
	err := s.db.WithContext(ctx).Order("code").Find(&out).Error
	return out, err
}

// Province returns the province with code, or errs.ErrNotFound.
func (s *Store) Province(ctx context.Context, code string) (Province, error) {
	var p Province
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&p).Error
	if err == gorm.ErrRecordNotFound {
		return p, fmt.Errorf("province %q: %w", code, errs.ErrNotFound)
	}
	return p, err
}

// Communes lists the current communes of a province, ordered by name.
func (s *Store) Communes(ctx context.Context, provinceCode string) ([]Commune, error) {
	var out []Commune
	err := s.db.WithContext(ctx).Where("province_code = ? AND retired_on IS NULL", provinceCode).Order("name_folded").Find(&out).Error
	return out, err
}

// Commune returns the commune with code, or errs.ErrNotFound.
func (s *Store) Commune(ctx context.Context, code string) (Commune, error) {
	var c Commune
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&c).Error
	if err == gorm.ErrRecordNotFound {
		return c, fmt.Errorf("commune %q: %w", code, errs.ErrNotFound)
	}
	return c, err
}
