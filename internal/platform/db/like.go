package db

import "strings"

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// LikeEscape makes s match itself inside a LIKE pattern: a typed "%" or
// "_" is not a wildcard. The pattern must be used with ESCAPE '\' (SQLite
// has no default escape character; PostgreSQL's is the backslash).
func LikeEscape(s string) string { return likeEscaper.Replace(s) }
