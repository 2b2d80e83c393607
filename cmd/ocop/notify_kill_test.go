package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chocop/ocop/internal/notify/mailpittest"
	"github.com/chocop/ocop/internal/payment"
	"github.com/chocop/ocop/internal/platform/db"
	"github.com/chocop/ocop/internal/platform/dbtest"
	"github.com/chocop/ocop/seed"
)

// TestEmailSurvivesKill9: the built binary runs with the SMTP server down;
// a shopper pays, the order and its e-mail jobs commit, the first attempt
// fails; the process is killed with SIGKILL. Restarted with the SMTP server
// up, it sends the producer's e-mail, once.
func TestEmailSurvivesKill9(t *testing.T) {
	mp := mailpittest.Start(t)
	bin := filepath.Join(t.TempDir(), "ocop")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbtest.EachURL(t, func(t *testing.T, url string) {
		mp.Stop() // the SMTP server is down while the order is paid
		port := freePort(t)
		env := append(os.Environ(), "OCOP_DATABASE_URL="+url, "OCOP_ENV=dev", "OCOP_ADDR=127.0.0.1:"+strconv.Itoa(port),
			"OCOP_METRICS_ADDR=off", "OCOP_BASE_URL=http://127.0.0.1:"+strconv.Itoa(port), "OCOP_SMTP_URL="+mp.SMTPURL(),
			"OCOP_MAIL_FROM=Chợ OCOP <no-reply@cho-ocop.example>", "OCOP_BANK_WEBHOOK_SECRET=kill-test-secret-0123456789", "OCOP_DB_MAX_CONNS=4")
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		first := startBinary(t, bin, env, base)

		g, err := db.Open(context.Background(), url, db.MaxConns(2))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(g) })
		var variantID int64
		if err := g.Raw(`SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id JOIN producers pr ON pr.id = p.producer_id
			WHERE pr.slug = ? AND p.status = 'published' AND v.stock > 0 ORDER BY v.id LIMIT 1`, "htx-dich-vu-va-san-xuat-nong-nghiep-dong-banh").Scan(&variantID).Error; err != nil || variantID == 0 {
			t.Fatalf("no variant to buy (%v)", err)
		}
		var commune string
		g.Raw("SELECT code FROM communes WHERE province_code = '20' ORDER BY code LIMIT 1").Scan(&commune)
		tok := apiToken(t, base, "shopper@example.com")
		call(t, base, tok, "POST", "/api/v1/cart/items", map[string]any{"variant_id": variantID, "quantity": 1}, nil)
		var grp struct {
			Code   string
			Total  int64
			Orders []struct{ Code string }
		}
		call(t, base, tok, "POST", "/api/v1/checkout", map[string]any{"recipient_name": "Nguyễn Thị Test", "phone": "0912345678", "province_code": "20",
			"commune_code": commune, "street": "12 Đường Thử", "payment_method": "vietqr"}, &grp)
		body := fmt.Sprintf(`{"id":"TXN-%s","amount":%d,"content":"OCOP %s","account":"0000000000001"}`, grp.Code, grp.Total, grp.Code)
		ts := time.Now().Unix()
		req, _ := http.NewRequest("POST", base+"/webhooks/bank", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-OCOP-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-OCOP-Signature", payment.SignBank("kill-test-secret-0123456789", ts, []byte(body)))
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("bank webhook: %v %v", err, res)
		}
		res.Body.Close()

		// The e-mail jobs committed with the payment, and each has failed once.
		for end := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var tried, all int64
			g.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'notify.email' AND attempt >= 1 AND state = 'available'").Scan(&tried)
			g.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'notify.email'").Scan(&all)
			if all > 0 && tried == all {
				break
			}
			if time.Now().After(end) {
				t.Fatalf("%d of %d e-mail jobs failed once", tried, all)
			}
		}
		if err := first.Process.Kill(); err != nil { // SIGKILL: no shutdown at all
			t.Fatal(err)
		}
		_ = first.Wait() // reaps it; the error is "signal: killed"

		mp.Start()
		startBinary(t, bin, env, base)
		waitMail(t, mp, "producer@example.com", grp.Orders[0].Code)
		for end := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var left int64
			g.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'notify.email' AND state <> 'completed'").Scan(&left)
			if left == 0 || time.Now().After(end) {
				break
			}
		}
		if ms := waitMail(t, mp, "producer@example.com", grp.Orders[0].Code); len(ms) != 1 {
			t.Errorf("the producer got %d e-mails about %s after the restart, want 1", len(ms), grp.Orders[0].Code)
		}
	})
}

// startBinary runs `ocop serve` and waits for /healthz; it is killed when the test ends.
func startBinary(t *testing.T, bin string, env []string, base string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // teardown: it may be dead already
		_ = cmd.Wait()
	})
	for end := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return cmd
			}
		}
		if time.Now().After(end) {
			t.Fatalf("ocop serve did not answer /healthz:\n%s", logs.String())
		}
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func apiToken(t *testing.T, base, email string) string {
	t.Helper()
	var out struct{ Token string }
	call(t, base, "", "POST", "/api/v1/auth/token", map[string]string{"email": email, "password": seed.DemoPassword}, &out)
	return out.Token
}

// call makes an API request and decodes a 2xx answer into out.
func call(t *testing.T, base, token, method, path string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatal(err)
		}
	}
}

// waitMail waits for an e-mail to address whose subject holds s.
func waitMail(t *testing.T, mp *mailpittest.Server, address, s string) []mailpittest.Message {
	t.Helper()
	for end := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var out []mailpittest.Message
		for _, m := range mp.To(address) {
			if strings.Contains(m.Subject, s) {
				out = append(out, m)
			}
		}
		if len(out) > 0 {
			return out
		}
		if time.Now().After(end) {
			t.Fatalf("no e-mail to %s about %s", address, s)
		}
	}
}
