package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/platform/errs"
	"github.com/chocop/ocop/internal/producer"
	"github.com/chocop/ocop/internal/registry"
)

// checkNewUser validates the flags of user create before anything is opened,
// with messages that name the flag.
func checkNewUser(in account.NewUser, producerSlug string) error {
	var problems []error
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		problems = append(problems, fmt.Errorf("--email: expected an e-mail address, got %q", in.Email))
	}
	if strings.TrimSpace(in.Name) == "" {
		problems = append(problems, errors.New("--name: required"))
	}
	if len(in.Password) < 8 {
		problems = append(problems, errors.New("--password: expected at least 8 characters")) // never echo it
	}
	if !in.Role.Valid() {
		problems = append(problems, fmt.Errorf("--role: expected shopper, producer, officer or admin, got %q", in.Role))
	}
	if in.Role == account.RoleProducer && producerSlug == "" {
		problems = append(problems, errors.New("--producer: a producer user needs the slug of the producer they act for"))
	}
	if in.Role == account.RoleOfficer {
		switch in.OfficerLevel {
		case account.LevelCentral:
		case account.LevelProvince, account.LevelCommune:
			if in.OfficerProvinceCode == "" {
				problems = append(problems, errors.New("--province: a provincial or commune officer needs a province code (e.g. 20 for Lạng Sơn), or use --level central"))
			}
			if in.OfficerLevel == account.LevelCommune && in.OfficerCommuneCode == "" {
				problems = append(problems, errors.New("--commune: a commune officer needs the code of a commune of --province"))
			}
		default:
			problems = append(problems, fmt.Errorf("--level: expected province, commune or central, got %q", in.OfficerLevel))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("user create:\n%w", err)
	}
	return nil
}

// createUser makes a user from the command line: an officer through the
// registry, as an admin would (the same checks of province and commune, and
// an entry in the registry's audit log); anyone else directly, a producer
// user with their membership in one transaction.
func createUser(ctx context.Context, g *gorm.DB, in account.NewUser, producerSlug string, stdout io.Writer) error {
	if in.Role == account.RoleOfficer {
		return createOfficer(ctx, g, in, stdout)
	}
	in.OfficerLevel, in.OfficerProvinceCode, in.OfficerCommuneCode = account.LevelNone, "", ""
	return g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := account.NewService(tx, nil).Create(ctx, in)
		if errors.Is(err, errs.ErrConflict) {
			return fmt.Errorf("user create: --email: %s already has an account", in.Email)
		} else if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		if in.Role == account.RoleProducer {
			store := producer.NewStore(tx)
			p, err := store.BySlug(ctx, producerSlug)
			if errors.Is(err, errs.ErrNotFound) {
				return fmt.Errorf("user create: --producer: no producer has the slug %q", producerSlug)
			} else if err != nil {
				return fmt.Errorf("user create: %w", err)
			}
			if err := store.AddMember(ctx, p.ID, u.ID, "owner"); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "created %s user %s (id %d)\n", u.Role, u.Email, u.ID)
		return nil
	})
}

// createOfficer creates an officer through registry.Service.CreateOfficer,
// naming the flag at fault when it refuses.
func createOfficer(ctx context.Context, g *gorm.DB, in account.NewUser, stdout io.Writer) error {
	u, err := registry.NewService(g, nil, nil).CreateOfficer(ctx, registry.CommandLine(), registry.OfficerInput{
		Email: in.Email, Name: in.Name, Password: in.Password, Level: in.OfficerLevel,
		ProvinceCode: in.OfficerProvinceCode, CommuneCode: in.OfficerCommuneCode})
	var ve *errs.ValidationError
	switch {
	case errors.Is(err, errs.ErrConflict):
		return fmt.Errorf("user create: --email: %s already has an account", in.Email)
	case errors.As(err, &ve):
		var problems []error
		for _, f := range ve.Fields {
			switch f.Field {
			case "province_code", "province":
				problems = append(problems, fmt.Errorf("--province: no province has the code %q (run ocop seed first?)", in.OfficerProvinceCode))
			case "commune_code", "commune":
				problems = append(problems, fmt.Errorf("--commune: %q is not a current commune of province %q", in.OfficerCommuneCode, in.OfficerProvinceCode))
			default:
				problems = append(problems, fmt.Errorf("--%s: %s", f.Field, f.Message))
			}
		}
		return fmt.Errorf("user create:\n%w", errors.Join(problems...))
	case err != nil:
		return fmt.Errorf("user create: %w", err)
	}
	fmt.Fprintf(stdout, "created officer user %s (id %d, %s level)\n", u.Email, u.ID, u.OfficerLevel)
	return nil
}
