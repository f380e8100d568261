package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadReadsARecorderFile(t *testing.T) {
	got, err := Load("testdata/recorder.toml")
	if err != nil {
		t.Fatalf("Load: got %v, want no error", err)
	}
	want := Default()
	want.Language = "en"
	want.Device.Serial = "DS-7608NI-K2-0042"
	want.Recovery.CodeTTL = 24 * time.Hour
	want.Recovery.VendorPublicKey = vendorKey
	want.Recovery.RecoveryAddress = "recupero.password@vendor.example"
	want.Console.TTY, want.Console.QRBlocks = "/dev/tty1", "full"
	want.Notify.Command = []string{"/usr/sbin/reload-credentials", "--quiet"}
	want.Notify.Timeout = 30 * time.Second
	want.Log.File = "/var/log/nvr-menu.log"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	missing := filepath.Join(dir, "config.toml")
	tooLarge := write("large.toml", append([]byte("language = \"en\"\n"), make([]byte, MaxFileSize)...))
	for _, tc := range []struct {
		name        string
		path        string
		want        string
		wantInvalid bool
		wantIs      error
	}{
		{"bad value", "testdata/bad-usb-source.toml",
			`config testdata/bad-usb-source.toml: key usb.source: "usb" is not one of mounts, dirs`, true, nil},
		{"unknown key", "testdata/unknown-key.toml",
			`config testdata/unknown-key.toml: line 5: key console.mouse_device: not a known key`, true, nil},
		{"file not found", missing,
			"config " + missing + ": no such file or directory", false, fs.ErrNotExist},
		{"file too large", tooLarge,
			"config " + tooLarge + ": file is larger than 64 KiB", true, nil},
		{"a directory", dir,
			"config " + dir + ": is a directory", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path)
			if err == nil {
				t.Fatalf("Load(%s): got no error, want %q", tc.path, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got error %q, want %q", got, tc.want)
			}
			if got := errors.Is(err, ErrInvalid); got != tc.wantInvalid {
				t.Errorf("errors.Is(%v, ErrInvalid): got %v, want %v", err, got, tc.wantInvalid)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("got error %v, want one that wraps %v", err, tc.wantIs)
			}
		})
	}
}

func TestLoadSizeLimit(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		size    int
		wantErr bool
	}{
		{"exactly the limit", MaxFileSize, false},
		{"one byte over", MaxFileSize + 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A valid file padded with a comment to the size under test.
			head := "language = \"en\"\n#"
			data := head + strings.Repeat("x", tc.size-len(head)-1) + "\n"
			path := filepath.Join(dir, "config.toml")
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("Load of %d bytes: got error %v, want error %v", len(data), err, tc.wantErr)
			}
			if err == nil && c.Language != "en" {
				t.Errorf("got language %q, want %q", c.Language, "en")
			}
		})
	}
}
