package blob

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chocop/ocop/internal/platform/errs"
)

// S3Config points at an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, …).
type S3Config struct {
	Endpoint, Bucket, Region, AccessKey, SecretKey string
	Client                                         *http.Client // nil: a client with a 60 s timeout
}

// S3 stores blobs as objects in one bucket, addressed path-style
// (endpoint/bucket/key), which every S3-compatible server accepts. Requests
// are signed with AWS Signature Version 4; the few calls needed do not
// justify an SDK dependency.
type S3 struct {
	cfg    S3Config
	client *http.Client
	now    func() time.Time
}

// NewS3 returns an S3 store for cfg.
func NewS3(cfg S3Config) *S3 {
	c := cfg.Client
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	cfg.Endpoint = strings.TrimRight(cfg.Endpoint, "/")
	return &S3{cfg: cfg, client: c, now: time.Now}
}

// Put uploads r under key. The body is buffered to sign its hash; photos
// and documents are a few megabytes at most.
func (s *S3) Put(ctx context.Context, key, contentType string, r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	res, err := s.do(ctx, http.MethodPut, key, contentType, body)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return s3Error(res, key)
	}
	return nil
}

// Open downloads key; a missing object is errs.ErrNotFound.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	res, err := s.do(ctx, http.MethodGet, key, "", nil)
	if err != nil {
		return nil, err
	}
	if res.StatusCode == http.StatusNotFound {
		res.Body.Close()
		return nil, fmt.Errorf("blob %q: %w", key, errs.ErrNotFound)
	}
	if res.StatusCode/100 != 2 {
		defer res.Body.Close()
		return nil, s3Error(res, key)
	}
	return res.Body, nil
}

// Delete removes key; S3 answers 204 whether or not it existed.
func (s *S3) Delete(ctx context.Context, key string) error {
	res, err := s.do(ctx, http.MethodDelete, key, "", nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 && res.StatusCode != http.StatusNotFound {
		return s3Error(res, key)
	}
	return nil
}

func s3Error(res *http.Response, key string) error {
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	return fmt.Errorf("blob s3 %q: %s: %s", key, res.Status, bytes.TrimSpace(msg))
}

// do sends one signed request.
func (s *S3) do(ctx context.Context, method, key, contentType string, body []byte) (*http.Response, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") {
		return nil, fmt.Errorf("blob: bad key %q", key)
	}
	path := "/" + s.cfg.Bucket + "/" + escapePath(key)
	req, err := http.NewRequestWithContext(ctx, method, s.cfg.Endpoint+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	s.sign(req, path, body)
	return s.client.Do(req)
}

// sign adds the SigV4 Authorization header (AWS "Signing AWS API requests").
func (s *S3) sign(req *http.Request, path string, body []byte) {
	t := s.now().UTC()
	amzDate, date := t.Format("20060102T150405Z"), t.Format("20060102")
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("X-Amz-Content-Sha256", payload)
	headers := []string{"host", "x-amz-content-sha256", "x-amz-date"}
	values := map[string]string{"host": req.URL.Host, "x-amz-content-sha256": payload, "x-amz-date": amzDate}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		headers = []string{"content-type", "host", "x-amz-content-sha256", "x-amz-date"}
		values["content-type"] = ct
	}
	var canonHeaders strings.Builder
	for _, h := range headers {
		canonHeaders.WriteString(h + ":" + values[h] + "\n")
	}
	signed := strings.Join(headers, ";")
	canon := strings.Join([]string{req.Method, path, "", canonHeaders.String(), signed, payload}, "\n")
	scope := date + "/" + s.cfg.Region + "/s3/aws4_request"
	ch := sha256.Sum256([]byte(canon))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(ch[:])
	k := hmacSHA256([]byte("AWS4"+s.cfg.SecretKey), date)
	k = hmacSHA256(k, s.cfg.Region)
	k = hmacSHA256(k, "s3")
	k = hmacSHA256(k, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(k, toSign))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+s.cfg.AccessKey+"/"+scope+
		", SignedHeaders="+signed+", Signature="+sig)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// escapePath encodes each segment of a key as SigV4's canonical URI wants:
// everything but unreserved characters, keeping the slashes.
func escapePath(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(p), "+", "%2B")
	}
	return strings.Join(parts, "/")
}
