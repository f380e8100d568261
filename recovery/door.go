package recovery

import (
	"errors"
	"fmt"
	"net/netip"

	"nvrmenu/internal/pwpolicy"
)

// Class is a class of doors: the ways in that share one set of failure
// counters, locks and hourly cap. The console (the recorder's own monitor,
// mouse and keyboard) is one class; the network (the web page and the
// installer's SADP tool, which both reach the recorder over the LAN) is the
// other. Each class has the same limits and its own budget, so an attacker
// on the LAN can lock the network doors but never the owner standing at the
// recorder. Someone both on the LAN and at the recorder gets both budgets:
// that is accepted on purpose, since the console's budget is what keeps the
// owner in.
type Class string

// The door classes.
const (
	ClassConsole Class = "console"
	ClassNetwork Class = "network"
)

// classes are the classes in a fixed order.
var classes = [...]Class{ClassConsole, ClassNetwork}

func (c Class) valid() bool { return c == ClassConsole || c == ClassNetwork }

// Caller says who is asking the core: which door, of which class, and for
// a network door the client's address. The core writes the door and the
// address into the audit log, counts failures against the class, and
// throttles each network address.
type Caller struct {
	// Door names the door for the audit log: lowercase letters, digits
	// and dashes, e.g. "menu", "web", "api".
	Door  string
	Class Class
	// Addr is a network caller's client address; a console caller has
	// none.
	Addr netip.Addr
}

// ConsoleCaller is the local menu on the recorder's own monitor.
var ConsoleCaller = Caller{Door: "menu", Class: ClassConsole}

// ErrBadCaller reports a Caller the core cannot account for: no door
// name, an unknown class, or a network caller without a client address.
var ErrBadCaller = errors.New("recovery: caller without a valid door, class or client address")

func (c Caller) check() error {
	switch {
	case !auditIsCode(c.Door, true) || !c.Class.valid():
		return ErrBadCaller
	case c.Class == ClassNetwork && !c.Addr.IsValid():
		return ErrBadCaller
	case c.Class == ClassConsole && c.Addr.IsValid():
		return ErrBadCaller
	}
	return nil
}

// String names the caller for logs, e.g. "web 192.0.2.20".
func (c Caller) String() string {
	if c.Addr.IsValid() {
		return fmt.Sprintf("%s %s", c.Door, c.Addr.Unmap())
	}
	return c.Door
}

// Door is the core as one caller sees it. Every proof, login and
// activation goes through a Door, so that every try is counted against
// the caller's class and named in the audit log with its door. A Door is
// cheap: a web door makes one per request.
type Door struct {
	c      *Core
	caller Caller
	bad    error // the caller did not check out: every call returns it
}

// Door returns the core as a network caller sees it. An invalid caller, or
// one claiming the console's class, gives a Door whose every call fails
// with ErrBadCaller: the console's door comes only from Console, which the
// daemon hands to the menu alone, so a network door can never claim the
// console's budget (a claimed client type is how Dahua's CVE-2021-33044
// skipped its login).
func (c *Core) Door(caller Caller) *Door {
	caller.Addr = caller.Addr.Unmap()
	bad := caller.check()
	if caller.Class == ClassConsole {
		bad = ErrBadCaller
	}
	return &Door{c: c, caller: caller, bad: bad}
}

// Console is the door of the recorder's own console.
func (c *Core) Console() *Door { return &Door{c: c, caller: ConsoleCaller} }

// Caller is who the door speaks for.
func (d *Door) Caller() Caller { return d.caller }

// Serial is the device serial.
func (d *Door) Serial() string { return d.c.opts.Serial }

// Activated reports whether the device has an admin password. It never
// waits.
func (d *Door) Activated() bool { return d.c.snap.Load().Admin != nil }

// PasswordStrength rates a candidate admin password and lists every reason
// it would be refused. It is cheap enough for every keystroke and never
// waits.
func (d *Door) PasswordStrength(password string) (pwpolicy.Strength, []pwpolicy.Reason) {
	return d.c.opts.Policy.Evaluate(AdminUser, password)
}

// PasswordPolicy is the rule new passwords must follow.
func (d *Door) PasswordPolicy() pwpolicy.Policy { return d.c.opts.Policy }

// Subscribe tells the caller of every change of the device, whichever door
// made it (see Core.Subscribe).
func (d *Door) Subscribe() *Subscription { return d.c.Subscribe() }
