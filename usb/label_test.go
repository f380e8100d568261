package usb

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"nvrmenu/internal/testenv"
)

// TestVolumeLabel reads the labels mkfs.vfat writes (FAT12, FAT16, FAT32),
// the root directory's entry before the boot sector's "NO NAME" (as Windows
// leaves it after a rename), and hand-made exFAT and ext4 volumes.
func TestVolumeLabel(t *testing.T) {
	if _, err := exec.LookPath("mkfs.vfat"); err != nil {
		testenv.SkipOrFail(t, "mkfs.vfat (Debian: dosfstools) is missing")
	}
	for _, tc := range []struct {
		name  string
		args  []string
		kib   string
		label string
	}{
		{"fat12", []string{"-F", "12", "-n", "NVRSTICK"}, "1024", "NVRSTICK"},
		{"fat16", []string{"-F", "16", "-n", "SALVATAGGI"}, "20480", "SALVATAGGI"},
		{"fat32", []string{"-F", "32", "-n", "ROSSI 8GB"}, "40960", "ROSSI 8GB"},
		{"no label", []string{"-F", "16"}, "20480", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := filepath.Join(t.TempDir(), "stick.img")
			out, err := exec.Command("mkfs.vfat", append(append([]string{"-C"}, tc.args...), img, tc.kib)...).CombinedOutput()
			if err != nil {
				t.Fatalf("mkfs.vfat: %v: %s", err, out)
			}
			if got := deviceLabel(img); got != tc.label {
				t.Fatalf("label %q, want %q", got, tc.label)
			}
			if tc.label == "" {
				return
			}
			// The boot sector's copy made "NO NAME": the root directory's
			// entry still names it.
			data, err := os.ReadFile(img)
			if err != nil {
				t.Fatal(err)
			}
			off := 43
			if tc.name == "fat32" {
				off = 71
			}
			copy(data[off:], "NO NAME    ")
			if got := volumeLabel(bytes.NewReader(data)); got != tc.label {
				t.Fatalf("with the boot sector's label gone: %q, want %q", got, tc.label)
			}
		})
	}
	t.Run("exfat", func(t *testing.T) {
		img := make([]byte, 64<<10)
		copy(img[3:], "EXFAT   ")
		img[108], img[109] = 9, 0                   // 512-byte sectors, one a cluster
		binary.LittleEndian.PutUint32(img[88:], 32) // the cluster heap at sector 32
		binary.LittleEndian.PutUint32(img[96:], 4)  // the root directory in cluster 4
		entry := img[32*512+2*512:]                 // cluster 4 is the heap's third
		entry[0] = 0x81                             // an allocation bitmap entry first
		entry = entry[32:]
		label := utf16.Encode([]rune("Chiavetta"))
		entry[0], entry[1] = 0x83, byte(len(label))
		for i, u := range label {
			binary.LittleEndian.PutUint16(entry[2+2*i:], u)
		}
		if got := volumeLabel(bytes.NewReader(img)); got != "Chiavetta" {
			t.Fatalf("label %q, want Chiavetta", got)
		}
	})
	t.Run("ext4", func(t *testing.T) {
		img := make([]byte, 4096)
		binary.LittleEndian.PutUint16(img[1024+56:], 0xef53)
		copy(img[1024+120:], "backup-2026")
		if got := volumeLabel(bytes.NewReader(img)); got != "backup-2026" {
			t.Fatalf("label %q, want backup-2026", got)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		if got := volumeLabel(bytes.NewReader(make([]byte, 4096))); got != "" {
			t.Fatalf("label %q of zeros", got)
		}
		if got := volumeLabel(bytes.NewReader(nil)); got != "" {
			t.Fatalf("label %q of nothing", got)
		}
	})
}

// TestOEMString: a FAT name's bytes above 0x7f are code page 437's.
func TestOEMString(t *testing.T) {
	if n := len([]rune(cp437High)); n != 128 {
		t.Fatalf("cp437High has %d runes, want 128", n)
	}
	if got := oemString([]byte{'C', 'I', 'T', 0x8a, ' ', ' '}); got != "CITè" {
		t.Fatalf("%q", got)
	}
}

// TestDiskHardware reads vendor, model and size from a sysfs tree as the
// kernel lays it out for a USB stick's partition.
func TestDiskHardware(t *testing.T) {
	sys := t.TempDir()
	disk := filepath.Join(sys, "devices", "pci0000:00", "usb2", "host0", "target0:0:0", "0:0:0:0", "block", "sda")
	for path, data := range map[string]string{
		filepath.Join(disk, "device", "vendor"): "SanDisk \n",
		filepath.Join(disk, "device", "model"):  "Cruzer Blade    \n",
		filepath.Join(disk, "sda1", "size"):     "31266816\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(sys, "dev", "block"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(disk, "sda1"), filepath.Join(sys, "dev", "block", "8:1")); err != nil {
		t.Fatal(err)
	}
	hw := diskHardware(sys, 8, 1)
	if hw.vendor != "SanDisk" || hw.model != "Cruzer Blade" || hw.size != 31266816*512 {
		t.Fatalf("%+v", hw)
	}
	if hw := diskHardware(sys, 8, 2); hw != (hardware{}) {
		t.Fatalf("an absent device: %+v", hw)
	}
}
