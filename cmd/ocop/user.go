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
	"github.com/chocop/ocop/internal/region"
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
		case account.LevelProvince:
			if in.OfficerProvinceCode == "" {
				problems = append(problems, errors.New("--province: a provincial officer needs a province code (e.g. 20 for Lạng Sơn), or use --level central"))
			}
		default:
			problems = append(problems, fmt.Errorf("--level: expected province or central, got %q", in.OfficerLevel))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("user create:\n%w", err)
	}
	return nil
}

// createUser makes a user from the command line, and for a producer user
// the membership, in one transaction.
func createUser(ctx context.Context, g *gorm.DB, in account.NewUser, producerSlug string, stdout io.Writer) error {
	if in.Role != account.RoleOfficer {
		in.OfficerLevel, in.OfficerProvinceCode = account.LevelNone, ""
	}
	if in.OfficerLevel == account.LevelCentral {
		in.OfficerProvinceCode = ""
	}
	if in.OfficerProvinceCode != "" {
		if _, err := region.NewStore(g).Province(ctx, in.OfficerProvinceCode); errors.Is(err, errs.ErrNotFound) {
			return fmt.Errorf("user create: --province: no province has the code %q (run ocop seed first?)", in.OfficerProvinceCode)
		} else if err != nil {
			return err
		}
	}
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
