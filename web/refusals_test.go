package web

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"nvrmenu/apitype"
	"nvrmenu/recovery"
)

// TestRefusalsAnyClientCanMakeAreLoggedAtARate: a flood of requests under
// a foreign Host, or of cross-origin ones, writes one log line of each
// kind per refusedLogEvery, which tells how many it held back; each such
// refusal closes its connection.
func TestRefusalsAnyClientCanMakeAreLoggedAtARate(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c := h.client("192.0.2.20")
	foreign := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/login", nil)
		r.Host = "evil.example"
		return c.do(r)
	}
	crossOrigin := func(path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, strings.NewReader("password=x"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		return c.do(r)
	}
	lines := func(what string) []string {
		var out []string
		for _, l := range strings.Split(h.logText(), "\n") {
			if strings.Contains(l, what) {
				out = append(out, l)
			}
		}
		return out
	}
	const flood = 100
	for i := range flood {
		for _, w := range []*httptest.ResponseRecorder{foreign(), crossOrigin("/activate"), crossOrigin("/api/v1/login")} {
			if w.Code != http.StatusMisdirectedRequest && w.Code != http.StatusForbidden {
				t.Fatalf("request %d: status %d, want a refusal", i, w.Code)
			}
			if got := w.Header().Get("Connection"); got != "close" {
				t.Fatalf("request %d refused with %d: Connection %q, want close", i, w.Code, got)
			}
		}
	}
	if got := lines("foreign host refused"); len(got) != 1 || !strings.Contains(got[0], "refusals_not_logged=0") {
		t.Fatalf("after %d foreign-host requests, log lines:\n%s\nwant 1, with refusals_not_logged=0", flood, strings.Join(got, "\n"))
	}
	if got := lines("cross-origin request refused"); len(got) != 1 {
		t.Fatalf("after %d cross-origin requests, log lines:\n%s\nwant 1", 2*flood, strings.Join(got, "\n"))
	}
	// Just before the interval has passed, still held back.
	h.clock.Advance(refusedLogEvery - 1)
	foreign()
	if got := len(lines("foreign host refused")); got != 1 {
		t.Fatalf("%d foreign-host lines before the interval passed, want 1", got)
	}
	h.clock.Advance(1)
	foreign()
	crossOrigin("/activate")
	if got := lines("foreign host refused"); len(got) != 2 || !strings.Contains(got[1], fmt.Sprintf("refusals_not_logged=%d", flood)) {
		t.Fatalf("log lines:\n%s\nwant a second one with refusals_not_logged=%d", strings.Join(got, "\n"), flood)
	}
	if got := lines("cross-origin request refused"); len(got) != 2 || !strings.Contains(got[1], fmt.Sprintf("refusals_not_logged=%d", 2*flood-1)) {
		t.Fatalf("log lines:\n%s\nwant a second one with refusals_not_logged=%d", strings.Join(got, "\n"), 2*flood-1)
	}
}

// TestCrossOriginRefusedOnEveryStateChangingRoute takes every route and
// method the door serves from its own table: each one that is not GET or
// HEAD is refused with 403 cross-origin when another site's page sends
// it, by Sec-Fetch-Site or by Origin, before the core is asked anything.
func TestCrossOriginRefusedOnEveryStateChangingRoute(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	owner := h.client("192.0.2.21")
	w := owner.api("POST", "/api/v1/login", map[string]string{"user": recovery.AdminUser, "password": testPassword}, "")
	wantStatus(t, w, http.StatusOK)
	token := decode[apitype.Session](t, w).Token
	statusBefore := h.core.Console().Status()
	checked := 0
	for _, rt := range h.srv.routes {
		path := strings.TrimSuffix(rt.pattern, "{$}")
		for _, m := range rt.methods {
			if m == http.MethodGet || m == http.MethodHead {
				continue
			}
			for _, hdr := range []struct{ k, v string }{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
				t.Run(m+" "+path+" "+hdr.k, func(t *testing.T) {
					c := h.client("192.0.2.21")
					c.cookies[sessionCookie] = token
					r := httptest.NewRequest(m, path, strings.NewReader(`{"password":"`+testPassword+`"}`))
					r.Header.Set("Content-Type", "application/json")
					r.Header.Set("Authorization", "Bearer "+token)
					r.Header.Set(hdr.k, hdr.v)
					w := c.do(r)
					wantStatus(t, w, http.StatusForbidden)
					if isAPI(r) {
						if pb := decode[apitype.Error](t, w); pb.Error.Code != "cross-origin" {
							t.Errorf("code %q, want cross-origin", pb.Error.Code)
						}
					}
				})
				checked++
			}
		}
	}
	// 18 page routes and 18 API route methods change state today; a table that
	// lost them would check nothing.
	if checked < 2*30 {
		t.Fatalf("checked %d requests: the route table lacks the state-changing routes", checked)
	}
	if w := owner.api("GET", "/api/v1/account", nil, token); w.Code != http.StatusOK {
		t.Fatalf("after the cross-origin requests the session's account answers %d:\n%s", w.Code, w.Body.String())
	}
	if st := h.core.Console().Status(); !reflect.DeepEqual(st, statusBefore) {
		t.Fatalf("status after the cross-origin requests:\n%+v\nwant unchanged:\n%+v", st, statusBefore)
	}
}

// TestHostCheckReadsTheAddressesAtMostOnceASecond: a client sending one
// unknown address as Host after another makes the door read the
// interfaces' addresses once a second at most, on demand; a new address
// is known once it has been read.
func TestHostCheckReadsTheAddressesAtMostOnceASecond(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	var mu sync.Mutex
	reads := 0
	local := []netip.Addr{netip.MustParseAddr(deviceHost)}
	srv, err := New(Options{
		Doors:  func(c recovery.Caller) Door { return h.core.Door(c) },
		Logger: slog.New(slog.DiscardHandler),
		Clock:  h.clock,
		LocalAddrs: func() []netip.Addr {
			mu.Lock()
			defer mu.Unlock()
			reads++
			return slices.Clone(local)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(host string) int {
		r := httptest.NewRequest("GET", "/login", nil)
		r.Host = host + ":8443"
		r.RemoteAddr = "192.0.2.30:40000"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w.Code
	}
	wantReads := func(want int) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if reads != want {
			t.Fatalf("the addresses were read %d times, want %d", reads, want)
		}
	}
	const newAddr = "192.0.2.77"
	for i := range 50 {
		if code := get(fmt.Sprintf("192.0.2.%d", 100+i)); code != http.StatusMisdirectedRequest {
			t.Fatalf("status %d for a foreign address, want 421", code)
		}
	}
	wantReads(1)
	if code := get(deviceHost); code == http.StatusMisdirectedRequest {
		t.Fatalf("status %d for the device's address, want it answered", code)
	}
	wantReads(1)
	// DHCP gives the device a new address: known at the next read, a
	// second after the last.
	mu.Lock()
	local = append(local, netip.MustParseAddr(newAddr))
	mu.Unlock()
	if code := get(newAddr); code != http.StatusMisdirectedRequest {
		t.Fatalf("status %d for an address not yet read, want 421", code)
	}
	wantReads(1)
	h.clock.Advance(addrRefresh)
	if code := get(newAddr); code == http.StatusMisdirectedRequest {
		t.Fatalf("status %d for the new address after a second, want it answered", code)
	}
	wantReads(2)
	for range 10 {
		get(newAddr)
		get(deviceHost)
	}
	wantReads(2)
}

// TestStaticHasNoListing: under /static/ every embedded file is served
// and no folder is listed, /static/ itself included.
func TestStaticHasNoListing(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c := h.client("192.0.2.20")
	files, dirs := 0, 0
	err := fs.WalkDir(staticFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		url := "/static/" + p
		if d.IsDir() {
			dirs++
			url = strings.TrimSuffix("/static/"+strings.TrimPrefix(p, "."), "/") + "/"
			w := c.get(url)
			wantStatus(t, w, http.StatusNotFound)
			if strings.Contains(w.Body.String(), "<pre>") || strings.Contains(w.Body.String(), "strength.js") {
				t.Errorf("GET %s lists the folder:\n%s", url, w.Body.String())
			}
			return nil
		}
		files++
		wantStatus(t, c.get(url), http.StatusOK)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 2 || dirs < 1 {
		t.Fatalf("walked %d files and %d folders of the assets", files, dirs)
	}
	for _, p := range []string{"/static/nowhere.css", "/static/../server.go", "/static//"} {
		if w := c.get(p); w.Code != http.StatusNotFound && w.Code != http.StatusTemporaryRedirect {
			t.Errorf("GET %s: %d, want 404 (or the mux's redirect to a clean path)", p, w.Code)
		}
	}
}
