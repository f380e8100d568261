package config

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// specDefaults is the default configuration as the design fixes it,
// written out so that a change to default.toml has to change it too.
var specDefaults = Config{
	Language: "it",
	StateDir: "/var/lib/nvr-menu",
	Device:   Device{Serial: "NVRDEMO0000001", Model: "NVR-DEMO"},
	Password: Password{MaxLength: 16},
	Recovery: Recovery{
		VendorPublicKey: "",
		RecoveryAddress: "pw_recovery@example.com",
		AppURL:          "",
		CodeTTL:         48 * time.Hour,
		GUID:            true,
		Questions:       true,
		Email:           true,
	},
	USB:     USB{Source: "mounts", MediaRoot: "/media"},
	Console: Console{TTY: "", Mouse: "/dev/input/mice", QRBlocks: "half", Font: "auto", Keymap: "us"},
	Log:     Log{File: "", Level: "info"},
	Notify:  Notify{Command: nil, Timeout: 10 * time.Second},
	KDF:     KDF{MemoryCapMiB: 64, TargetTime: 500 * time.Millisecond},
	SADP:    SADP{Enabled: true, Interfaces: nil, AnySubnet: false},
	Web:     Web{Listen: ":8443", Hosts: nil, Activation: true, ActivationWindow: 30 * time.Minute, ClientHeader: "X-Forwarded-For", FrontUser: "", MaxConns: 64},
}

func TestDefaultIsTheSpecifiedConfig(t *testing.T) {
	if got := Default(); !reflect.DeepEqual(got, specDefaults) {
		t.Errorf("Default():\ngot  %+v\nwant %+v", got, specDefaults)
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
}

func TestEmbeddedDefaultParsesToDefault(t *testing.T) {
	// Parsed over nothing, the embedded file alone must give every default.
	got, err := parseOver(Config{}, defaultTOML)
	if err != nil {
		t.Fatalf("parsing default.toml over the zero Config: %v", err)
	}
	if !reflect.DeepEqual(got, Default()) {
		t.Errorf("default.toml over the zero Config:\ngot  %+v\nwant %+v", got, Default())
	}
	for _, empty := range []string{"", "\n", "# only a comment\n"} {
		got, err := Parse([]byte(empty))
		if err != nil || !reflect.DeepEqual(got, Default()) {
			t.Errorf("Parse(%q) = %+v, %v; want Default(), nil", empty, got, err)
		}
	}
}

// defaultValues reads default.toml line by line: each key's value as
// written, and whether a comment line is right above it.
func defaultValues(t *testing.T) (values map[string]string, commented map[string]bool) {
	t.Helper()
	values, commented = make(map[string]string), make(map[string]bool)
	section, previous := "", ""
	scanner := bufio.NewScanner(bytes.NewReader(defaultTOML))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]") + "."
		case line != "" && !strings.HasPrefix(line, "#"):
			key, value, _ := strings.Cut(line, "=")
			key = section + strings.TrimSpace(key)
			values[key] = strings.TrimSpace(value)
			commented[key] = strings.HasPrefix(previous, "#")
		}
		previous = line
	}
	return values, commented
}

func TestEmbeddedDefaultDocumentsEveryKey(t *testing.T) {
	values, commented := defaultValues(t)
	for key, typ := range schema() {
		if typ.Kind() == reflect.Struct {
			continue
		}
		if _, written := values[key]; !written {
			t.Errorf("default.toml: key %s is missing, want every key written with its default", key)
		} else if !commented[key] {
			t.Errorf("default.toml: key %s has no comment line right above it", key)
		}
	}
}

// TestDocsTableMatchesDefaults holds docs/config.md to the code: a row for
// every key, with the default written as in default.toml.
func TestDocsTableMatchesDefaults(t *testing.T) {
	doc, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatalf("reading the configuration docs: %v", err)
	}
	rows := make(map[string]string)
	for _, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 3 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.Trim(strings.TrimSpace(cells[2]), "`")
		}
	}
	values, _ := defaultValues(t)
	for key, typ := range schema() {
		if typ.Kind() == reflect.Struct {
			continue
		}
		if got, ok := rows[key]; !ok {
			t.Errorf("docs/config.md: no row for key %s", key)
		} else if got != values[key] {
			t.Errorf("docs/config.md: key %s: got default %s, want %s as in default.toml", key, got, values[key])
		}
	}
	for key := range rows {
		if _, ok := schema()[key]; !ok {
			t.Errorf("docs/config.md: row for %s, which is not a key", key)
		}
	}
}

func TestDefaultPanicsOnlyOnABrokenEmbeddedFile(t *testing.T) {
	for _, tc := range []struct {
		name      string
		embedded  string
		wantPanic bool
	}{
		{"the real file", string(defaultTOML), false},
		{"bad syntax", "language = ", true},
		{"unknown key", string(defaultTOML) + "\ntelnet = true\n", true},
		{"invalid value", strings.Replace(string(defaultTOML), `language = "it"`, `language = "fr"`, 1), true},
		{"a key missing", strings.Replace(string(defaultTOML), "max_length = 16", "", 1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if got := recover() != nil; got != tc.wantPanic {
					t.Errorf("mustParseDefault panicked: got %v, want %v", got, tc.wantPanic)
				}
			}()
			mustParseDefault([]byte(tc.embedded))
		})
	}
}

func TestDefaultReturnsACopy(t *testing.T) {
	first := Default()
	first.Notify.Command = append(first.Notify.Command, "/bin/true")
	first.Language = "en"
	if got := Default(); !reflect.DeepEqual(got, specDefaults) {
		t.Errorf("Default() after changing an earlier copy: got %+v, want %+v", got, specDefaults)
	}
	parsed, err := Parse([]byte("[notify]\ncommand = [\"/usr/sbin/reload\", \"--all\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	parsed.Notify.Command[0] = "/bin/false"
	if got := Default().Notify.Command; got != nil {
		t.Errorf("Default().Notify.Command after changing a parsed one: got %q, want nil", got)
	}
	parsed, err = Parse([]byte("[sadp]\ninterfaces = [\"eth0\"]\n"))
	if err != nil || !slices.Equal(parsed.SADP.Interfaces, []string{"eth0"}) {
		t.Fatalf("sadp.interfaces: got %q, %v", parsed.SADP.Interfaces, err)
	}
	if got := Default().SADP.Interfaces; got != nil {
		t.Errorf("Default().SADP.Interfaces after parsing a file: got %q, want nil", got)
	}
	if parsed, err = Parse([]byte("[sadp]\ninterfaces = []\n")); err != nil || parsed.SADP.Interfaces != nil {
		t.Errorf("interfaces = []: got %q, %v; want nil, the same as no key", parsed.SADP.Interfaces, err)
	}
}

func TestParseKeepsDefaultsForMissingKeys(t *testing.T) {
	for _, tc := range []struct {
		name   string
		toml   string
		change func(*Config)
	}{
		{"top-level key", `language = "en"`, func(c *Config) { c.Language = "en" }},
		{"one key of a section", "[usb]\nsource = \"dirs\"\n", func(c *Config) { c.USB.Source = "dirs" }},
		{"dotted key", `usb.media_root = "/srv/sticks"`, func(c *Config) { c.USB.MediaRoot = "/srv/sticks" }},
		{"inline table", `kdf = { memory_cap_mib = 19 }`, func(c *Config) { c.KDF.MemoryCapMiB = 19 }},
		{"empty section", "[console]\n", func(*Config) {}},
		{"a method off", "[recovery]\nquestions = false\n", func(c *Config) { c.Recovery.Questions = false }},
		{"durations", "[recovery]\ncode_ttl = \"1h30m\"\n[notify]\ntimeout = \"2m\"\n[kdf]\ntarget_time = \"1.5s\"\n", func(c *Config) {
			c.Recovery.CodeTTL, c.Notify.Timeout, c.KDF.TargetTime = 90*time.Minute, 2*time.Minute, 1500*time.Millisecond
		}},
		{"empty command", "[notify]\ncommand = []\n", func(*Config) {}},
		{"command", "[notify]\ncommand = [\"/usr/sbin/reload\", \"--all\"]\n", func(c *Config) {
			c.Notify.Command = []string{"/usr/sbin/reload", "--all"}
		}},
		{"the whole default file", string(defaultTOML), func(*Config) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.toml))
			if err != nil {
				t.Fatalf("Parse: got %v, want no error", err)
			}
			want := Default()
			tc.change(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseRefusesWhatItDoesNotUnderstand(t *testing.T) {
	for _, tc := range []struct {
		name    string
		toml    string
		wantKey string // "" for a problem with the file as a whole
		want    string // the whole message, or its start when it ends with "..." (go-toml's own words)
	}{
		{"unknown top-level key", "langauge = \"en\"\n", "langauge",
			"line 1: key langauge: not a known key (did you mean language?)"},
		{"unknown key in a section", "[usb]\nsource = \"dirs\"\nmedia = \"/media\"\n", "usb.media",
			"line 3: key usb.media: not a known key"},
		{"misspelt key in a section", "\n[usb]\nsourse = \"dirs\"\n", "usb.sourse",
			"line 3: key usb.sourse: not a known key (did you mean usb.source?)"},
		{"unknown section", "[telnet]\nenabled = true\n", "telnet",
			"line 1: key telnet: not a known section"},
		{"unknown subsection", "[usb.extra]\nenabled = true\n", "usb.extra",
			"line 1: key usb.extra: not a known section"},
		{"unknown dotted key", "log.colour = true\n", "log.colour",
			"line 1: key log.colour: not a known key"},
		{"the first of several unknown keys", "[kdf]\nthreads = 4\n[log]\nfile2 = \"\"\n", "kdf.threads",
			"line 2: key kdf.threads: not a known key"},
		{"key in the wrong case", "Language = \"en\"\n", "Language",
			"key Language: not a known key (did you mean language?)"},
		{"section in the wrong case", "[USB]\nsource = \"dirs\"\n", "USB",
			"key USB: not a known key (did you mean usb?)"},
		{"two spellings of one key", "language = \"it\"\nLANGUAGE = \"en\"\n", "LANGUAGE",
			"key LANGUAGE: not a known key (did you mean language?)"},
		{"string for an integer", "[password]\nmax_length = \"16\"\n", "password.max_length",
			"line 2: key password.max_length: want an integer, found a TOML string"},
		{"float for an integer", "[kdf]\nmemory_cap_mib = 64.0\n", "kdf.memory_cap_mib",
			"line 2: key kdf.memory_cap_mib: want an integer, found a TOML float"},
		{"integer too large", "[kdf]\nmemory_cap_mib = 99999999999999999999\n", "",
			"line 2: ..."},
		{"integer for a boolean", "[recovery]\nguid = 1\n", "recovery.guid",
			"line 2: key recovery.guid: want true or false, found a TOML integer"},
		{"string for a boolean", "[recovery]\nemail = \"yes\"\n", "recovery.email",
			"line 2: key recovery.email: want true or false, found a TOML string"},
		{"integer for a string", "language = 1\n", "language",
			"line 1: key language: want a string, found a TOML integer"},
		{"integer for a duration", "[recovery]\ncode_ttl = 48\n", "recovery.code_ttl",
			`line 2: key recovery.code_ttl: want a duration in quotes, like "48h", found a TOML integer`},
		{"table for a duration", "[notify]\ntimeout = { seconds = 10 }\n", "notify.timeout",
			`line 2: key notify.timeout: want a duration in quotes, like "48h", found a TOML inline table`},
		{"date for a duration", "[kdf]\ntarget_time = 2025-01-01\n", "kdf.target_time",
			`line 2: key kdf.target_time: want a duration in quotes, like "48h", found a TOML local date`},
		{"duration without unit", "[recovery]\ncode_ttl = \"48\"\n", "recovery.code_ttl",
			`key recovery.code_ttl: "48" is not a duration like "10s", "90m" or "48h"`},
		{"duration in words", "[notify]\ntimeout = \"ten seconds\"\n", "notify.timeout",
			`key notify.timeout: "ten seconds" is not a duration like "10s", "90m" or "48h"`},
		{"duration in days", "[recovery]\ncode_ttl = \"2d\"\n", "recovery.code_ttl",
			`key recovery.code_ttl: "2d" is not a duration like "10s", "90m" or "48h"`},
		{"wrong type in an inline table", "kdf = { memory_cap_mib = \"64\" }\n", "kdf.memory_cap_mib",
			"line 1: key kdf.memory_cap_mib: want an integer, found a TOML string"},
		{"integer for a duration in an inline table", "kdf = { target_time = 5 }\n", "kdf.target_time",
			`line 1: key kdf.target_time: want a duration in quotes, like "48h", found a TOML integer`},
		{"unknown key in an inline table", "kdf = { threads = 4 }\n", "kdf.threads",
			"line 1: key kdf.threads: not a known key"},
		{"string for a list", "[notify]\ncommand = \"/usr/sbin/reload --all\"\n", "notify.command",
			"line 2: key notify.command: want an array of strings, found a TOML string"},
		{"number in a list", "[notify]\ncommand = [\"/usr/sbin/reload\", 1]\n", "notify.command",
			"line 2: key notify.command: want an array of strings, found a TOML integer"},
		{"value for a section", "usb = \"/media\"\n", "usb",
			"line 1: key usb: want a section, found a TOML string"},
		{"section for a value", "[language]\nname = \"it\"\n", "language",
			"line 1: key language: want a string, found a TOML table"},
		{"array of sections", "[[usb]]\nsource = \"dirs\"\n", "usb",
			"line 1: key usb: want a section, found a TOML array table"},
		{"key defined twice", "language = \"it\"\nlanguage = \"en\"\n", "language",
			"line 2: key language: defined twice"},
		{"value missing", "language = \n", "",
			"line 1: ..."},
		{"unterminated string", "[log]\nlevel = \"info\n", "",
			"line 2: ..."},
		{"not UTF-8", "language = \"\xff\"\n", "",
			"line 1: ..."},
		{"validation after decoding", "[usb]\nsource = \"usb\"\n", "usb.source",
			`key usb.source: "usb" is not one of mounts, dirs`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.toml))
			if err == nil {
				t.Fatalf("Parse(%q): got no error, want %q", tc.toml, tc.want)
			}
			prefix, isPrefix := strings.CutSuffix(tc.want, "...")
			if got := err.Error(); got != tc.want && !(isPrefix && strings.HasPrefix(got, prefix) && len(got) > len(prefix)) {
				t.Errorf("Parse(%q): got error %q, want %q", tc.toml, got, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want one that wraps ErrInvalid", err)
			}
			var keyErr *KeyError
			gotKey := ""
			if errors.As(err, &keyErr) {
				gotKey = keyErr.Key
			}
			if gotKey != tc.wantKey {
				t.Errorf("got KeyError for key %q, want %q", gotKey, tc.wantKey)
			}
		})
	}
}

func TestMessagesStayOnOneLine(t *testing.T) {
	long := strings.Repeat("a", 100)
	manyUnknown := ""
	for i := range 20 {
		manyUnknown += "k" + string(rune('a'+i)) + " = 1\n"
	}
	for _, tc := range []struct {
		name string
		toml string
		want string
	}{
		{"long value", "language = \"" + long + "\"\n",
			`key language: "` + long[:48] + `"... is not one of it, en`},
		{"long unknown key", long + " = 1\n",
			`line 1: key "` + long[:48] + `"...: not a known key`},
		{"quoted key with a newline", "\"a\\nb\" = 1\n",
			`line 1: key "a\nb": not a known key`},
		{"decoder message quoting a key with a newline", "[\"a\\nb\"]\n[\"a\\nb\"]\n",
			"line 2: ..."},
		{"many unknown keys: the first in sorted order, without a line", manyUnknown,
			"key ka: not a known key"},
		{"control character in a value", "language = \"it\\u0000\"\n",
			`key language: "it\x00" is not one of it, en`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.toml))
			if err == nil {
				t.Fatalf("Parse(%q): got no error, want %q", tc.toml, tc.want)
			}
			got := err.Error()
			if strings.ContainsAny(got, "\r\n") {
				t.Errorf("got a message of several lines: %q", got)
			}
			prefix, isPrefix := strings.CutSuffix(tc.want, "...")
			if got != tc.want && !(isPrefix && strings.HasPrefix(got, prefix)) {
				t.Errorf("got error %q, want %q", got, tc.want)
			}
		})
	}
}
