package keyring

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/payload"
)

func TestLoadAndOpen(t *testing.T) {
	dir := t.TempDir()
	k, _ := payload.GenerateKey(rand.Reader)
	path := filepath.Join(dir, "vendor.key")
	os.WriteFile(path, payload.MarshalPrivateKey(k), 0o600)
	kr, err := Load(path)
	if err != nil || kr.KeyID() != k.Public().KeyID() {
		t.Fatalf("Load = %v, %v", kr, err)
	}
	c := payload.Content{Code: "7K2M9QXD", Serial: "NVR1", Email: "a.b@c.example", Created: time.Unix(1795599000, 0).UTC()}
	text, _ := payload.Seal(k.Public(), c, rand.Reader)
	if got, err := kr.Open(text); err != nil || got.Code != c.Code || got.Email != c.Email {
		t.Fatalf("Open = %v, %v", got, err)
	}
	other, _ := payload.GenerateKey(rand.Reader)
	foreign, _ := payload.Seal(other.Public(), c, rand.Reader)
	if _, err := kr.Open(foreign); !errors.Is(err, payload.ErrOtherKey) {
		t.Fatalf("Open of another key's payload: %v", err)
	}
	for name, data := range map[string][]byte{"garbage": []byte("nope\n"), "huge": make([]byte, 5000)} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("Load(%s) = %v, want an error naming the file", name, err)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("Load of a missing file: nil error")
	}
}
