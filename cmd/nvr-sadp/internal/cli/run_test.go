package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/netip"
	"os"
	"slices"
	"strings"
	"syscall"
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

// testApp is a run whose discovery is disc, in an environment that names
// no language (so Italian, unless -lang says otherwise).
func testApp(disc func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error)) *app {
	return &app{discover: disc, now: time.Now, getenv: func(string) string { return "" }}
}

func runList(t *testing.T, a *app, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := a.run(context.Background(), append([]string{"list"}, args...), nil, &out, &errb)
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
	a := testApp(fakeDiscover(good, hostile))
	table, _, code := runList(t, a, "-lang", "en")
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

	js, _, _ := runList(t, a, "-json")
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

	c, _, _ := runList(t, a, "-csv")
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
	a := testApp(fakeDiscover())
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"-json", "-csv", "-lang", "en"}, exitUsage, "nvr-sadp list: -json and -csv: choose one (the flags: nvr-sadp list -h)"},
		{[]string{"-json", "-csv"}, exitUsage, "nvr-sadp list: -json e -csv: sceglierne uno (le opzioni: nvr-sadp list -h)"},
		{[]string{"-t", "10ms", "-lang", "en"}, exitUsage, "-t 10ms: want 100ms to 60s"},
		{[]string{"-t", "2m"}, exitUsage, "-t 2m0s: da 100ms a 60s"},
		{[]string{"extra"}, exitUsage, "argomento inatteso \"extra\""},
		{[]string{"-x"}, exitUsage, "opzione sconosciuta -x"},
		{[]string{"-t"}, exitUsage, "manca il valore dell'opzione -t"},
		{[]string{"-t", "soon", "-lang=en"}, exitUsage, "invalid value for -t: \"soon\""},
		{[]string{"-lang", "fr"}, exitUsage, "-lang \"fr\": it oppure en"},
		{[]string{"-t", "1s", "-lang", "en"}, exitOK, "devices that answered: 0, on veth0 in 1s"},
		{[]string{"-t", "1s"}, exitOK, "risposte di dispositivi: 0, su veth0 in 1s"},
	} {
		_, errs, code := runList(t, a, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.err) || strings.Count(errs, "\n") != 1 {
			t.Errorf("list %q: exit %d, stderr %q; want %d and one line with %q", tc.args, code, errs, tc.code, tc.err)
		}
	}
	var got sadp.DiscoverOptions
	a.discover = func(_ context.Context, o sadp.DiscoverOptions) (*sadp.Discovery, error) {
		got = o
		return fakeDiscover()(nil, o)
	}
	runList(t, a, "-i", "eth0, eth1", "-i", "wlan0", "-t", "1500ms")
	if !slices.Equal(got.Interfaces, []string{"eth0", "eth1", "wlan0"}) || got.Wait != 1500*time.Millisecond {
		t.Errorf("list -i eth0,eth1 -i wlan0 -t 1500ms: discovery options %+v", got)
	}
}

// TestListDiscoveryProblems: why a discovery could not probe, or what
// went wrong on an interface, is said in the session's language.
func TestListDiscoveryProblems(t *testing.T) {
	refused := &sadp.InterfaceError{Interfaces: []string{"eth1"}, Op: sadp.OpProbe, Addr: netip.MustParseAddr("239.255.255.250"), Err: &os.SyscallError{Syscall: "sendto", Err: syscall.ENETUNREACH}}
	for _, tc := range []struct {
		err      error
		problems []error
		code     int
		it, en   string
	}{
		{err: &sadp.InterfaceError{Err: sadp.ErrNoInterface}, code: exitNetwork,
			it: "nessuna interfaccia da interrogare", en: "no interface to probe"},
		{err: &sadp.InterfaceError{Interfaces: []string{"eth9"}, Have: []string{"lo", "eth0"}, Err: sadp.ErrUnknownInterface}, code: exitNetwork,
			it: "qui non c'è un'interfaccia di rete eth9 (ci sono: lo, eth0)", en: "no network interface eth9 here (there are: lo, eth0)"},
		{err: &sadp.InterfaceError{Interfaces: []string{"eth0"}, Err: sadp.ErrNoIPv4}, code: exitNetwork,
			it: "interfaccia eth0: nessun indirizzo IPv4", en: "interface eth0: no IPv4 address"},
		{err: &sadp.InterfaceError{Interfaces: []string{"eth1"}, Problems: []error{refused}, Err: sadp.ErrNoProbeSent}, code: exitNetwork,
			it: "nessuna richiesta di ricerca è partita: interfaccia eth1: richiesta a 239.255.255.250 non inviata: rete non raggiungibile",
			en: "no probe could be sent: interface eth1: probe to 239.255.255.250 not sent: network unreachable"},
		{problems: []error{refused}, code: exitOK,
			it: "attenzione: interfaccia eth1: richiesta a 239.255.255.250 non inviata: rete non raggiungibile",
			en: "warning: interface eth1: probe to 239.255.255.250 not sent: network unreachable"},
	} {
		a := testApp(func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error) {
			if tc.err != nil {
				return nil, tc.err
			}
			return &sadp.Discovery{Interfaces: []string{"eth0", "eth1"}, Problems: tc.problems}, nil
		})
		for lang, want := range map[string]string{"it": tc.it, "en": tc.en} {
			if _, errs, code := runList(t, a, "-lang", lang); code != tc.code || !strings.Contains(errs, want) {
				t.Errorf("%s, %v: exit %d, stderr %q; want %d and %q", lang, tc.err, code, errs, tc.code, want)
			}
		}
	}
}

func TestCommands(t *testing.T) {
	a := testApp(fakeDiscover())
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, exitUsage, "uso: nvr-sadp COMANDO"},
		{[]string{"help"}, exitOK, "uso: nvr-sadp COMANDO"},
		{[]string{"help", "-lang", "en"}, exitOK, "usage: nvr-sadp COMMAND"},
		{[]string{"version"}, exitOK, "nvr-sadp "},
		{[]string{"-h"}, exitOK, "known_recorders"},
		{[]string{"activate", "-lang", "en"}, exitUsage, "name the recorder"},
		{[]string{"activate"}, exitUsage, "indicare il registratore"},
		{[]string{"setup", "-lang", "fr", "X"}, exitUsage, "-lang \"fr\": it oppure en"},
		{[]string{"export-guid", "X", "-lang", "en"}, exitUsage, "-o FILE is needed"},
		{[]string{"export-guid", "X"}, exitUsage, "serve -o FILE"},
		{[]string{"forgot", "X", "-method", "sms"}, exitUsage, "-method \"sms\": guid, questions oppure email"},
		{[]string{"forgot", "X", "extra"}, exitUsage, "argomento inatteso \"extra\""},
		{[]string{"forgot", "X", "-expect-fingerprint", "AB:CD"}, exitUsage, "servono 64 cifre esadecimali"},
		{[]string{"forgot", "X", "-bogus"}, exitUsage, "nvr-sadp forgot: opzione sconosciuta -bogus (le opzioni: nvr-sadp forgot -h)"},
		{[]string{"forgot", "X", "-method", "guid"}, exitUsage, "il metodo GUID richiede -guid FILE"},
		{[]string{"setup", "X", "-questions", "a,b"}, exitUsage, "servono tre ID"},
		{[]string{"setup", "X"}, exitUsage, "niente da impostare"},
		{[]string{"forget"}, exitUsage, "indicare il numero di serie"},
		{[]string{"forget", "-lang", "en"}, exitUsage, "name the serial"},
		{[]string{"forget", "-lang", "en", "NVR.1"}, exitUsage, "characters other than A-Z, 0-9 and -"},
		{[]string{"forget", "-lang", "en", "NVR\x1b[2J"}, exitUsage, "cannot pin"},
		{[]string{"forget", "A", "B"}, exitUsage, "argomento inatteso \"B\""},
		{[]string{"-h"}, exitOK, "-trust-first-use"},
		{[]string{"\x1b[2Jreset"}, exitUsage, "comando sconosciuto"},
	} {
		var out, errb bytes.Buffer
		code := a.run(context.Background(), tc.args, nil, &out, &errb)
		if code != tc.code || !strings.Contains(out.String()+errb.String(), tc.out) {
			t.Errorf("%q: exit %d, output %q; want %d and %q", tc.args, code, out.String()+errb.String(), tc.code, tc.out)
		}
		assertClean(t, "stderr", errb.String())
	}
	// Every command's -h is on standard output, in the session's
	// language, every flag with its value's name in that language too
	// (never the flag package's English "string", "duration" or
	// "value"), and names the flag a script's first use needs.
	for _, cmd := range []string{"list", "activate", "forgot", "setup", "export-guid", "forget"} {
		for _, lang := range []string{"it", "en"} {
			var out, errb bytes.Buffer
			code := a.run(context.Background(), []string{cmd, "-h", "-lang", lang}, nil, &out, &errb)
			help := out.String()
			want := map[string]string{"it": "uso: nvr-sadp " + cmd, "en": "usage: nvr-sadp " + cmd}[lang]
			if code != exitOK || errb.Len() != 0 || !strings.HasPrefix(help, want) {
				t.Errorf("%s -h -lang %s: exit %d, stdout %q, stderr %q; want 0 and the help on stdout", cmd, lang, code, help, errb.String())
			}
			for _, english := range []string{" string\n", " duration\n", " value\n"} {
				if strings.Contains(help, english) {
					t.Errorf("%s -h -lang %s: the flag package's own words %q:\n%s", cmd, lang, english, help)
				}
			}
			if acting := cmd != "list" && cmd != "forget"; acting && !strings.Contains(help, "-trust-first-use") {
				t.Errorf("%s -h: no -trust-first-use:\n%s", cmd, help)
			}
		}
	}
}
