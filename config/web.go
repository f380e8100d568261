package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// checkListen wants "", "unix:" and a clean absolute path, or "host:port"
// with an empty host (every address) or an IP address: a name would need
// DNS at start-up, which a recorder may not have.
func checkListen(key, listen string) error {
	if listen == "" {
		return nil
	}
	if path, ok := strings.CutPrefix(listen, "unix:"); ok {
		if err := absolutePath(key, path); err != nil {
			return invalid(key, "%s: want \"unix:\" and a clean absolute path, like \"unix:/run/nvr-menu/web.sock\"", shown(listen))
		}
		return nil
	}
	cut := strings.LastIndexByte(listen, ':')
	if cut < 0 {
		return invalid(key, "%s: want \"host:port\" (like \":8443\" or \"192.0.2.10:8443\"), \"unix:/path\" or \"\"", shown(listen))
	}
	host, port := listen[:cut], listen[cut+1:]
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
		return invalid(key, "%s: port %s is not 1 to 65535", shown(listen), shown(port))
	}
	if host == "" {
		return nil
	}
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
		if a, err := netip.ParseAddr(host); err != nil || !a.Is6() || a.Zone() != "" {
			return invalid(key, "%s: %s is not an IPv6 address", shown(listen), shown(host))
		}
		return nil
	}
	if a, err := netip.ParseAddr(host); err != nil || !a.Is4() {
		return invalid(key, "%s: the host must be empty or an IP address (IPv6 in brackets), not a name", shown(listen))
	}
	return nil
}

// checkHosts wants host names (letters, digits, '-' and '.', lower case,
// at most 253 characters) or IP addresses, without a port: the names the
// door answers to besides the device's own addresses.
func checkHosts(key string, hosts []string) error {
	for i, h := range hosts {
		if _, err := netip.ParseAddr(h); err == nil && !strings.Contains(h, "%") {
			continue
		}
		valid := len(h) >= 1 && len(h) <= 253 && !strings.HasPrefix(h, ".") && !strings.HasSuffix(h, ".") &&
			!strings.Contains(h, "..") && !strings.ContainsFunc(h, func(r rune) bool {
			return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '.'
		})
		if !valid {
			return invalid(key, "entry %d, %s, is not a lower-case host name or an IP address (no port, no wildcard)", i+1, shown(h))
		}
	}
	return nil
}

// bothOrNeither wants two settings given together or not at all.
func bothOrNeither(key, a, b string) error {
	if (a == "") != (b == "") {
		return invalid(key, "set web.cert_file and web.key_file together, or neither (a self-signed certificate)")
	}
	return nil
}

// checkHeaderName wants an HTTP header name (RFC 9110 token characters).
func checkHeaderName(key, name string) error {
	valid := len(name) >= 1 && len(name) <= 64 && !strings.ContainsFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
	})
	if !valid {
		return invalid(key, "%s is not an HTTP header name, like \"X-Forwarded-For\"", shown(name))
	}
	return nil
}

// checkUser wants "", a user name as useradd makes them (a lower-case
// letter or '_', then lower-case letters, digits, '_' and '-', at most 32)
// or a numeric user id.
func checkUser(key, user string) error {
	if user == "" {
		return nil
	}
	if n, err := strconv.ParseUint(user, 10, 32); err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == user {
		return nil
	}
	valid := len(user) <= 32 && (user[0] >= 'a' && user[0] <= 'z' || user[0] == '_') && !strings.ContainsFunc(user, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '-'
	})
	if !valid {
		return invalid(key, "%s is not a user name (like \"www-data\") or a numeric user id", shown(user))
	}
	return nil
}
