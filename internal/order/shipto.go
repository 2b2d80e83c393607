package order

import (
	"context"
	"fmt"
)

// Address is where g ships to, as the shopper entered it at checkout.
func (g Group) Address() Address {
	return Address{RecipientName: g.RecipientName, Phone: g.Phone, ProvinceCode: g.ProvinceCode, CommuneCode: g.CommuneCode,
		Street: g.Street, Note: g.Note}
}

// ShipTo returns where each of orders goes, by group id: the address of
// its group, read for all of them in one query however many orders (a
// producer's order list shows up to 200). Every order has a group, so a
// group that cannot be found is an error, never an order without its
// address.
func (s *Service) ShipTo(ctx context.Context, orders []Order) (map[int64]Address, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, o := range orders {
		if !seen[o.GroupID] {
			seen[o.GroupID] = true
			ids = append(ids, o.GroupID)
		}
	}
	out := make(map[int64]Address, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var gs []Group
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("ship-to addresses: %w", err)
	}
	for _, g := range gs {
		out[g.ID] = g.Address()
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, fmt.Errorf("ship-to addresses: order group %d is missing", id)
		}
	}
	return out, nil
}
