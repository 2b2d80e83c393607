package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
)

// OfficerInput is an officer an admin creates for an authority: a
// provincial officer, a commune officer (a commune of that province), or a
// central one. With SetAuthority it is how a province goes live without code.
type OfficerInput struct {
	Email, Name, Password string
	Level                 account.OfficerLevel
	ProvinceCode          string // province and commune levels
	CommuneCode           string // commune level only
}

// CommandLine is the actor of an operator's command on the server
// (`ocop user create`): an admin without an account, whose changes the
// audit log records under this name. A new value each time, so no caller
// can change another's.
func CommandLine() *account.User {
	return &account.User{Role: account.RoleAdmin, Email: "ocop user create (command line)"}
}

// CreateOfficer creates an officer account. Only a platform admin may; the
// province must exist, and a commune officer's commune must be a current
// commune of that province. The creation is audited (without the password).
// Every door comes here: the admin page, the API and `ocop user create`.
func (s *Service) CreateOfficer(ctx context.Context, actor *account.User, in OfficerInput) (account.User, error) {
	const action = "officer.create"
	if actor == nil || actor.Role != account.RoleAdmin {
		return account.User{}, errs.ErrForbidden
	}
	var fe []errs.FieldError
	switch in.Level {
	case account.LevelCentral:
		in.ProvinceCode, in.CommuneCode = "", ""
	case account.LevelProvince, account.LevelCommune:
		if _, err := s.regions.Province(ctx, in.ProvinceCode); errors.Is(err, errs.ErrNotFound) || in.ProvinceCode == "" {
			fe = append(fe, errs.FieldError{Field: "province_code", Message: "validation.exists"})
		} else if err != nil {
			return account.User{}, err
		}
		if in.Level == account.LevelProvince {
			in.CommuneCode = ""
			break
		}
		c, err := s.regions.Commune(ctx, in.CommuneCode)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return account.User{}, err
		}
		if err != nil || in.CommuneCode == "" || c.ProvinceCode != in.ProvinceCode {
			fe = append(fe, errs.FieldError{Field: "commune_code", Message: "registry.err.commune"})
		}
	default:
		fe = append(fe, errs.FieldError{Field: "level", Message: "validation.oneof"})
	}
	if fe != nil {
		return account.User{}, s.refuse(ctx, actor, action, nil, nil, &errs.ValidationError{Fields: fe})
	}
	u, err := s.accounts.Prepare(ctx, account.NewUser{Email: in.Email, Name: in.Name, Password: in.Password, Role: account.RoleOfficer,
		OfficerLevel: in.Level, OfficerProvinceCode: in.ProvinceCode, OfficerCommuneCode: in.CommuneCode})
	if err == nil {
		// The officer and the audit entry that records them commit together.
		scope := strings.Trim(in.ProvinceCode+"/"+in.CommuneCode, "/")
		err = s.tx(ctx, func(tx *gorm.DB) error {
			var err error
			if u, err = s.accounts.InsertTx(ctx, tx, u); err != nil {
				return err
			}
			return audit(tx, actor, action, "ok", nil, nil, nil, map[string]any{"user_id": u.ID, "email": u.Email, "level": u.OfficerLevel,
				"province": in.ProvinceCode, "commune": in.CommuneCode, "at": time.Now().UTC()}, fmt.Sprintf("%s officer %s (%s)", in.Level, u.Email, scope))
		})
	}
	if err != nil {
		if isRefusal(err) {
			return account.User{}, s.refuse(ctx, actor, action, nil, nil, err)
		}
		return account.User{}, err
	}
	return u, nil
}
