package blob_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/chocop/ocop/internal/platform/blob"
	"github.com/chocop/ocop/internal/platform/errs"
)

// TestS3AgainstAnS3Server runs the S3 store against gofakes3, an in-process
// server speaking the S3 protocol. (gofakes3 does not check signatures, so
// the test also checks that every request carries a SigV4 Authorization.)
func TestS3AgainstAnS3Server(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("photos"); err != nil {
		t.Fatal(err)
	}
	fake := gofakes3.New(backend).Server()
	var unsigned int
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKTEST/") ||
			!strings.Contains(a, "SignedHeaders=") || r.Header.Get("X-Amz-Content-Sha256") == "" {
			unsigned++
		}
		fake.ServeHTTP(w, r)
	}))
	defer ts.Close()
	s := blob.NewS3(blob.S3Config{Endpoint: ts.URL, Bucket: "photos", Region: "ap-southeast-1", AccessKey: "AKTEST", SecretKey: "secret"})
	ctx := context.Background()
	key := "photos/ab/abcdef-card.jpg"
	if err := s.Put(ctx, key, "image/jpeg", strings.NewReader("jpeg bytes")); err != nil {
		t.Fatalf("put: %v", err)
	}
	r, err := s.Open(ctx, key)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if string(got) != "jpeg bytes" {
		t.Fatalf("read back %q", got)
	}
	if err := s.Put(ctx, key, "image/jpeg", strings.NewReader("replaced")); err != nil {
		t.Fatal(err)
	}
	if r, err = s.Open(ctx, key); err != nil {
		t.Fatalf("open after replace: %v", err)
	}
	if got, err = io.ReadAll(r); err != nil {
		t.Fatalf("read after replace: %v", err)
	}
	r.Close()
	if string(got) != "replaced" {
		t.Fatalf("after replace %q", got)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := s.Open(ctx, key); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("open after delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
	if err := s.Put(ctx, "../escape", "text/plain", strings.NewReader("x")); err == nil {
		t.Fatal("a key with .. was accepted")
	}
	if unsigned != 0 {
		t.Errorf("%d requests without a SigV4 signature", unsigned)
	}
	// A missing bucket is an error, not a silent success.
	bad := blob.NewS3(blob.S3Config{Endpoint: ts.URL, Bucket: "nope", AccessKey: "AKTEST", SecretKey: "secret"})
	if err := bad.Put(ctx, "k", "text/plain", strings.NewReader("x")); err == nil {
		t.Error("put into a missing bucket succeeded")
	}
}
