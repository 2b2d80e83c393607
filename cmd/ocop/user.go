package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gorm.io/gorm"

	"github.com/chocop/ocop/internal/account"
	"github.com/chocop/ocop/internal/producer"
)

// createUser makes a user from the command line, and for a producer user
// the membership, in one transaction.
func createUser(ctx context.Context, g *gorm.DB, in account.NewUser, producerSlug string, stdout io.Writer) error {
	if in.Role == account.RoleProducer && producerSlug == "" {
		return errors.New("user create: a producer user needs --producer SLUG")
	}
	if in.Role != account.RoleOfficer {
		in.OfficerLevel, in.OfficerProvinceCode = account.LevelNone, ""
	}
	return g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := account.NewService(tx, nil).Create(ctx, in)
		if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		if in.Role == account.RoleProducer {
			store := producer.NewStore(tx)
			p, err := store.BySlug(ctx, producerSlug)
			if err != nil {
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
