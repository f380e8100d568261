package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	c := Default()
	if c.Language != "it" || c.StateDir != "/var/lib/nvr-menu" || c.Password.MaxLength != 16 ||
		c.Recovery.CodeTTL.Duration != 48*time.Hour || c.USB.Source != "mounts" || c.KDF.MemoryCapMiB != 64 ||
		!c.Recovery.GUID || !c.Recovery.Questions || !c.Recovery.Email || c.Console.QRBlocks != "half" {
		t.Fatalf("Default() = %+v", c)
	}
	// An empty file is the default.
	empty, err := Parse(nil)
	if err != nil || !reflect.DeepEqual(empty, c) {
		t.Fatalf("Parse(empty) = %+v, %v", empty, err)
	}
}

func TestPartialFileKeepsDefaults(t *testing.T) {
	c, err := Parse([]byte("language = \"en\"\n[usb]\nsource = \"dirs\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Language, want.USB.Source = "en", "dirs"
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v, want %+v", c, want)
	}
}

func TestParseRefuses(t *testing.T) {
	const key = "nvrvk1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	for _, tc := range []struct {
		name, toml, want string
	}{
		{"unknown top-level key", "langauge = \"en\"", "unknown key langauge (line 1)"},
		{"unknown key in a section", "[usb]\nmedia = \"/media\"", "unknown key usb.media (line 2)"},
		{"unknown section", "[telnet]\nenabled = true", "unknown key telnet"},
		{"wrong type", "[password]\nmax_length = \"16\"", "password.max_length"},
		{"bad syntax", "language = ", "line 1"},
		{"language", "language = \"fr\"", `key language: "fr" is not one of it, en`},
		{"relative state dir", "state_dir = \"var/lib\"", "key state_dir"},
		{"unclean state dir", "state_dir = \"/var/../etc\"", "key state_dir"},
		{"serial with slash", "[device]\nserial = \"NVR/1\"", "key device.serial"},
		{"empty serial", "[device]\nserial = \"\"", "key device.serial"},
		{"max length 65", "[password]\nmax_length = 65", "key password.max_length: 65 is outside 8..64"},
		{"max length 7", "[password]\nmax_length = 7", "key password.max_length"},
		{"vendor key form", "[recovery]\nvendor_public_key = \"abc\"", "key recovery.vendor_public_key"},
		{"vendor key length", "[recovery]\nvendor_public_key = \"" + key + "A\"", "key recovery.vendor_public_key"},
		{"mailbox", "[recovery]\nrecovery_address = \"Vendor <a@b.it>\"", "key recovery.recovery_address"},
		{"code ttl unit", "[recovery]\ncode_ttl = \"2 days\"", "recovery.code_ttl"},
		{"code ttl range", "[recovery]\ncode_ttl = \"200h\"", "key recovery.code_ttl"},
		{"usb source", "[usb]\nsource = \"usb\"", `key usb.source: "usb" is not one of mounts, dirs`},
		{"media root", "[usb]\nmedia_root = \"media\"", "key usb.media_root"},
		{"tty", "[console]\ntty = \"tty1\"", "key console.tty"},
		{"qr blocks", "[console]\nqr_blocks = \"quarter\"", "key console.qr_blocks"},
		{"log level", "[log]\nlevel = \"trace\"", "key log.level"},
		{"log file", "[log]\nfile = \"nvr.log\"", "key log.file"},
		{"notify relative", "[notify]\ncommand = [\"reload\"]", "key notify.command"},
		{"notify timeout", "[notify]\ntimeout = \"0s\"", "key notify.timeout"},
		{"kdf memory", "[kdf]\nmemory_cap_mib = 8", "key kdf.memory_cap_mib"},
		{"kdf time", "[kdf]\ntarget_time = \"10s\"", "key kdf.target_time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.toml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an ErrInvalid saying %q", err, tc.want)
			}
		})
	}
	good := "[recovery]\nvendor_public_key = \"" + key + "\"\n[notify]\ncommand = [\"/usr/sbin/reload\", \"--all\"]\n[console]\nmouse = \"\"\n"
	if _, err := Parse([]byte(good)); err != nil {
		t.Fatalf("valid file refused: %v", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if _, err := Load(path); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("missing file: %v", err)
	}
	os.WriteFile(path, []byte("[usb]\nsource = \"usb\"\n"), 0o644)
	_, err := Load(path)
	var ke *KeyError
	if !errors.As(err, &ke) || ke.Key != "usb.source" || err.Error() != "config "+path+`: key usb.source: "usb" is not one of mounts, dirs` {
		t.Fatalf("bad value: %v", err)
	}
	os.WriteFile(path, make([]byte, maxFileSize+1), 0o644)
	if _, err := Load(path); !errors.Is(err, ErrInvalid) {
		t.Fatalf("huge file: %v", err)
	}
	os.WriteFile(path, []byte("language = \"en\"\n"), 0o644)
	if c, err := Load(path); err != nil || c.Language != "en" {
		t.Fatalf("good file: %+v, %v", c, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(defaultTOML)
	f.Add([]byte("language = \"en\"\n[usb]\nsource = \"dirs\"\n"))
	f.Add([]byte("[recovery]\ncode_ttl = \"48h\""))
	f.Add([]byte("x = [1, {a = 2}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFileSize {
			return
		}
		c, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted config does not validate: %v", err)
		}
	})
}
