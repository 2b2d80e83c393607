// Package seed loads reference data (administrative units, banks, the
// Decision 148 product-group tree) and the Lạng Sơn demo data. Reference
// loading is idempotent and safe in production; demo data is only ever
// written by `ocop seed --demo` or by the embedded default on an empty database.
package seed

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
)

//go:embed *.json *.csv
var files embed.FS

// readCSV returns the rows of an embedded CSV file as maps keyed by header.
func readCSV(name string) ([]map[string]string, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("seed: %s: %w", name, err)
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("seed: %s: %w", name, err)
		}
		row := make(map[string]string, len(header))
		for i, h := range header {
			row[h] = rec[i]
		}
		out = append(out, row)
	}
}
