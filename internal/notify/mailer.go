package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Mailer sends e-mail over SMTP (OCOP_SMTP_URL), one connection per
// message: the volume is a few messages per order, and a fresh connection
// after an outage needs no reconnect logic.
type Mailer struct {
	host, from string
	opts       []mail.Option
}

// Message is one e-mail ready to send.
type Message struct {
	To        string
	Subject   string
	Text      string // the plain text part
	HTML      string // the HTML alternative
	MessageID string // without angle brackets; stable per event and recipient
	Lang      string // Content-Language
	// Unsubscribe is the one-click link (RFC 8058) of the message's kind.
	Unsubscribe string
}

// ParseSMTPURL checks OCOP_SMTP_URL: smtp://[user:pass@]host[:port]
// (STARTTLS when the server offers it; port 587 by default) or
// smtps://[user:pass@]host[:port] (TLS from the first byte; port 465).
func ParseSMTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL") // security: the error would repeat the password
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, errors.New("the scheme must be smtp:// or smtps://")
	}
	if u.Hostname() == "" {
		return nil, errors.New("no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, errors.New("bad port")
		}
	}
	return u, nil
}

// NewMailer builds a Mailer for smtpURL (see ParseSMTPURL) sending from
// from (OCOP_MAIL_FROM).
func NewMailer(smtpURL, from string) (*Mailer, error) {
	u, err := ParseSMTPURL(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("OCOP_SMTP_URL: %w", err)
	}
	opts := []mail.Option{mail.WithTimeout(15 * time.Second), mail.WithTLSConfig(&tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12})}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p) // checked by ParseSMTPURL
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	m := &Mailer{host: u.Hostname(), from: from, opts: opts}
	if err := mail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("OCOP_MAIL_FROM: %w", err)
	}
	return m, nil
}

// Send delivers msg. A refused recipient address is a PermanentError (no
// retry can change it); anything else may be retried.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	e := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8))
	if err := e.From(m.from); err != nil {
		return PermanentError{err}
	}
	if err := e.To(msg.To); err != nil {
		return PermanentError{err}
	}
	e.Subject(msg.Subject)
	e.SetMessageIDWithValue(msg.MessageID)
	e.SetDate()
	if msg.Lang != "" {
		e.SetGenHeader(mail.HeaderContentLang, msg.Lang)
	}
	if msg.Unsubscribe != "" {
		e.SetGenHeader("List-Unsubscribe", "<"+msg.Unsubscribe+">")
		e.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	e.SetGenHeader("Auto-Submitted", "auto-generated")
	e.SetBodyString(mail.TypeTextPlain, msg.Text)
	e.AddAlternativeString(mail.TypeTextHTML, msg.HTML)
	c, err := mail.NewClient(m.host, m.opts...)
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, e)
	var se *mail.SendError
	if errors.As(err, &se) && se.Reason == mail.ErrSMTPRcptTo && !se.IsTemp() {
		return PermanentError{err}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return fmt.Errorf("smtp %s: %w", m.host, err)
	}
	return err
}

// PermanentError is a send that no retry can make succeed.
type PermanentError struct{ Err error }

func (p PermanentError) Error() string { return "permanent: " + p.Err.Error() }
func (p PermanentError) Unwrap() error { return p.Err }
