package webtest

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
)

// Tables is a fingerprint of every row of every table (App.Snapshot).
type Tables map[string][32]byte

// Snapshot hashes every row of every table, to prove later (Unchanged) that
// refused requests changed nothing.
func (a *App) Snapshot() Tables {
	a.T.Helper()
	tables, err := a.DB.Migrator().GetTables()
	if err != nil {
		a.T.Fatal(err)
	}
	out := Tables{}
	for _, name := range tables {
		var rows []map[string]any
		if err := a.DB.Table(name).Find(&rows).Error; err != nil {
			a.T.Fatalf("read %s: %v", name, err)
		}
		lines := make([]string, len(rows))
		for i, r := range rows {
			lines[i] = fmt.Sprint(r)
		}
		sort.Strings(lines)
		out[name] = sha256.Sum256([]byte(strings.Join(lines, "\n")))
	}
	return out
}

// Unchanged fails the test, naming each table, when a row of any table
// differs from the snapshot before.
func (a *App) Unchanged(before Tables) {
	a.T.Helper()
	after := a.Snapshot()
	for name, sum := range after {
		if was, ok := before[name]; !ok || was != sum {
			a.T.Errorf("table %s changed", name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			a.T.Errorf("table %s is gone", name)
		}
	}
}
