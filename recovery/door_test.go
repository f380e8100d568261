package recovery

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// webCaller is the web door for a client at addr.
func webCaller(addr string) Caller {
	return Caller{Door: "web", Class: ClassNetwork, Addr: netip.MustParseAddr(addr)}
}

// lanOptions are test options with the per-address throttle out of the
// way, for tests about the persistent limits.
func lanOptions(t *testing.T, clock *fakeClock) Options {
	opts := testOptions(t, clock)
	opts.Throttle = ThrottlePolicy{Burst: 1 << 20, Every: time.Nanosecond}
	return opts
}

func TestCallerChecked(t *testing.T) {
	c, _ := activatedCore(t, testOptions(t, newFakeClock()))
	for _, caller := range []Caller{
		{},
		{Door: "web", Class: ClassNetwork}, // no address
		{Door: "menu", Class: ClassConsole, Addr: netip.MustParseAddr("192.0.2.1")}, // console with an address
		{Door: "Web Page", Class: ClassNetwork, Addr: netip.MustParseAddr("192.0.2.1")},
		{Door: "web", Class: "bluetooth", Addr: netip.MustParseAddr("192.0.2.1")},
		ConsoleCaller, // only Console gives the console's door
		{Door: "web", Class: ClassConsole},
	} {
		if _, err := c.Door(caller).Login(AdminUser, firstPassword); !errors.Is(err, ErrBadCaller) {
			t.Errorf("Login through %+v: %v, want ErrBadCaller", caller, err)
		}
	}
}

// TestNetworkLocksNeverLockTheConsole is the LAN attacker: 100 wrong
// answers over the network lock the network doors, and the owner at the
// recorder still gets in with the right answers.
func TestNetworkLocksNeverLockTheConsole(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, lanOptions(t, clock))
	setQuestions(t, s)
	web := c.Door(webCaller("192.0.2.66"))
	wrong := [3]string{"no", "nope", "never"}
	refused := 0
	for range 100 {
		_, err := web.VerifyAnswers(wrong)
		if errors.Is(err, ErrLocked) {
			refused++
			continue
		}
		if !errors.Is(err, ErrWrongAnswers) {
			t.Fatalf("wrong answers over the network: %v", err)
		}
	}
	if refused != 95 {
		t.Fatalf("%d of 100 wrong answers over the network refused as locked, want 95", refused)
	}
	if !web.Journey().AnyLocked() {
		t.Fatal("the network doors are not locked after the attack")
	}
	if locked := c.Console().Journey(); locked.AnyLocked() {
		t.Fatalf("the console is locked by a network attack: %v", locked)
	}
	if _, err := c.Console().VerifyAnswers(rightAnswers); err != nil {
		t.Fatalf("the owner's right answers at the console: %v", err)
	}
	if _, err := web.VerifyAnswers(rightAnswers); err == nil {
		t.Fatal("the network doors accepted answers while locked")
	}
}

// TestHourlyCapPerClass: each class has its own 100 failures an hour.
func TestHourlyCapPerClass(t *testing.T) {
	clock := newFakeClock()
	opts := lanOptions(t, clock)
	opts.Lockout.DefaultMaxFailures = 1000
	opts.Lockout.MaxPerHour = 100
	opts.Lockout.FirstLock, opts.Lockout.MaxLock = time.Minute, time.Minute
	c, _ := activatedCore(t, opts)
	web := c.Door(webCaller("198.51.100.7"))
	for i := range 100 {
		if _, err := web.Login(AdminUser, "Sbagliata#99"); !errors.Is(err, ErrWrongCredentials) {
			t.Fatalf("network failure %d: %v", i+1, err)
		}
	}
	var le *LockedError
	if _, err := web.Login(AdminUser, firstPassword); !errors.As(err, &le) || !le.Global {
		t.Fatalf("101st network try: %v, want the hourly cap", err)
	}
	mustLogin(t, c, firstPassword)
}

// TestSuccessLeavesNoTrace: 300 correct logins and proofs within an hour,
// through both classes, never lock anything, and leave nothing counted.
func TestSuccessLeavesNoTrace(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, lanOptions(t, clock))
	setQuestions(t, s)
	_, file := exportGUID(t, s)
	for i := range 300 {
		d := c.Console()
		if i%2 == 1 {
			d = c.Door(webCaller("192.0.2.20"))
		}
		var err error
		switch i % 3 {
		case 0:
			_, err = d.Login(AdminUser, firstPassword)
		case 1:
			_, err = d.VerifyAnswers(rightAnswers)
		case 2:
			_, err = d.VerifyGUIDFile(file)
		}
		if err != nil {
			t.Fatalf("correct try %d: %v", i+1, err)
		}
		clock.Advance(10 * time.Second)
	}
	for _, class := range classes {
		if ds := c.st.Doors[class]; ds != nil && (len(ds.Locks) > 0 || len(ds.RecentFailures) > 0) {
			t.Errorf("%s: successes left %+v", class, *ds)
		}
	}
}

// TestEmailChallengePerClass: the network's wrong codes and renewals never
// touch the code the owner at the console waits for.
func TestEmailChallengePerClass(t *testing.T) {
	clock := newFakeClock()
	c, _, vendor, _ := emailCore(t, clock)
	c.opts.Throttle = ThrottlePolicy{Burst: 1 << 20, Every: time.Nanosecond}
	c.throttle.p = c.opts.Throttle
	console, web := c.Console(), c.Door(webCaller("192.0.2.99"))
	owners, err := console.EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	attacker, err := web.NewEmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	if attacker.Payload == owners.Payload {
		t.Fatal("the network got the console's challenge")
	}
	for i := range maxCodeTries {
		if _, err := web.VerifyEmailCode("AAAA-AAAA"); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d over the network: %v", i+1, err)
		}
	}
	if _, err := web.NewEmailChallenge(); !errors.Is(err, ErrLocked) {
		t.Fatalf("a new network code after five wrong ones: %v, want ErrLocked", err)
	}
	if !console.Journey().Method(MethodEmail).ChallengePending {
		t.Fatal("the console's code died of the network's tries")
	}
	if _, err := console.VerifyEmailCode(vendorCode(t, vendor, owners)); err != nil {
		t.Fatalf("the owner's code at the console: %v", err)
	}
}

// TestNetworkRenewalsCapped: however many addresses ask, the network
// makes at most maxNetworkRenewals codes an hour.
func TestNetworkRenewalsCapped(t *testing.T) {
	clock := newFakeClock()
	c, _, _, _ := emailCore(t, clock)
	made := 0
	for i := range maxNetworkRenewals + 5 {
		web := c.Door(webCaller(netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}).String()))
		_, err := web.NewEmailChallenge()
		if err == nil {
			made++
			continue
		}
		var te *ThrottledError
		if !errors.As(err, &te) || te.Retry <= 0 {
			t.Fatalf("renewal %d: %v, want a ThrottledError", i+1, err)
		}
	}
	if made != maxNetworkRenewals {
		t.Fatalf("%d codes made in an hour, want %d", made, maxNetworkRenewals)
	}
	clock.Advance(time.Hour)
	if _, err := c.Door(webCaller("192.0.2.200")).NewEmailChallenge(); err != nil {
		t.Fatalf("after an hour: %v", err)
	}
	if _, err := c.Console().NewEmailChallenge(); err != nil {
		t.Fatalf("the console is not capped: %v", err)
	}
}

// TestVerifiedCodeStaysUntilThePasswordChanges pins the documented rule:
// a code that verified can be typed again while the new-password step is
// pending, and is spent with the new password.
func TestVerifiedCodeStaysUntilThePasswordChanges(t *testing.T) {
	clock := newFakeClock()
	c, _, vendor, _ := emailCore(t, clock)
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	code := vendorCode(t, vendor, ch)
	if _, err := c.Console().VerifyEmailCode(code); err != nil {
		t.Fatal(err)
	}
	// The owner left the new-password screen; the same code works again.
	ticket, err := c.Console().VerifyEmailCode(code)
	if err != nil {
		t.Fatalf("the verified code typed again: %v", err)
	}
	if again, _ := c.Console().EmailChallenge(); again.TriesLeft != maxCodeTries {
		t.Fatalf("right codes used %d of the code's wrong entries", maxCodeTries-again.TriesLeft)
	}
	if _, err := ticket.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Console().VerifyEmailCode(code); !errors.Is(err, ErrNoChallenge) {
		t.Fatalf("the code after the reset: %v, want ErrNoChallenge", err)
	}
}

func TestNetworkActivation(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c := openCore(t, opts)
	web := c.Door(webCaller("192.0.2.20"))
	if _, err := web.Activate(firstPassword); !errors.Is(err, ErrActivationClosed) {
		t.Fatalf("network activation by default: %v, want ErrActivationClosed", err)
	}
	c.opts.NetworkActivation = true
	sub := c.Subscribe()
	defer sub.Close()
	s, err := web.Activate(firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	if s.Token() == "" {
		t.Fatal("a network activation gave no session token")
	}
	st := c.Console().Status()
	if !st.Activated || st.PasswordBy != "web" || st.PasswordFrom != "192.0.2.20" {
		t.Fatalf("status after a web activation: %+v", st)
	}
	<-sub.Ready()
	if evs, _ := sub.Events(); len(evs) != 1 || evs[0].Kind != EventActivated || evs[0].Caller.Addr.String() != "192.0.2.20" {
		t.Fatalf("events %+v, want one activation by 192.0.2.20", evs)
	}
	log, _ := os.ReadFile(opts.StateDir + "/audit.log")
	if !strings.Contains(string(log), `"event":"activation","door":"web","addr":"192.0.2.20"`) {
		t.Fatalf("audit log does not name the door and address:\n%s", log)
	}
}

// TestReadOnlyCalls: showing a pending challenge never makes one; what a
// door may activate and how long a ticket lasts are the core's to say.
func TestReadOnlyCalls(t *testing.T) {
	clock := newFakeClock()
	c, _, _, _ := emailCore(t, clock)
	web := c.Door(webCaller("192.0.2.40"))
	if _, ok, err := web.PendingEmailChallenge(); ok || err != nil {
		t.Fatalf("a pending challenge before any: %v %v", ok, err)
	}
	if c.Console().Journey().Method(MethodEmail).ChallengePending || web.Journey().Method(MethodEmail).ChallengePending {
		t.Fatal("PendingEmailChallenge made a challenge")
	}
	made, err := web.EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, err := web.PendingEmailChallenge(); !ok || err != nil || got.Payload != made.Payload {
		t.Fatalf("the pending challenge: %v %v", ok, err)
	}
	clock.Advance(c.opts.CodeTTL)
	if _, ok, _ := web.PendingEmailChallenge(); ok {
		t.Fatal("a dead challenge is shown as pending")
	}
	if !c.Console().ActivationAllowed() || web.ActivationAllowed() || c.Door(Caller{}).ActivationAllowed() {
		t.Fatal("ActivationAllowed: want the console only by default")
	}
	c.opts.NetworkActivation = true
	if !web.ActivationAllowed() {
		t.Fatal("ActivationAllowed with NetworkActivation: want the network too")
	}
	s := mustLogin(t, c, firstPassword)
	setQuestions(t, s)
	tk, err := c.Console().VerifyAnswers(rightAnswers)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(4 * time.Minute)
	if got := tk.Expiry(); got != 6*time.Minute {
		t.Fatalf("ticket expiry after 4 minutes: %v, want 6m", got)
	}
	if _, err := tk.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	if got := tk.Expiry(); got != 0 {
		t.Fatalf("a spent ticket expires in %v", got)
	}
}

// TestNetworkActivationWindow: with a window, the network may activate a
// new device only for that long after it was switched on, on the core's
// monotonic clock; a restart of the daemon does not open it again (the
// uptime is the kernel's, not the daemon's), switching the device off and
// on does; the console may activate at any time; without a window, any
// time.
func TestNetworkActivationWindow(t *testing.T) {
	const window = 30 * time.Minute
	for _, tc := range []struct {
		name    string
		window  time.Duration
		uptime  time.Duration // at Open
		after   time.Duration // then the clock moves on
		network bool          // NetworkActivation
		want    error         // a network activation's refusal, or nil
	}{
		{"installer, minutes after power-on", window, 2 * time.Minute, 5 * time.Minute, true, nil},
		{"the window's last moment", window, 2 * time.Minute, window - 2*time.Minute - time.Nanosecond, true, nil},
		{"the window over", window, 2 * time.Minute, window - 2*time.Minute, true, ErrActivationWindowOver},
		{"a daemon started long after power-on", window, 3 * time.Hour, 0, true, ErrActivationWindowOver},
		{"no window", 0, 300 * 24 * time.Hour, time.Hour, true, nil},
		{"network activation off", window, 0, 0, false, ErrActivationClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			opts := lanOptions(t, clock)
			opts.NetworkActivation = tc.network
			opts.NetworkActivationWindow = tc.window
			opts.Uptime = func() time.Duration { return tc.uptime }
			c := openCore(t, opts)
			clock.Advance(tc.after)
			web := c.Door(webCaller("192.0.2.60"))
			j := web.Journey()
			if j.ActivationAllowed != (tc.want == nil) {
				t.Fatalf("journey: activation allowed %v, want %v", j.ActivationAllowed, tc.want == nil)
			}
			if tc.want != nil && (j.ActivationRefused == nil || j.ActivationRefused.Code != Explain(tc.want).Code) {
				t.Fatalf("journey: refused %+v, want %s", j.ActivationRefused, Explain(tc.want).Code)
			}
			_, err := web.Activate(firstPassword)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("network activation: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("network activation: %v, want %v", err, tc.want)
			}
			// The owner at the recorder activates whatever the window says.
			if !c.Console().ActivationAllowed() {
				t.Fatal("the console may not activate")
			}
			if _, err := c.Console().Activate(firstPassword); err != nil {
				t.Fatalf("console activation: %v", err)
			}
		})
	}
	t.Run("a restart does not open the window again", func(t *testing.T) {
		clock := newFakeClock()
		opts := lanOptions(t, clock)
		opts.NetworkActivation, opts.NetworkActivationWindow = true, window
		// The kernel's uptime: the fake clock's time since power-on.
		poweredOn := clock.Elapsed()
		opts.Uptime = func() time.Duration { return clock.Elapsed() - poweredOn }
		c := openCore(t, opts)
		clock.Advance(window)
		c = reopen(t, c, opts)
		if _, err := c.Door(webCaller("192.0.2.61")).Activate(firstPassword); !errors.Is(err, ErrActivationWindowOver) {
			t.Fatalf("after a restart of the daemon: %v, want ErrActivationWindowOver", err)
		}
		// Off and on: the kernel's uptime starts again.
		poweredOn = clock.Elapsed()
		c = reopen(t, c, opts)
		if _, err := c.Door(webCaller("192.0.2.61")).Activate(firstPassword); err != nil {
			t.Fatalf("after switching the recorder off and on: %v", err)
		}
	})
}
