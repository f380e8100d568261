package main

import (
	"crypto/rand"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/apitype"
	"nvrmenu/internal/payload"
	"nvrmenu/menu"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
	"nvrmenu/web"
)

// seen is one recovery method as one door shows it: whether it may be
// chosen and, when it may not, the reason beside it.
type seen struct {
	usable bool
	words  string
}

// TestOneJourneyThreeDoors puts one core in each state the owner may find
// it in and reads "Password Dimenticata" from the three doors — the local
// menu's screen, the web page's mode list and the JSON API — and holds
// them to the same usability and the same reason, word for word, for
// every method. The console and the network count failures apart (a LAN
// attacker cannot lock the owner at the recorder), so a lock is made in
// both classes.
func TestOneJourneyThreeDoors(t *testing.T) {
	const pw = "Qv7#tNw2pLx9"
	answers := [3]string{"Fido", "Roma", "Panda"}
	ids := [3]recovery.QuestionID{"first-pet", "birth-city", "first-car"}
	for _, tc := range []struct {
		name     string
		noVendor bool
		lockout  recovery.LockoutPolicy
		prepare  func(t *testing.T, c *recovery.Core, s *recovery.Session)
		want     map[journey.Method]bool // usable
	}{
		{"nothing set up", false, recovery.LockoutPolicy{}, nil,
			map[journey.Method]bool{journey.Email: false, journey.GUID: false, journey.Questions: false}},
		{"no vendor key: the e-mail not offered", true, recovery.LockoutPolicy{},
			func(t *testing.T, c *recovery.Core, s *recovery.Session) {
				must(t, s.SetSecurityQuestions(qa(ids, answers)))
			},
			map[journey.Method]bool{journey.Email: false, journey.GUID: false, journey.Questions: true}},
		{"every method ready", false, recovery.LockoutPolicy{},
			func(t *testing.T, c *recovery.Core, s *recovery.Session) {
				setUpAll(t, s, ids, answers)
			},
			map[journey.Method]bool{journey.Email: true, journey.GUID: true, journey.Questions: true}},
		{"the GUID file expired by a reset", false, recovery.LockoutPolicy{},
			func(t *testing.T, c *recovery.Core, s *recovery.Session) {
				setUpAll(t, s, ids, answers)
				tk, err := c.Console().VerifyAnswers(answers)
				must(t, err)
				s2, err := tk.SetPassword(pw + "x")
				must(t, err)
				s2.Logout()
			},
			map[journey.Method]bool{journey.Email: true, journey.GUID: false, journey.Questions: true}},
		{"the questions locked", false, recovery.LockoutPolicy{},
			func(t *testing.T, c *recovery.Core, s *recovery.Session) {
				setUpAll(t, s, ids, answers)
				for _, d := range []*recovery.Door{c.Console(), c.Door(netCaller)} {
					for i := 0; i < 5; i++ {
						d.VerifyAnswers([3]string{"no1", "no2", "no3"})
					}
				}
			},
			map[journey.Method]bool{journey.Email: true, journey.GUID: true, journey.Questions: false}},
		{"the hourly cap", false, recovery.LockoutPolicy{DefaultMaxFailures: 5, FirstLock: 30 * time.Minute, MaxLock: 24 * time.Hour, MaxPerHour: 3},
			func(t *testing.T, c *recovery.Core, s *recovery.Session) {
				setUpAll(t, s, ids, answers)
				for _, d := range []*recovery.Door{c.Console(), c.Door(netCaller)} {
					for i := 0; i < 3; i++ {
						d.VerifyAnswers([3]string{"no1", "no2", "no3"})
					}
				}
			},
			map[journey.Method]bool{journey.Email: false, journey.GUID: false, journey.Questions: false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := recovery.Options{
				StateDir: t.TempDir(), Serial: "NVRJOURNEY0001",
				KDF:      recovery.KDFParams{MemoryKiB: 8, Time: 1, Threads: 1},
				Throttle: recovery.ThrottlePolicy{Burst: 10000, Every: time.Millisecond},
				Lockout:  tc.lockout,
			}
			if !tc.noVendor {
				k, err := payload.GenerateKey(rand.Reader)
				must(t, err)
				pub := k.Public()
				opts.VendorKey = &pub
			}
			core, err := recovery.Open(opts)
			must(t, err)
			t.Cleanup(func() { core.Close() })
			s, err := core.Console().Activate(pw)
			must(t, err)
			if tc.prepare != nil {
				tc.prepare(t, core, s)
			}
			s.Logout()

			cat, _ := texts.New("it")
			api := apiJourney(t, core, cat)
			page := pageJourney(t, core)
			screen := menuJourney(t, core, cat)
			for _, m := range journey.Recovery {
				if got := api[m].usable; got != tc.want[m] {
					t.Errorf("%s: the API says usable %v, want %v", m, got, tc.want[m])
				}
				if page[m] != api[m] {
					t.Errorf("%s: the web page shows %+v, the API %+v", m, page[m], api[m])
				}
				if screen[m] != api[m] {
					t.Errorf("%s: the menu shows %+v, the API %+v", m, screen[m], api[m])
				}
			}
		})
	}
}

var netCaller = recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: netip.MustParseAddr("192.0.2.50")}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func qa(ids [3]recovery.QuestionID, answers [3]string) [3]recovery.QuestionAnswer {
	var q [3]recovery.QuestionAnswer
	for i := range q {
		q[i] = recovery.QuestionAnswer{ID: ids[i], Answer: answers[i]}
	}
	return q
}

func setUpAll(t *testing.T, s *recovery.Session, ids [3]recovery.QuestionID, answers [3]string) {
	t.Helper()
	must(t, s.SetSecurityQuestions(qa(ids, answers)))
	must(t, s.SetRecoveryEmail("mario.rossi@example.com"))
	e, err := s.NewGUIDExport()
	must(t, err)
	must(t, s.ConfirmGUIDExport(e))
}

func newWeb(t *testing.T, core *recovery.Core) *web.Server {
	t.Helper()
	srv, err := web.New(web.Options{
		Doors:      func(c recovery.Caller) web.Door { return core.Door(c) },
		LocalAddrs: func() []netip.Addr { return nil },
	})
	must(t, err)
	return srv
}

func webGet(t *testing.T, srv *web.Server, path string) string {
	t.Helper()
	// An origin-form request line, as a browser sends it (the door
	// refuses one in absolute form), for the host localhost.
	r := httptest.NewRequest("GET", path, nil)
	r.Host = "localhost"
	r.RemoteAddr = netCaller.Addr.String() + ":40000"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, w.Code, w.Body)
	}
	return w.Body.String()
}

// apiJourney reads the journey as the installer's tool does, and words
// it with the tool's catalogue.
func apiJourney(t *testing.T, core *recovery.Core, cat *texts.Catalogue) map[journey.Method]seen {
	var dev apitype.Device
	must(t, json.Unmarshal([]byte(webGet(t, newWeb(t, core), apitype.PathDevice)), &dev))
	out := map[journey.Method]seen{}
	for _, st := range dev.Journey.Methods {
		s := seen{usable: st.Usable}
		if !st.Usable {
			s.words = st.Words(cat)
		}
		out[st.Method] = s
	}
	return out
}

// pageJourney reads the web page's mode list: an option is disabled, with
// its reason after the dash, or may be chosen.
func pageJourney(t *testing.T, core *recovery.Core) map[journey.Method]seen {
	body := webGet(t, newWeb(t, core), "/forgot")
	options := regexp.MustCompile(`<option value="(\w+)"([^>]*)>([^<]*)</option>`).FindAllStringSubmatch(body, -1)
	out := map[journey.Method]seen{}
	for _, o := range options {
		s := seen{usable: !strings.Contains(o[2], "disabled")}
		if _, reason, ok := strings.Cut(html.UnescapeString(o[3]), " — "); ok && !s.usable {
			s.words = reason
		}
		out[journey.Method(o[1])] = s
	}
	if len(out) != 3 {
		t.Fatalf("the web page lists %d methods, want 3:\n%s", len(out), body)
	}
	return out
}

// snapScreen is a simulated screen that keeps a copy of what it shows at
// each Show, which tview calls on its own goroutine: the test reads the
// copy, never the live buffer.
type snapScreen struct {
	tcell.SimulationScreen
	mu    sync.Mutex
	shown []string
}

func (s *snapScreen) Show() {
	s.SimulationScreen.Show()
	cells, w, h := s.GetContents()
	lines := make([]string, h)
	for y := 0; y < h; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			if r := cells[y*w+x].Runes; len(r) > 0 {
				b.WriteRune(r[0])
			} else {
				b.WriteByte(' ')
			}
		}
		lines[y] = b.String()
	}
	s.mu.Lock()
	s.shown = lines
	s.mu.Unlock()
}

func (s *snapScreen) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shown
}

// menuJourney reads "Password Dimenticata" off the menu's screen: each
// method's line (with "(non selezionabile)" when it cannot be chosen) and
// the reason on the line below it.
func menuJourney(t *testing.T, core *recovery.Core, cat *texts.Catalogue) map[journey.Method]seen {
	t.Helper()
	sim := &snapScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}
	must(t, sim.Init())
	sim.SetSize(160, 50)
	m, err := menu.New(menu.Options{Core: core.Console(), Language: "it"})
	must(t, err)
	done := make(chan error, 1)
	go func() { done <- m.Run(sim) }()
	t.Cleanup(func() { m.Stop(); <-done })
	waitFor := func(text string) (x, y int) {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			for i, l := range sim.lines() {
				if j := strings.Index(l, text); j >= 0 {
					return len([]rune(l[:j])), i
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("the menu never showed %q:\n%s", text, strings.Join(sim.lines(), "\n"))
		return 0, 0
	}
	x, y := waitFor(cat.T(texts.ForgotPassword))
	sim.InjectMouse(x+1, y, tcell.Button1, tcell.ModNone)
	sim.InjectMouse(x+1, y, tcell.ButtonNone, tcell.ModNone)
	waitFor(cat.T(texts.ForgotIntro)[:30])
	screen := sim.lines()
	out := map[journey.Method]seen{}
	for _, meth := range journey.Recovery {
		label := meth.Label(cat)
		for i, l := range screen {
			if !strings.Contains(l, label) || i+1 >= len(screen) {
				continue
			}
			s := seen{usable: !strings.Contains(l, cat.T(texts.Unselectable))}
			if !s.usable {
				s.words = strings.TrimSpace(strings.Trim(screen[i+1], "║│ "))
			}
			out[meth] = s
			break
		}
	}
	if len(out) != 3 {
		t.Fatalf("the menu shows %d methods, want 3:\n%s", len(out), strings.Join(screen, "\n"))
	}
	return out
}
