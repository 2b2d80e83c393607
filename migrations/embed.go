// Package migrations holds the schema as versioned SQL files, one folder per
// dialect, embedded in the binary. Rules: one new file per change per dialect,
// the same version number in both folders, and a shipped file is never edited.
// Version ranges: 1-9 accounts, regions, producers and the shared catalog and
// certificate core; 10-19 catalog; 20-29 registry; 30-39 orders and payments.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
