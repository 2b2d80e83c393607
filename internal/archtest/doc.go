// Package archtest holds the tests that keep the areas apart: each area
// (account, region, producer, catalog, registry, order, payment) owns its
// tables and no other area names them, not even in an SQL string; the
// areas import each other without a cycle. It has no code of its own.
package archtest
