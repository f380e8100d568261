package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
)

// hostile is an answer from a rogue device: escape sequences, a title
// change, bidirectional overrides, a formula for spreadsheets, a field of a
// kilobyte, and an invalid web door.
var hostile = &sadp.ProbeMatch{
	UUID: "U", Types: "inquiry",
	DeviceSN:          "\x1b]0;owned\x07ROGUE\x1b[2J\x1b[31m",
	DeviceDescription: "=HYPERLINK(\"http://x\",\"y\")",
	IPv4Address:       "198.51.100.66\r\n\x1b[1A",
	MAC:               "\u202Eff-ee-dd-cc-bb-aa",
	SoftwareVersion:   strings.Repeat("V", 1000),
	DeviceType:        "@SUM(1)",
	Activated:         sadp.FlagUnknown,
	SupportGUID:       sadp.FlagTrue,
	DeviceLock:        sadp.FlagTrue,
}

var good = &sadp.ProbeMatch{
	UUID: "U", Types: "inquiry", DeviceType: "0", DeviceDescription: "NVR-DEMO", DeviceSN: "NVRDEMO0000001",
	MAC: "02-00-5e-10-00-01", IPv4Address: "198.51.100.10", IPv4SubnetMask: "255.255.255.0",
	SoftwareVersion: "v1.0.0", Activated: sadp.FlagTrue,
	SupportGUID: sadp.FlagTrue, SupportSecurityQuestion: sadp.FlagFalse, SupportMailBox: sadp.FlagTrue, DeviceLock: sadp.FlagFalse,
	WebDoor: &sadp.WebDoor{URL: "https://198.51.100.10:8443/", CertSHA256: strings.Repeat("ab", 32)},
}

func fakeDiscover(found ...*sadp.ProbeMatch) func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error) {
	return func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error) {
		d := &sadp.Discovery{Interfaces: []string{"veth0"}}
		for i, m := range found {
			d.Devices = append(d.Devices, sadp.Found{ProbeMatch: m, From: netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 51, 100, byte(10 + i)}), 37020), Interface: "veth0"})
		}
		return d, nil
	}
}

func runList(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"list"}, args...), nil, &out, &errb)
	return out.String(), errb.String(), code
}

// assertClean fails when text could act on a terminal: an escape or other
// control character (newlines between lines aside), a bidirectional
// override, invalid UTF-8.
func assertClean(t *testing.T, what, text string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if !termsafe.IsSafe(strings.TrimSuffix(line, "\r")) {
			t.Errorf("%s: unsafe line %q", what, line)
		}
	}
}

func TestListHostileAnswerStaysClean(t *testing.T) {
	discover = fakeDiscover(good, hostile)
	defer func() { discover = sadp.Discover }()

	table, _, code := runList(t)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	assertClean(t, "table", table)
	for _, want := range []string{"NVRDEMO0000001", "NVR-DEMO", "198.51.100.10", "02-00-5e-10-00-01", "https://198.51.100.10:8443/", "guid,email", "ROGUE", "read-only"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, strings.Repeat("V", maxField)) {
		t.Errorf("table holds the kilobyte field uncut:\n%s", table)
	}
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 {
		t.Errorf("table: got %d lines, want a header and two devices (a newline in a field must not make a line):\n%s", len(lines), table)
	}

	js, _, _ := runList(t, "-json")
	assertClean(t, "JSON", js)
	if strings.Contains(js, `\u001b`) || strings.Contains(js, "\u202e") || strings.Contains(js, `\u202e`) {
		t.Errorf("JSON keeps an escape or override, even escaped:\n%s", js)
	}
	var got []device
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("JSON output does not parse: %v\n%s", err, js)
	}
	if len(got) != 2 || got[0].Serial != "NVRDEMO0000001" || got[0].ReadOnly || *got[0].Activated != true ||
		strings.Join(got[0].Methods, ",") != "guid,email" || got[0].CertSHA256 != strings.Repeat("ab", 32) {
		t.Errorf("JSON device 0: %+v", got[0])
	}
	if h := got[1]; !h.ReadOnly || h.Activated != nil || !*h.Locked || h.Serial != "ROGUE" || len(h.Firmware) > 3*maxField {
		t.Errorf("JSON hostile device: %+v", h)
	}

	c, _, _ := runList(t, "-csv")
	assertClean(t, "CSV", c)
	rows, err := csv.NewReader(strings.NewReader(c)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("CSV: %d rows, %v\n%s", len(rows), err, c)
	}
	for _, row := range rows[1:] {
		for _, field := range row {
			if field != "" && strings.ContainsRune("=+-@", rune(field[0])) {
				t.Errorf("CSV field %q would be a formula", field)
			}
		}
	}
	if rows[2][1] != `'=HYPERLINK("http://x","y")` || rows[2][11] != "'@SUM(1)" {
		t.Errorf("CSV hostile row: %q", rows[2])
	}
}

func TestListUsage(t *testing.T) {
	discover = fakeDiscover()
	defer func() { discover = sadp.Discover }()
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"-json", "-csv"}, exitUsage, "choose one"},
		{[]string{"-t", "10ms"}, exitUsage, "want 100ms to 60s"},
		{[]string{"-t", "2m"}, exitUsage, "want 100ms to 60s"},
		{[]string{"extra"}, exitUsage, "unexpected argument"},
		{[]string{"-t", "1s"}, exitOK, "0 device(s) answered on veth0"},
	} {
		_, errs, code := runList(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("list %q: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.err)
		}
	}
	var got sadp.DiscoverOptions
	discover = func(_ context.Context, o sadp.DiscoverOptions) (*sadp.Discovery, error) {
		got = o
		return fakeDiscover()(nil, o)
	}
	runList(t, "-i", "eth0, eth1", "-i", "wlan0", "-t", "1500ms")
	if !slices.Equal(got.Interfaces, []string{"eth0", "eth1", "wlan0"}) || got.Wait != 1500*time.Millisecond {
		t.Errorf("list -i eth0,eth1 -i wlan0 -t 1500ms: discovery options %+v", got)
	}
	discover = func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error) {
		return nil, errors.New("sadp: no interface to probe: none is up, multicast-capable and with an IPv4 address (name one with -i)")
	}
	if _, errs, code := runList(t); code != exitNetwork || !strings.Contains(errs, "name one with -i") {
		t.Errorf("no interface: exit %d, stderr %q", code, errs)
	}
}

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, exitUsage, "nvr-sadp CO"},
		{[]string{"help"}, exitOK, "nvr-sadp CO"},
		{[]string{"version"}, exitOK, "nvr-sadp "},
		{[]string{"-h"}, exitOK, "known_recorders"},
		{[]string{"activate", "-lang", "en"}, exitUsage, "name the recorder"},
		{[]string{"setup", "-lang", "fr", "X"}, exitUsage, "want it or en"},
		{[]string{"export-guid", "X"}, exitUsage, "-o FILE"},
		{[]string{"forgot", "X", "-method", "sms"}, exitUsage, "want guid, questions or email"},
		{[]string{"forgot", "X", "extra"}, exitUsage, "unexpected argument"},
		{[]string{"forget"}, exitUsage, "SERIAL"},
		{[]string{"forget", "-lang", "en", "NVR.1"}, exitUsage, "characters other than A-Z, 0-9 and -"},
		{[]string{"forget", "-lang", "en", "NVR\x1b[2J"}, exitUsage, "cannot pin"},
		{[]string{"-h"}, exitOK, "-trust-first-use"},
		{[]string{"\x1b[2Jreset"}, exitUsage, "unknown command"},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, nil, &out, &errb)
		if code != tc.code || !strings.Contains(out.String()+errb.String(), tc.out) {
			t.Errorf("%q: exit %d, output %q; want %d and %q", tc.args, code, out.String()+errb.String(), tc.code, tc.out)
		}
		assertClean(t, "stderr", errb.String())
	}
	// Every acting command's -h (the flag package's, with its tabs) names
	// the flag a script's first use needs.
	for _, cmd := range []string{"activate", "forgot", "setup", "export-guid"} {
		var out, errb bytes.Buffer
		if code := run([]string{cmd, "-h"}, nil, &out, &errb); code != exitOK || !strings.Contains(errb.String(), "-trust-first-use") {
			t.Errorf("%s -h: exit %d, %q; want 0 and -trust-first-use", cmd, code, errb.String())
		}
	}
}
