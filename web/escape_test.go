package web

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"golang.org/x/net/html"
)

// hostile is what a client could send to make a page run its script: a
// tag, both quotes to leave an attribute, an event handler, and a
// javascript: address.
const hostile = `"'><script>alert(1)</script><img src=x onerror=alert(2)>javascript:alert(3)`

// urlAttrs are the attributes whose value a browser follows or loads.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true}

// checkNoScript fails when page, as a browser parses it, holds a script
// of its own making: a script that is not one of the door's files, an
// event handler attribute, an address that is not the door's or an
// https one, or the hostile text unescaped.
func checkNoScript(t *testing.T, what, page string) {
	t.Helper()
	if strings.Contains(page, "<script>") || strings.Contains(page, "<img src=x") {
		t.Errorf("%s: the hostile text reached the page unescaped:\n%s", what, page)
	}
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				t.Errorf("%s: %v", what, z.Err())
			}
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		for _, a := range tok.Attr {
			switch {
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("%s: <%s> has an event handler %s=%q", what, tok.Data, a.Key, a.Val)
			case urlAttrs[a.Key] && !strings.HasPrefix(a.Val, "/") && !strings.HasPrefix(a.Val, "https://") && a.Val != string(templ.FailedSanitizationURL):
				t.Errorf("%s: <%s %s=%q> goes elsewhere than the door or an https address", what, tok.Data, a.Key, a.Val)
			}
		}
		if tok.Data == "script" {
			src := ""
			for _, a := range tok.Attr {
				if a.Key == "src" {
					src = a.Val
				}
			}
			if !strings.HasPrefix(src, "/static/") || strings.ContainsAny(src, `"'<>`) {
				t.Errorf("%s: a script that is not one of the door's files: %q", what, src)
			}
		}
	}
}

// TestHostileValuesEscapedOnEveryPage: what a client sends and a page
// shows back (the user name on the login page, the address typed on the
// e-mail page) reaches it only escaped, and the values a page takes from
// the request (?mode, ?notice, ?next, ?lang, ?qr, Accept-Language) make
// no script either.
func TestHostileValuesEscapedOnEveryPage(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	c := h.client("192.0.2.60")
	w := c.post("/login", url.Values{"user": {hostile}, "password": {"x"}})
	checkNoScript(t, "POST /login", w.Body.String())
	wantBody(t, w, `value="`+html.EscapeString(hostile)+`"`)
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}}), "/account")
	w = c.post("/account/email", url.Values{"email": {hostile}, "confirm": {"x@example.com"}})
	checkNoScript(t, "POST /account/email", w.Body.String())
	wantBody(t, w, `value="`+html.EscapeString(hostile)+`"`)
	w = c.post("/account/email", url.Values{"email": {hostile}, "confirm": {hostile}})
	checkNoScript(t, "POST /account/email (twice the same)", w.Body.String())
	q := url.QueryEscape(hostile)
	c.header.Set("Accept-Language", hostile)
	for _, p := range []string{"/account", "/account/questions", "/account/email", "/account/password", "/account/reauth"} {
		path := p + "?notice=" + q + "&next=" + q + "&lang=" + q
		checkNoScript(t, "GET "+path, c.get(path).Body.String())
	}
	c.post("/logout", nil)
	for _, p := range []string{"/login", "/forgot", "/reset", "/done", "/nowhere/" + q} {
		path := p + "?mode=" + q + "&notice=" + q + "&qr=" + q + "&lang=" + q
		checkNoScript(t, "GET "+path, c.get(path).Body.String())
	}
	c.post("/forgot/email/show", nil)
	checkNoScript(t, "the QR code's page", c.get("/forgot?mode=email&qr=1&notice="+q).Body.String())
}

// TestPagesEscapeEveryValue renders every page with the hostile text in
// every value it shows, and javascript: in every address it links to or
// loads: nothing of it makes a script, whatever a future handler passes.
func TestPagesEscapeEveryValue(t *testing.T) {
	const js = "javascript:alert(4)"
	for _, lang := range []string{"it", "en"} {
		v := &view{tr: mustCatalogue(lang), Title: hostile, Serial: hostile, Error: hostile, Notice: hostile,
			Here: js + "?x=" + url.QueryEscape(hostile), Scripts: []string{strengthScript}, LoggedIn: true}
		pw := passwordData{MinLength: 8, MaxLength: 64, Action: js}
		method := forgotMethod{Value: hostile, Label: hostile, Reason: hostile}
		fd := forgotData{Methods: []forgotMethod{method, {Value: hostile, Label: hostile, Usable: true, Selected: true}},
			Questions: []string{hostile, hostile, hostile}, MaskedEmail: hostile, Pending: true, ShowQR: true,
			RecoveryAddress: hostile, TriesLeft: 3, QRSrc: js, QRURL: js}
		am := accountMethod{Label: hostile, State: hostile, Action: js, Verb: hostile, ID: hostile, Offered: true}
		amForm := am
		amForm.ActionIsAForm = true
		choice := questionChoice{ID: hostile, Text: hostile, Selected: true}
		pages := map[string]templ.Component{
			"error":     errorHTML(v, true),
			"login":     loginHTML(v, loginData{User: hostile}),
			"activate":  activateHTML(v, activateData{passwordData: pw, Open: true}),
			"activate2": activateHTML(v, activateData{passwordData: pw, Refused: hostile}),
			"reset":     resetHTML(v, pw),
			"done":      doneHTML(v, doneData{Said: []string{hostile}, OfferGUID: true}),
			"account":   accountHTML(v, accountData{Methods: []accountMethod{am, amForm}}),
			"guid":      guidHTML(v, guidData{FileName: hostile}),
			"questions": questionsHTML(v, questionsData{Slots: []questionSlot{{N: 1, Choices: []questionChoice{choice}}}, Set: true}),
			"email":     emailHTML(v, emailData{Current: hostile, Typed: hostile, Set: true}),
			"password":  passwordHTML(v, pw),
			"reauth":    reauthHTML(v, reauthData{Next: hostile}),
		}
		for _, mode := range []string{"questions", "guid", "email"} {
			d := fd
			d.Mode = mode
			pages["forgot "+mode] = forgotHTML(v, d)
		}
		for name, page := range pages {
			var b bytes.Buffer
			if err := page.Render(context.Background(), &b); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkNoScript(t, lang+" "+name, b.String())
			if !strings.Contains(b.String(), html.EscapeString(hostile)) {
				t.Errorf("%s %s: the hostile text is not shown escaped:\n%s", lang, name, b.String())
			}
		}
	}
}
