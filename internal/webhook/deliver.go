package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/chocop/ocop/internal/platform/errs"
)

// DeliveryArgs is the job that POSTs one event to one endpoint. It is
// unique by endpoint, kind and key (the `river:"unique"` fields).
type DeliveryArgs struct {
	EndpointID int64           `json:"endpoint_id" river:"unique"`
	EventKind  string          `json:"kind" river:"unique"`
	Key        string          `json:"key" river:"unique"`
	Data       json.RawMessage `json:"data"`
}

// Kind implements river.JobArgs.
func (DeliveryArgs) Kind() string { return "webhook.deliver" }

// InsertOpts implements river.JobArgsWithInsertOpts: unique per event and
// endpoint; 12 attempts with River's backoff span about six hours.
func (DeliveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func newDelivery(endpointID int64, kind, key string, payload any) (DeliveryArgs, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return DeliveryArgs{}, fmt.Errorf("webhook %s %s: %w", kind, key, err)
	}
	return DeliveryArgs{EndpointID: endpointID, EventKind: kind, Key: key, Data: b}, nil
}

// Body is what an endpoint receives.
type Body struct {
	Kind string          `json:"kind"`
	Key  string          `json:"key"`
	Data json.RawMessage `json:"data"`
}

// Sign returns the X-OCOP-Signature value of body at ts: the bank
// notification's scheme, "sha256=" + hex HMAC-SHA256(secret, ts + "." + body).
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10) + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Worker delivers events (DeliveryArgs jobs).
type Worker struct {
	river.WorkerDefaults[DeliveryArgs]
	s      *Service
	client *http.Client
}

// NewWorker returns the delivery worker on s. Redirects are not followed:
// an endpoint answers where it was registered.
func NewWorker(s *Service) *Worker {
	return &Worker{s: s, client: &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Timeout implements river.Worker.
func (w *Worker) Timeout(*river.Job[DeliveryArgs]) time.Duration { return 30 * time.Second }

// Work implements river.Worker: one signed POST; a 2xx is done, anything
// else is retried, and a disabled or removed endpoint cancels the delivery.
func (w *Worker) Work(ctx context.Context, job *river.Job[DeliveryArgs]) error {
	ep, err := w.s.endpoint(ctx, job.Args.EndpointID)
	if errors.Is(err, errs.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	body, err := json.Marshal(Body{Kind: job.Args.EventKind, Key: job.Args.Key, Data: job.Args.Data})
	if err != nil {
		return river.JobCancel(err)
	}
	ts := time.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return river.JobCancel(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ChoOCOP-Webhook/1")
	req.Header.Set("X-OCOP-Event", job.Args.EventKind)
	req.Header.Set("X-OCOP-Delivery", strconv.FormatInt(job.ID, 10))
	req.Header.Set("X-OCOP-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-OCOP-Signature", Sign(ep.Secret, ts, body))
	res, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %d: %w", ep.ID, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // drained so the connection is reused; its content does not matter
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("webhook %d: %s answered %d", ep.ID, ep.URL, res.StatusCode)
	}
	return nil
}
