package vietqr

import (
	"net/url"
	"strconv"
	"strings"
)

// App is a banking app that VietQR.io's deep link opens with a transfer
// already filled in (account, amount, content), so a shopper paying on
// the phone that shows the QR need not scan it.
type App struct {
	ID   string // VietQR.io's appId
	Name string // the app's name as its bank writes it
}

// AutofillApps are the apps whose autofill VietQR.io documents (its
// changelog, https://www.vietqr.io/changelog: OCB 2.12, ACB 2.15, BIDV
// 2.16, VietinBank 2.17, MB 2.18). Other apps open on the deep link
// without the transfer filled in, so they are not offered: only what is
// documented is claimed.
var AutofillApps = []App{
	{ID: "mb", Name: "MB Bank"},
	{ID: "icb", Name: "VietinBank iPay"},
	{ID: "bidv", Name: "BIDV SmartBanking"},
	{ID: "acb", Name: "ACB ONE"},
	{ID: "ocb", Name: "OCB OMNI"},
}

// napasCodes are the NAPAS short codes (VietQR.io's "code", lower case)
// of the banks a collection account is likely to be at, by BIN. The deep
// link names the receiving bank by this code; a collection bank not here
// gets no app buttons, only the QR.
var napasCodes = map[string]string{
	"970403": "stb", "970405": "vba", "970407": "tcb", "970415": "icb", "970416": "acb", "970418": "bidv",
	"970422": "mb", "970423": "tpb", "970426": "msb", "970432": "vpb", "970436": "vcb", "970437": "hdb",
	"970441": "vib", "970443": "shb", "970448": "ocb",
}

// AppLink is one button: the app and the link that opens it.
type AppLink struct {
	App
	URL string
}

// AppLinks returns, for a transfer of amount to account at the bank with
// bin, with content, one deep link per app of AutofillApps, in the form
// https://dl.vietqr.io/pay?app=…&am=…&tn=…&ba=<account>@<code>&bn=…&url=…
// (https://www.vietqr.io/deeplink). back is where the app returns after
// paying (the order page); holder is shown by the app. Nil when the bank
// has no known code, or a field could not be carried safely.
func AppLinks(bin, account, holder string, amount int64, content, back string) []AppLink {
	code, ok := napasCodes[bin]
	if !ok || amount <= 0 || !plainAccount(account) {
		return nil
	}
	var out []AppLink
	for _, a := range AutofillApps {
		// '@' in ba and the return URL are written as they are, as the
		// documentation asks; everything else is query-escaped.
		q := "app=" + a.ID + "&am=" + strconv.FormatInt(amount, 10) + "&tn=" + url.QueryEscape(content) +
			"&ba=" + account + "@" + code + "&bn=" + url.QueryEscape(holder)
		if returnURL(back) {
			q += "&url=" + back
		}
		out = append(out, AppLink{App: a, URL: "https://dl.vietqr.io/pay?" + q})
	}
	return out
}

// returnURL is an absolute http(s) URL that can go last in the query
// unescaped, as the documentation asks: no '&', '#', '?', space or
// control character in it.
func returnURL(s string) bool {
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r > 0x7e || strings.ContainsRune("&#?\"<>'", r) {
			return false
		}
	}
	return true
}

// plainAccount is an account number that needs no escaping: letters and digits.
func plainAccount(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}
