package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// vendorKey is a well-formed vendor public key (32 bytes 0x00..0x1f).
const vendorKey = "nvrvk1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

func TestValidateEveryKey(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*Config)
		wantKey string // "" when the change is valid
		want    string // the problem, when wantKey is set
	}{
		{"language en", func(c *Config) { c.Language = "en" }, "", ""},
		{"language fr", func(c *Config) { c.Language = "fr" }, "language", `"fr" is not one of it, en`},
		{"language upper case", func(c *Config) { c.Language = "IT" }, "language", `"IT" is not one of it, en`},
		{"language empty", func(c *Config) { c.Language = "" }, "language", `"" is not one of it, en`},

		{"state_dir other", func(c *Config) { c.StateDir = "/data/nvr" }, "", ""},
		{"state_dir relative", func(c *Config) { c.StateDir = "var/lib/nvr-menu" }, "state_dir", `"var/lib/nvr-menu" is not an absolute path`},
		{"state_dir empty", func(c *Config) { c.StateDir = "" }, "state_dir", `"" is not an absolute path`},
		{"state_dir unclean", func(c *Config) { c.StateDir = "/var/lib/../../etc" }, "state_dir", `"/var/lib/../../etc" is not a clean path (want "/etc")`},
		{"state_dir trailing slash", func(c *Config) { c.StateDir = "/var/lib/nvr-menu/" }, "state_dir", `"/var/lib/nvr-menu/" is not a clean path (want "/var/lib/nvr-menu")`},
		{"state_dir newline", func(c *Config) { c.StateDir = "/var/lib/nvr\nmenu" }, "state_dir", `"/var/lib/nvr\nmenu" contains a control character`},

		{"serial one character", func(c *Config) { c.Device.Serial = "A" }, "", ""},
		{"serial 32 characters", func(c *Config) { c.Device.Serial = strings.Repeat("9", 32) }, "", ""},
		{"serial with dashes", func(c *Config) { c.Device.Serial = "DS-7608NI-K2-2024" }, "", ""},
		{"serial empty", func(c *Config) { c.Device.Serial = "" }, "device.serial", `"" is not 1 to 32 characters A-Z, 0-9 or '-'`},
		{"serial 33 characters", func(c *Config) { c.Device.Serial = strings.Repeat("9", 33) }, "device.serial", `"` + strings.Repeat("9", 33) + `" is not 1 to 32 characters A-Z, 0-9 or '-'`},
		{"serial lower case", func(c *Config) { c.Device.Serial = "nvr1" }, "device.serial", `"nvr1" is not 1 to 32 characters A-Z, 0-9 or '-'`},
		{"serial with a slash", func(c *Config) { c.Device.Serial = "../NVR" }, "device.serial", `"../NVR" is not 1 to 32 characters A-Z, 0-9 or '-'`},
		{"serial with a space", func(c *Config) { c.Device.Serial = "NVR 1" }, "device.serial", `"NVR 1" is not 1 to 32 characters A-Z, 0-9 or '-'`},
		{"serial non-ASCII", func(c *Config) { c.Device.Serial = "NVRÀ" }, "device.serial", `"NVRÀ" is not 1 to 32 characters A-Z, 0-9 or '-'`},

		{"model other", func(c *Config) { c.Device.Model = "DS-7608NI-K2/8P (2024)" }, "", ""},
		{"model 48 characters", func(c *Config) { c.Device.Model = strings.Repeat("M", 48) }, "", ""},
		{"model empty", func(c *Config) { c.Device.Model = "" }, "device.model", wantModel("")},
		{"model 49 characters", func(c *Config) { c.Device.Model = strings.Repeat("M", 49) }, "device.model", `"` + strings.Repeat("M", 48) + `"...` + wantModel("")[2:]},
		{"model with markup", func(c *Config) { c.Device.Model = "<b>NVR</b>" }, "device.model", wantModel("<b>NVR</b>")},
		{"model with an escape", func(c *Config) { c.Device.Model = "NVR\x1b[2J" }, "device.model", wantModel("NVR\x1b[2J")},
		{"model non-ASCII", func(c *Config) { c.Device.Model = "NVRÀ" }, "device.model", wantModel("NVRÀ")},
		{"model spreadsheet formula", func(c *Config) { c.Device.Model = "=HYPERLINK(1)" }, "device.model", wantModel("=HYPERLINK(1)")},
		{"model trailing space", func(c *Config) { c.Device.Model = "NVR " }, "device.model", wantModel("NVR ")},

		{"max_length 8", func(c *Config) { c.Password.MaxLength = 8 }, "", ""},
		{"max_length 64", func(c *Config) { c.Password.MaxLength = 64 }, "", ""},
		{"max_length 7", func(c *Config) { c.Password.MaxLength = 7 }, "password.max_length", "7 is outside 8..64"},
		{"max_length 65", func(c *Config) { c.Password.MaxLength = 65 }, "password.max_length", "65 is outside 8..64"},
		{"max_length negative", func(c *Config) { c.Password.MaxLength = -16 }, "password.max_length", "-16 is outside 8..64"},

		{"vendor key set", func(c *Config) { c.Recovery.VendorPublicKey = vendorKey }, "", ""},
		{"vendor key without prefix", func(c *Config) { c.Recovery.VendorPublicKey = strings.TrimPrefix(vendorKey, "nvrvk1:") }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key other version", func(c *Config) { c.Recovery.VendorPublicKey = "nvrvk2:" + vendorKey[7:] }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key one character short", func(c *Config) { c.Recovery.VendorPublicKey = vendorKey[:len(vendorKey)-1] }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key one character long", func(c *Config) { c.Recovery.VendorPublicKey = vendorKey + "A" }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key padded", func(c *Config) { c.Recovery.VendorPublicKey = vendorKey + "=" }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key standard base64", func(c *Config) { c.Recovery.VendorPublicKey = vendorKey[:len(vendorKey)-2] + "+/" }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key stray low bits", func(c *Config) { c.Recovery.VendorPublicKey = vendorKey[:len(vendorKey)-1] + "9" }, "recovery.vendor_public_key", wantVendorKey},
		{"vendor key prefix only", func(c *Config) { c.Recovery.VendorPublicKey = "nvrvk1:" }, "recovery.vendor_public_key", wantVendorKey},

		{"recovery address other", func(c *Config) { c.Recovery.RecoveryAddress = "recupero.password@vendor.it" }, "", ""},
		{"recovery address with a name", func(c *Config) { c.Recovery.RecoveryAddress = "Vendor <pw@vendor.it>" }, "recovery.recovery_address", wantMailbox("Vendor <pw@vendor.it>", "before @: character ' ' not allowed")},
		{"recovery address in brackets", func(c *Config) { c.Recovery.RecoveryAddress = "<pw@vendor.it>" }, "recovery.recovery_address", wantMailbox("<pw@vendor.it>", "before @: character '<' not allowed")},
		{"recovery address without domain", func(c *Config) { c.Recovery.RecoveryAddress = "pw_recovery" }, "recovery.recovery_address", wantMailbox("pw_recovery", "no @")},
		{"recovery address with spaces", func(c *Config) { c.Recovery.RecoveryAddress = " pw@vendor.it" }, "recovery.recovery_address", wantMailbox(" pw@vendor.it", "before @: character ' ' not allowed")},
		{"recovery address non-ASCII", func(c *Config) { c.Recovery.RecoveryAddress = "recupero@società.it" }, "recovery.recovery_address", wantMailbox("recupero@società.it", "after @: character 'à' not allowed")},
		{"recovery address label too long", func(c *Config) { c.Recovery.RecoveryAddress = "pw@" + strings.Repeat("b", 64) + ".it" }, "recovery.recovery_address", `"pw@` + strings.Repeat("b", 45) + `"... is not a bare email address in printable ASCII, like "pw_recovery@example.com" (after @: a name of 64 characters between dots, at most 63)`},
		{"recovery address empty", func(c *Config) { c.Recovery.RecoveryAddress = "" }, "recovery.recovery_address", wantMailbox("", "empty")},
		{"recovery address 254 characters", func(c *Config) {
			// DNS names are at most 63 characters between dots.
			c.Recovery.RecoveryAddress = strings.Repeat("a", 64) + "@" + strings.Repeat(strings.Repeat("b", 62)+".", 2) + strings.Repeat("b", 60) + ".it"
		}, "", ""},
		{"recovery address too long", func(c *Config) {
			c.Recovery.RecoveryAddress = strings.Repeat("a", 64) + "@" + strings.Repeat(strings.Repeat("b", 62)+".", 2) + strings.Repeat("b", 61) + ".it"
		}, "recovery.recovery_address", `"` + strings.Repeat("a", 48) + `"... is longer than 254 characters`},

		{"app_url empty", func(c *Config) { c.Recovery.AppURL = "" }, "", ""},
		{"app_url vendor", func(c *Config) { c.Recovery.AppURL = "https://recover.vendor.example/r/" }, "", ""},
		{"app_url demo", func(c *Config) { c.Recovery.AppURL = "https://127.0.0.1:8444/r/" }, "", ""},
		{"app_url http", func(c *Config) { c.Recovery.AppURL = "http://recover.vendor.example/r/" }, "recovery.app_url", `"http://recover.vendor.example/r/" is not an https address with a host and a path ending in /, of letters, digits and . - / : only, like "https://recover.vendor.example/r/" (scheme "http", want https)`},
		{"app_url no slash", func(c *Config) { c.Recovery.AppURL = "https://recover.vendor.example/r" }, "recovery.app_url", `"https://recover.vendor.example/r" is not an https address with a host and a path ending in /, of letters, digits and . - / : only, like "https://recover.vendor.example/r/" (path "/r" does not start and end with /)`},
		{"app_url query", func(c *Config) { c.Recovery.AppURL = "https://recover.vendor.example/r/?a=b" }, "recovery.app_url", `"https://recover.vendor.example/r/?a=b" is not an https address with a host and a path ending in /, of letters, digits and . - / : only, like "https://recover.vendor.example/r/" ('?' is not a letter, a digit or one of . - / :)`},
		{"code_ttl 1h", func(c *Config) { c.Recovery.CodeTTL = time.Hour }, "", ""},
		{"code_ttl 168h", func(c *Config) { c.Recovery.CodeTTL = 168 * time.Hour }, "", ""},
		{"code_ttl 59m", func(c *Config) { c.Recovery.CodeTTL = 59 * time.Minute }, "recovery.code_ttl", "59m0s is outside 1h0m0s..168h0m0s"},
		{"code_ttl 169h", func(c *Config) { c.Recovery.CodeTTL = 169 * time.Hour }, "recovery.code_ttl", "169h0m0s is outside 1h0m0s..168h0m0s"},
		{"code_ttl negative", func(c *Config) { c.Recovery.CodeTTL = -48 * time.Hour }, "recovery.code_ttl", "-48h0m0s is outside 1h0m0s..168h0m0s"},

		{"every method off", func(c *Config) { c.Recovery.GUID, c.Recovery.Questions, c.Recovery.Email = false, false, false }, "", ""},

		{"usb source dirs", func(c *Config) { c.USB.Source = "dirs" }, "", ""},
		{"usb source usb", func(c *Config) { c.USB.Source = "usb" }, "usb.source", `"usb" is not one of mounts, dirs`},
		{"media_root other", func(c *Config) { c.USB.MediaRoot = "/run/media" }, "", ""},
		{"media_root relative", func(c *Config) { c.USB.MediaRoot = "media" }, "usb.media_root", `"media" is not an absolute path`},
		{"media_root empty", func(c *Config) { c.USB.MediaRoot = "" }, "usb.media_root", `"" is not an absolute path`},

		{"tty set", func(c *Config) { c.Console.TTY = "/dev/tty1" }, "", ""},
		{"tty relative", func(c *Config) { c.Console.TTY = "tty1" }, "console.tty", `"tty1" is not an absolute path`},
		{"mouse off", func(c *Config) { c.Console.Mouse = "" }, "", ""},
		{"mouse relative", func(c *Config) { c.Console.Mouse = "input/mice" }, "console.mouse", `"input/mice" is not an absolute path`},
		{"mouse unclean", func(c *Config) { c.Console.Mouse = "/dev//input/mice" }, "console.mouse", `"/dev//input/mice" is not a clean path (want "/dev/input/mice")`},
		{"qr_blocks full", func(c *Config) { c.Console.QRBlocks = "full" }, "", ""},
		{"qr_blocks quarter", func(c *Config) { c.Console.QRBlocks = "quarter" }, "console.qr_blocks", `"quarter" is not one of half, full`},
		{"font keep", func(c *Config) { c.Console.Font = "keep" }, "", ""},
		{"font 8x16", func(c *Config) { c.Console.Font = "8x16" }, "", ""},
		{"font 12x24", func(c *Config) { c.Console.Font = "12x24" }, "", ""},
		{"font 16x32", func(c *Config) { c.Console.Font = "16x32" }, "", ""},
		{"font not shipped", func(c *Config) { c.Console.Font = "11x22" }, "console.font", `"11x22" is not one of auto, keep, 8x16, 12x24, 16x32`},
		{"font upper case", func(c *Config) { c.Console.Font = "16X32" }, "console.font", `"16X32" is not one of auto, keep, 8x16, 12x24, 16x32`},
		{"font empty", func(c *Config) { c.Console.Font = "" }, "console.font", `"" is not one of auto, keep, 8x16, 12x24, 16x32`},
		{"font a name", func(c *Config) { c.Console.Font = "Lat15-Terminus32x16" }, "console.font", `"Lat15-Terminus32x16" is not one of auto, keep, 8x16, 12x24, 16x32`},
		{"keymap it", func(c *Config) { c.Console.Keymap = "it" }, "", ""},
		{"keymap keep", func(c *Config) { c.Console.Keymap = "keep" }, "", ""},
		{"keymap de", func(c *Config) { c.Console.Keymap = "de" }, "console.keymap", `"de" is not one of us, it, keep`},
		{"keymap a file", func(c *Config) { c.Console.Keymap = "/usr/share/keymaps/it.map" }, "console.keymap", `"/usr/share/keymaps/it.map" is not one of us, it, keep`},

		{"log file set", func(c *Config) { c.Log.File = "/var/log/nvr-menu.log" }, "", ""},
		{"log file relative", func(c *Config) { c.Log.File = "nvr-menu.log" }, "log.file", `"nvr-menu.log" is not an absolute path`},
		{"log level debug", func(c *Config) { c.Log.Level = "debug" }, "", ""},
		{"log level warn", func(c *Config) { c.Log.Level = "warn" }, "", ""},
		{"log level error", func(c *Config) { c.Log.Level = "error" }, "", ""},
		{"log level warning", func(c *Config) { c.Log.Level = "warning" }, "log.level", `"warning" is not one of debug, info, warn, error`},

		{"command alone", func(c *Config) { c.Notify.Command = []string{"/usr/sbin/reload-credentials"} }, "", ""},
		{"command with arguments", func(c *Config) { c.Notify.Command = []string{"/bin/sh", "-c", "kill -HUP 1"} }, "", ""},
		{"command relative", func(c *Config) { c.Notify.Command = []string{"reload-credentials"} }, "notify.command", `program "reload-credentials" is not a clean absolute path`},
		{"command empty program", func(c *Config) { c.Notify.Command = []string{""} }, "notify.command", `program "" is not a clean absolute path`},
		{"command unclean", func(c *Config) { c.Notify.Command = []string{"/usr/sbin/../bin/sh"} }, "notify.command", `program "/usr/sbin/../bin/sh" is not a clean absolute path`},
		{"command NUL in an argument", func(c *Config) { c.Notify.Command = []string{"/bin/echo", "a", "b\x00c"} }, "notify.command", "argument 2 contains a NUL byte"},
		{"timeout 1s", func(c *Config) { c.Notify.Timeout = time.Second }, "", ""},
		{"timeout 120s", func(c *Config) { c.Notify.Timeout = 120 * time.Second }, "", ""},
		{"timeout 999ms", func(c *Config) { c.Notify.Timeout = 999 * time.Millisecond }, "notify.timeout", "999ms is outside 1s..2m0s"},
		{"timeout 121s", func(c *Config) { c.Notify.Timeout = 121 * time.Second }, "notify.timeout", "2m1s is outside 1s..2m0s"},

		{"memory_cap_mib 19", func(c *Config) { c.KDF.MemoryCapMiB = 19 }, "", ""},
		{"memory_cap_mib 1024", func(c *Config) { c.KDF.MemoryCapMiB = 1024 }, "", ""},
		{"memory_cap_mib 18", func(c *Config) { c.KDF.MemoryCapMiB = 18 }, "kdf.memory_cap_mib", "18 is outside 19..1024"},
		{"memory_cap_mib 1025", func(c *Config) { c.KDF.MemoryCapMiB = 1025 }, "kdf.memory_cap_mib", "1025 is outside 19..1024"},
		{"target_time 100ms", func(c *Config) { c.KDF.TargetTime = 100 * time.Millisecond }, "", ""},
		{"target_time 5s", func(c *Config) { c.KDF.TargetTime = 5 * time.Second }, "", ""},
		{"target_time 99ms", func(c *Config) { c.KDF.TargetTime = 99 * time.Millisecond }, "kdf.target_time", "99ms is outside 100ms..5s"},
		{"web listen off", func(c *Config) { c.Web.Listen = "" }, "", ""},
		{"web listen one address", func(c *Config) { c.Web.Listen = "192.0.2.10:443" }, "", ""},
		{"web listen IPv6", func(c *Config) { c.Web.Listen = "[::1]:8443" }, "", ""},
		{"web listen socket", func(c *Config) { c.Web.Listen = "unix:/run/nvr-menu/web.sock" }, "", ""},
		{"web listen name", func(c *Config) { c.Web.Listen = "localhost:8443" }, "web.listen", `"localhost:8443": the host must be empty or an IP address (IPv6 in brackets), not a name`},
		{"web listen no port", func(c *Config) { c.Web.Listen = "8443" }, "web.listen", `"8443": want "host:port" (like ":8443" or "192.0.2.10:8443"), "unix:/path" or ""`},
		{"web listen port 0", func(c *Config) { c.Web.Listen = ":0" }, "web.listen", `":0": port "0" is not 1 to 65535`},
		{"web listen port 65536", func(c *Config) { c.Web.Listen = ":65536" }, "web.listen", `":65536": port "65536" is not 1 to 65535`},
		{"web listen port +1", func(c *Config) { c.Web.Listen = ":+1" }, "web.listen", `":+1": port "+1" is not 1 to 65535`},
		{"web listen IPv6 zone", func(c *Config) { c.Web.Listen = "[fe80::1%eth0]:8443" }, "web.listen", `"[fe80::1%eth0]:8443": "fe80::1%eth0" is not an IPv6 address`},
		{"web listen relative socket", func(c *Config) { c.Web.Listen = "unix:web.sock" }, "web.listen", `"unix:web.sock": want "unix:" and a clean absolute path, like "unix:/run/nvr-menu/web.sock"`},
		{"web hosts", func(c *Config) { c.Web.Hosts = []string{"nvr-ingresso.lan", "192.0.2.7", "2001:db8::7"} }, "", ""},
		{"web hosts upper case", func(c *Config) { c.Web.Hosts = []string{"NVR.lan"} }, "web.hosts", `entry 1, "NVR.lan", is not a lower-case host name or an IP address (no port, no wildcard)`},
		{"web hosts port", func(c *Config) { c.Web.Hosts = []string{"nvr.lan", "nvr.lan:8443"} }, "web.hosts", `entry 2, "nvr.lan:8443", is not a lower-case host name or an IP address (no port, no wildcard)`},
		{"web hosts wildcard", func(c *Config) { c.Web.Hosts = []string{"*.lan"} }, "web.hosts", `entry 1, "*.lan", is not a lower-case host name or an IP address (no port, no wildcard)`},
		{"web hosts empty", func(c *Config) { c.Web.Hosts = []string{""} }, "web.hosts", `entry 1, "", is not a lower-case host name or an IP address (no port, no wildcard)`},
		{"web cert and key", func(c *Config) { c.Web.CertFile, c.Web.KeyFile = "/etc/nvr-menu/web.pem", "/etc/nvr-menu/web.key" }, "", ""},
		{"web cert relative", func(c *Config) { c.Web.CertFile, c.Web.KeyFile = "web.pem", "/etc/nvr-menu/web.key" }, "web.cert_file", `"web.pem" is not an absolute path`},
		{"web cert without key", func(c *Config) { c.Web.CertFile = "/etc/nvr-menu/web.pem" }, "web.key_file", "set web.cert_file and web.key_file together, or neither (a self-signed certificate)"},
		{"web client header", func(c *Config) { c.Web.ClientHeader = "X-Real-IP" }, "", ""},
		{"web client header space", func(c *Config) { c.Web.ClientHeader = "X Real IP" }, "web.client_header", `"X Real IP" is not an HTTP header name, like "X-Forwarded-For"`},
		{"web client header empty", func(c *Config) { c.Web.ClientHeader = "" }, "web.client_header", `"" is not an HTTP header name, like "X-Forwarded-For"`},
		{"web activation window off", func(c *Config) { c.Web.ActivationWindow = 0 }, "", ""},
		{"web activation window a day", func(c *Config) { c.Web.ActivationWindow = 24 * time.Hour }, "", ""},
		{"web activation window too short", func(c *Config) { c.Web.ActivationWindow = 30 * time.Second }, "web.activation_window", "30s is neither 0s (no limit) nor within 1m0s..24h0m0s"},
		{"web activation window too long", func(c *Config) { c.Web.ActivationWindow = 25 * time.Hour }, "web.activation_window", "25h0m0s is neither 0s (no limit) nor within 1m0s..24h0m0s"},
		{"web front user name", func(c *Config) { c.Web.FrontUser = "www-data" }, "", ""},
		{"web front user id", func(c *Config) { c.Web.FrontUser = "33" }, "", ""},
		{"web front user root", func(c *Config) { c.Web.FrontUser = "0" }, "", ""},
		{"web front user with a space", func(c *Config) { c.Web.FrontUser = "www data" }, "web.front_user", `"www data" is not a user name (like "www-data") or a numeric user id`},
		{"web front user upper case", func(c *Config) { c.Web.FrontUser = "WWW" }, "web.front_user", `"WWW" is not a user name (like "www-data") or a numeric user id`},
		{"web front user id too large", func(c *Config) { c.Web.FrontUser = "4294967295" }, "web.front_user", `"4294967295" is not a user name (like "www-data") or a numeric user id`},
		{"web max_conns 3", func(c *Config) { c.Web.MaxConns = 3 }, "web.max_conns", "3 is outside 4..1024"},
		{"web max_conns 1025", func(c *Config) { c.Web.MaxConns = 1025 }, "web.max_conns", "1025 is outside 4..1024"},
		{"target_time 5.001s", func(c *Config) { c.KDF.TargetTime = 5001 * time.Millisecond }, "kdf.target_time", "5.001s is outside 100ms..5s"},

		{"sadp interfaces named", func(c *Config) { c.SADP.Interfaces = []string{"eth0", "br-lan", "enp3s0.100"} }, "", ""},
		{"sadp interface 15 characters", func(c *Config) { c.SADP.Interfaces = []string{strings.Repeat("e", 15)} }, "", ""},
		{"sadp interface empty", func(c *Config) { c.SADP.Interfaces = []string{""} }, "sadp.interfaces", wantInterface("")},
		{"sadp interface 16 characters", func(c *Config) { c.SADP.Interfaces = []string{strings.Repeat("e", 16)} }, "sadp.interfaces", wantInterface(strings.Repeat("e", 16))},
		{"sadp interface with a slash", func(c *Config) { c.SADP.Interfaces = []string{"eth0", "../x"} }, "sadp.interfaces", wantInterface("../x")},
		{"sadp interface alias", func(c *Config) { c.SADP.Interfaces = []string{"eth0:1"} }, "sadp.interfaces", wantInterface("eth0:1")},
		{"sadp interface with a space", func(c *Config) { c.SADP.Interfaces = []string{"eth 0"} }, "sadp.interfaces", wantInterface("eth 0")},
		{"sadp interface dot", func(c *Config) { c.SADP.Interfaces = []string{".."} }, "sadp.interfaces", wantInterface("..")},
		{"sadp interface twice", func(c *Config) { c.SADP.Interfaces = []string{"eth0", "eth0"} }, "sadp.interfaces", `"eth0" is named twice`},

		{"the first bad key in file order", func(c *Config) { c.KDF.MemoryCapMiB, c.Language = 0, "de" }, "language", `"de" is not one of it, en`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.change(&c)
			err := c.Validate()
			if tc.wantKey == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			var keyErr *KeyError
			if !errors.As(err, &keyErr) {
				t.Fatalf("got %v, want a *KeyError for %s", err, tc.wantKey)
			}
			if keyErr.Key != tc.wantKey || keyErr.Problem != tc.want || keyErr.Line != 0 {
				t.Errorf("got key %q, line %d, problem %q; want key %q, line 0, problem %q", keyErr.Key, keyErr.Line, keyErr.Problem, tc.wantKey, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want an error that wraps ErrInvalid", err)
			}
			if got, want := err.Error(), "key "+tc.wantKey+": "+tc.want; got != want {
				t.Errorf("got message %q, want %q", got, want)
			}
		})
	}
}

func wantModel(model string) string {
	return strconv.Quote(model) + ` is not 1 to 48 printable ASCII characters (none of < > & " ' \, no space at either end, not starting with = + - @)`
}

func wantInterface(name string) string {
	return strconv.Quote(name) + ` is not an interface name (1 to 15 characters, no '/', ':' or space)`
}

const wantVendorKey = `want "nvrvk1:" and the 43 base64url characters of a 32-byte key, as recovery-issuer keygen prints it`

func wantMailbox(address, why string) string {
	return `"` + address + `" is not a bare email address in printable ASCII, like "pw_recovery@example.com" (` + why + `)`
}

func TestValidationErrorsPassThroughParse(t *testing.T) {
	// Parse validates what it decoded: one case per key, written as TOML.
	for _, tc := range []struct {
		toml    string
		wantKey string
	}{
		{`state_dir = "relative"`, "state_dir"},
		{"[device]\nserial = \"nvr\"", "device.serial"},
		{"[password]\nmax_length = 100", "password.max_length"},
		{"[recovery]\nvendor_public_key = \"nvrvk1:short\"", "recovery.vendor_public_key"},
		{"[recovery]\nrecovery_address = \"nobody\"", "recovery.recovery_address"},
		{"[recovery]\ncode_ttl = \"0s\"", "recovery.code_ttl"},
		{"[usb]\nmedia_root = \"\"", "usb.media_root"},
		{"[console]\ntty = \"tty1\"", "console.tty"},
		{"[console]\nmouse = \"mice\"", "console.mouse"},
		{"[console]\nqr_blocks = \"\"", "console.qr_blocks"},
		{"[console]\nfont = \"huge\"", "console.font"},
		{"[console]\nkeymap = \"fr\"", "console.keymap"},
		{"[log]\nfile = \"log\"", "log.file"},
		{"[log]\nlevel = \"trace\"", "log.level"},
		{"[notify]\ncommand = [\"sh\"]", "notify.command"},
		{"[notify]\ntimeout = \"-1s\"", "notify.timeout"},
		{"[kdf]\nmemory_cap_mib = 2048", "kdf.memory_cap_mib"},
		{"[kdf]\ntarget_time = \"10s\"", "kdf.target_time"},
		{"[device]\nmodel = \"\"", "device.model"},
		{"[sadp]\ninterfaces = [\"a/b\"]", "sadp.interfaces"},
		{"[sadp]\ninterfaces = \"eth0\"", "sadp.interfaces"},
		{"[sadp]\nenabled = \"yes\"", "sadp.enabled"},
		{"[web]\nlisten = \"8443\"", "web.listen"},
		{"[web]\nhosts = [\"A\"]", "web.hosts"},
		{"[web]\ncert_file = \"c\"\nkey_file = \"/k\"", "web.cert_file"},
		{"[web]\nkey_file = \"/k\"", "web.key_file"},
		{"[web]\nclient_header = \"a b\"", "web.client_header"},
		{"[web]\nmax_conns = 1", "web.max_conns"},
	} {
		t.Run(tc.wantKey, func(t *testing.T) {
			_, err := Parse([]byte(tc.toml))
			var keyErr *KeyError
			if !errors.As(err, &keyErr) || keyErr.Key != tc.wantKey {
				t.Errorf("Parse(%q): got %v, want a *KeyError for %s", tc.toml, err, tc.wantKey)
			}
		})
	}
}
