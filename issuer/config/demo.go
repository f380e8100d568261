package config

import (
	"path/filepath"
	"time"
)

// The demo service's addresses, beside nvr-menud -demo's recorder (whose
// recovery.app_url is DemoAppURL).
const (
	DemoSMTP   = "127.0.0.1:2525"
	DemoLMTP   = "127.0.0.1:2424"
	DemoPhone  = "127.0.0.1:8444"
	DemoAppURL = "https://127.0.0.1:8444/r/"
)

// Demo is the demo service for a demo directory (an absolute path): the
// key nvr-menud -demo wrote there, plain SMTP and LMTP on the loopback, the
// page on DemoPhone with a self-signed certificate kept in dir (the
// caller makes it), the ledger in dir, and outgoing mail written into the
// Maildir dir/outbox instead of being relayed.
func Demo(dir string) Config {
	c := Default()
	c.Demo = true
	c.KeyFile = filepath.Join(dir, "vendor.key")
	c.SMTP.Listen, c.SMTP.Domain = DemoSMTP, "localhost"
	c.LMTP.Listen = DemoLMTP
	c.Phone.Listen = DemoPhone
	c.Mailout.Maildir = filepath.Join(dir, "outbox")
	c.Mailout.From = "pw_recovery@example.com"
	c.Ledger.Driver, c.Ledger.Path = "bolt", filepath.Join(dir, "issuer-ledger.db")
	c.Log.Format = "text"
	// A person trying the demo resets more than a real owner would.
	c.Limits.PerSerial, c.Limits.PerAddress = 50, 50
	c.Limits.PerChallenge = 10
	c.Limits.PerClientBurst, c.Limits.PerClientInterval = 100, Duration(time.Second)
	return c
}
