package region

import "context"

// CommunesByCode returns the communes with codes (retired ones too: an
// address written before a reform keeps its unit), by code, in one query
// however many codes: a list that names a commune per row reads them all
// at once. Codes that name no commune are absent from the map.
func (s *Store) CommunesByCode(ctx context.Context, codes []string) (map[string]Commune, error) {
	out := make(map[string]Commune, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var cs []Commune
	if err := s.db.WithContext(ctx).Where("code IN ?", codes).Find(&cs).Error; err != nil {
		return nil, err
	}
	for _, c := range cs {
		out[c.Code] = c
	}
	return out, nil
}

// ProvincesByCode returns every province by code (34 rows, one query).
func (s *Store) ProvincesByCode(ctx context.Context) (map[string]Province, error) {
	ps, err := s.Provinces(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Province, len(ps))
	for _, p := range ps {
		out[p.Code] = p
	}
	return out, nil
}
