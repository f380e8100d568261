package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultAndDemoValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	d := Demo("/tmp/nvr-demo")
	if err := d.Validate(); err != nil {
		t.Fatalf("Demo().Validate() = %v", err)
	}
	if d.KeyFile != "/tmp/nvr-demo/vendor.key" || d.Mailout.Maildir != "/tmp/nvr-demo/outbox" || !d.Demo {
		t.Fatalf("Demo = %+v", d)
	}
	if c := Default(); c.MaxCodeAge.D() != 168*time.Hour || c.SMTP.MaxMessageBytes != 10<<20 || c.Limits.PerSerial != 6 {
		t.Fatalf("Default = %+v", c)
	}
}

func TestParseStrict(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"ok", "key_file = \"/k\"\n[limits]\nper_serial = 3\n", ""},
		{"unknown key", "[smtp]\nlisten = \":25\"\nlisen = \"x\"\n", "line 3: unknown key smtp.lisen"},
		{"unknown section", "[smpt]\nlisten = \":25\"\n", "unknown key smpt"},
		{"bad duration", "max_code_age = \"a week\"\n", "not a duration"},
		{"duration as number", "max_code_age = 168\n", "max_code_age: 168ns"},
		{"code life over max age", "max_code_age = \"24h\"\n", "code_life"},
		{"relative key", "key_file = \"vendor.key\"\n", "key key_file"},
		{"http tls none with auth", "[mailout]\ntls = \"none\"\nusername = \"u\"\npassword_file = \"/p\"\n", "never sent without TLS"},
		{"bad from", "[mailout]\nfrom = \"Vendor <a@b.example>\"\n", "mailout.from"},
		{"bad path", "[phone]\npath = \"/r\"\n", "phone.path"},
		{"postgres without dsn", "[ledger]\ndriver = \"postgres\"\n", "ledger.dsn_file"},
		{"all off", "[smtp]\nlisten = \"\"\n[phone]\nlisten = \"\"\n", "serve nothing"},
		{"cert without key", "[smtp]\ncert_file = \"/c\"\n", "smtp.key_file"},
		{"lmtp unix", "[lmtp]\nlisten = \"unix:/run/ri/lmtp.sock\"\n", ""},
		{"lmtp relative unix", "[lmtp]\nlisten = \"unix:lmtp.sock\"\n", "lmtp.listen"},
		{"phone unix", "[phone]\nlisten = \"unix:/x\"\n", "phone.listen"},
		{"huge message", "[smtp]\nmax_message_bytes = 1073741824\n", "smtp.max_message_bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.file))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalid)):
				t.Fatalf("got %v, want an ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issuer.toml")
	os.WriteFile(path, []byte("[limits]\nper_address = 2\n"), 0o600)
	c, err := Load(path)
	if err != nil || c.Limits.PerAddress != 2 || c.Limits.PerSerial != 6 {
		t.Fatalf("Load = %+v, %v", c.Limits, err)
	}
	os.WriteFile(path, make([]byte, MaxFileSize+1), 0o600)
	if _, err := Load(path); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load of a huge file = %v", err)
	}
	if _, err := Load(filepath.Join(dir, "none.toml")); err == nil {
		t.Fatal("Load of a missing file: nil error")
	}
}

// TestDefaultFileCommentsEveryKey: every key in default.toml has a comment
// right above it, or shares the one of the key above.
func TestDefaultFileCommentsEveryKey(t *testing.T) {
	lines := strings.Split(string(defaultTOML), "\n")
	for i, l := range lines {
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "[") {
			continue
		}
		prev := lines[i-1]
		if !strings.HasPrefix(prev, "#") && !strings.Contains(prev, " = ") {
			t.Errorf("default.toml line %d %q has no comment above it", i+1, l)
		}
	}
}
