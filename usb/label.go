package usb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"
)

// A recorder's firmware mounts sticks with busybox's mdev, which makes no
// /dev/disk/by-label: without a name of their own, two sticks would both be
// "sda1". The watcher reads what tells them apart itself, once per stick as
// it appears: the filesystem's label from the device's first sectors, and
// the vendor, model and size the kernel found (sysfs).

// maxLabelRead bounds what volumeLabel reads of a device: the boot sector
// and the first cluster of the root directory, at most this many bytes.
const maxLabelRead = 64 << 10

// volumeLabel returns the label of the filesystem on r (FAT12, FAT16,
// FAT32, exFAT, ext2/3/4), "" when it has none or is none of these. FAT's
// label is the root directory's volume entry, which Windows writes (the
// boot sector's copy is often left "NO NAME"), else the boot sector's.
// Raw: make it safe before drawing it.
func volumeLabel(r io.ReaderAt) string {
	boot := make([]byte, 512)
	if _, err := r.ReadAt(boot, 0); err != nil {
		return ""
	}
	switch {
	case string(boot[3:11]) == "EXFAT   ":
		return exfatLabel(r, boot)
	case boot[510] == 0x55 && boot[511] == 0xaa:
		if l := fatLabel(r, boot); l != "" {
			return l
		}
	}
	sb := make([]byte, 136)
	if _, err := r.ReadAt(sb, 1024); err == nil && binary.LittleEndian.Uint16(sb[56:]) == 0xef53 {
		return strings.TrimRight(string(bytes.TrimRight(sb[120:136], "\x00")), " ")
	}
	return ""
}

// fatLabel reads a FAT volume's label: its root directory's volume entry,
// else its boot sector's (the extended boot record's, when it has one).
func fatLabel(r io.ReaderAt, boot []byte) string {
	le16 := func(off int) int { return int(binary.LittleEndian.Uint16(boot[off:])) }
	le32 := func(off int) int { return int(binary.LittleEndian.Uint32(boot[off:])) }
	bps, spc, reserved, fats, rootEntries := le16(11), int(boot[13]), le16(14), int(boot[16]), le16(17)
	if bps < 512 || bps > 4096 || bps&(bps-1) != 0 || spc == 0 || fats == 0 || reserved == 0 {
		return ""
	}
	fatSize, bootLabel := le16(22), ""
	var root, rootLen int64
	if fatSize == 0 { // FAT32
		fatSize = le32(36)
		if boot[66] == 0x29 {
			bootLabel = oemString(boot[71:82])
		}
		root = int64(reserved+fats*fatSize+(le32(44)-2)*spc) * int64(bps)
		rootLen = int64(spc * bps)
	} else {
		if boot[38] == 0x29 {
			bootLabel = oemString(boot[43:54])
		}
		root = int64(reserved+fats*fatSize) * int64(bps)
		rootLen = int64(rootEntries * 32)
	}
	dir := make([]byte, min(rootLen, maxLabelRead))
	n, _ := r.ReadAt(dir, root)
	for e := dir[:n-n%32]; len(e) >= 32; e = e[32:] {
		if e[0] == 0 {
			break // the directory's end
		}
		// Not deleted, not a long name's part (0x0f): the volume's.
		if e[0] != 0xe5 && e[11]&0x0f != 0x0f && e[11]&0x08 != 0 {
			if l := oemString(e[:11]); l != "" {
				return l
			}
		}
	}
	if bootLabel == "NO NAME" {
		return ""
	}
	return bootLabel
}

// exfatLabel reads the volume label entry of an exFAT volume's root
// directory (its first cluster).
func exfatLabel(r io.ReaderAt, boot []byte) string {
	bpsShift, spcShift := boot[108], boot[109]
	if bpsShift < 9 || bpsShift > 12 || spcShift > 25-bpsShift {
		return ""
	}
	bps := int64(1) << bpsShift
	heap := int64(binary.LittleEndian.Uint32(boot[88:])) * bps
	cluster := int64(binary.LittleEndian.Uint32(boot[96:]))
	size := bps << spcShift
	dir := make([]byte, min(size, maxLabelRead))
	n, _ := r.ReadAt(dir, heap+(cluster-2)*size)
	for e := dir[:n-n%32]; len(e) >= 32; e = e[32:] {
		if e[0] == 0 {
			break
		}
		if e[0] == 0x83 { // the volume label, in use
			count := min(int(e[1]), 11)
			u := make([]uint16, count)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(e[2+2*i:])
			}
			return string(utf16.Decode(u))
		}
	}
	return ""
}

// oemString is a FAT name field: bytes in the PC's code page 437 (Linux's
// vfat default), blank-padded.
func oemString(b []byte) string {
	var s strings.Builder
	for _, c := range bytes.TrimRight(b, " \x00") {
		if c < 0x80 {
			s.WriteByte(c)
		} else {
			s.WriteRune([]rune(cp437High)[c-0x80])
		}
	}
	return s.String()
}

// cp437High is code page 437's upper half.
const cp437High = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0"

// hardware is what the kernel says of the disk a stick's filesystem is on:
// its vendor and model as the drive reports them (SCSI INQUIRY through
// usb-storage, blank-padded there) and its size in bytes. Raw.
type hardware struct {
	vendor, model string
	size          uint64
}

// diskHardware reads the vendor, model and size of the block device
// major:minor from sysfs (the disk's, for a partition).
func diskHardware(sysfs string, major, minor uint32) hardware {
	dev, err := filepath.EvalSymlinks(filepath.Join(sysfs, "dev", "block", fmt.Sprintf("%d:%d", major, minor)))
	if err != nil {
		return hardware{}
	}
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil || len(b) > 256 {
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	var hw hardware
	if n, err := strconv.ParseUint(read(filepath.Join(dev, "size")), 10, 64); err == nil {
		hw.size = n * 512 // sysfs counts 512-byte sectors whatever the device's
	}
	for _, d := range []string{dev, filepath.Dir(dev)} { // the disk, or the partition's disk
		if v, m := read(filepath.Join(d, "device", "vendor")), read(filepath.Join(d, "device", "model")); v != "" || m != "" {
			hw.vendor, hw.model = v, m
			break
		}
	}
	return hw
}

// deviceLabel reads the label of the filesystem on the device at path.
func deviceLabel(path string) string {
	if path == "" || !strings.HasPrefix(path, "/") {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	return volumeLabel(f)
}
