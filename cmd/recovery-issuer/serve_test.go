package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nvrmenu/internal/payload"
)

func TestServeUsageAndCheck(t *testing.T) {
	dir := t.TempDir()
	k, _ := payload.GenerateKey(rand.Reader)
	key := filepath.Join(dir, "vendor.key")
	os.WriteFile(key, payload.MarshalPrivateKey(k), 0o600)
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte(fmt.Sprintf("key_file = %q\n[mailout]\nmaildir = %q\n[ledger]\npath = %q\n", key, filepath.Join(dir, "out"), filepath.Join(dir, "l.db"))), 0o600)
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[smtp]\nlisen = \":25\"\n"), 0o600)
	nokey := filepath.Join(dir, "nokey.toml")
	os.WriteFile(nokey, []byte(fmt.Sprintf("key_file = %q\n[ledger]\npath = %q\n", filepath.Join(dir, "none.key"), filepath.Join(dir, "l2.db"))), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve"}, exitUsage, "usage"},
		{[]string{"serve", "-config", good, "-demo", dir}, exitUsage, "usage"},
		{[]string{"serve", "-config", good, "-smtp", ":25"}, exitUsage, "usage"},
		{[]string{"serve", "-config", good, "-check"}, 0, "ok (vendor key " + k.Public().KeyID().String() + ")"},
		{[]string{"serve", "-config", bad, "-check"}, exitRefused, "unknown key smtp.lisen"},
		{[]string{"serve", "-config", nokey, "-check"}, exitRefused, "vendor key"},
		{[]string{"serve", "-config", filepath.Join(dir, "missing.toml")}, exitRefused, "no such file"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, nil, &out, &errb)
		if code != tc.code || !strings.Contains(out.String()+errb.String(), tc.want) {
			t.Errorf("%q: exit %d, %q %q; want exit %d with %q", tc.args, code, out.String(), errb.String(), tc.code, tc.want)
		}
	}
}

// TestIssueURLForm: issue takes the URL form a recorder with app_url shows.
func TestIssueURLForm(t *testing.T) {
	dir := t.TempDir()
	keyFile, pub := keygenTo(t, dir)
	c := payload.Content{Code: "7K2M9QXD", Serial: "NVR0012345", Email: "mario.rossi@esempio.it"}
	text, _ := payload.Seal(pub, c, rand.Reader)
	url, _ := payload.Render(text, "https://recover.vendor.example/r/")
	r := runIssuer("", "issue", "-key", keyFile, "-payload", url)
	if r.code != 0 || !strings.Contains(r.stdout, "verification code: 7K2M-9QXD") {
		t.Fatalf("issue of the URL form: %+v", r)
	}
}
