// Package randcode makes short random codes that people read off a package
// or a bank receipt and type back: verify codes, order codes, vouchers.
package randcode

import (
	"crypto/rand"
	"math/big"
)

// New returns n characters drawn uniformly from alphabet with crypto/rand
// (security: codes are unguessable, never derived from ids or dates).
func New(alphabet string, n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("randcode: crypto/rand failed: " + err.Error()) // the OS has no entropy: nothing safe to do
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}
