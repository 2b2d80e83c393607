package blob

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/chocop/ocop/internal/platform/errs"
)

func TestDiskRoundTripAndTraversal(t *testing.T) {
	ctx := context.Background()
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "photos/a/b.txt", "text/plain", strings.NewReader("hồi")); err != nil {
		t.Fatal(err)
	}
	r, err := d.Open(ctx, "photos/a/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "hồi" {
		t.Fatalf("read %q", b)
	}
	if err := d.Delete(ctx, "photos/a/b.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, "photos/a/b.txt"); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("open after delete: %v, want ErrNotFound", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", `a\b`, ""} {
		if err := d.Put(ctx, bad, "", strings.NewReader("x")); err == nil {
			t.Errorf("Put accepted key %q", bad)
		}
	}
}
