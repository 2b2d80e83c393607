//go:build !unix

package db

import "context"

// lockFile does nothing where flock(2) is missing (Windows): two processes
// starting together on one fresh SQLite file are not guarded there. The
// supported deployments (Linux, the Docker image) and macOS development are Unix.
func lockFile(context.Context, string) (func() error, error) {
	return func() error { return nil }, nil
}
