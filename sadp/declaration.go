package sadp

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// readDeclaration reads the XML declaration at the start of a message, as
// any XML writer spells it, and returns the message without it (and
// without a UTF-8 byte order mark) for encoding/xml, which then sees no
// declaration at all.
//
// It is liberal where writers differ: single or double quotes, white space
// around "=", a byte order mark or white space (a newline) before the
// declaration, any version 1.x, the standalone pseudo-attribute, and an
// encoding named in any case, UTF-8 or another that is ASCII-compatible.
// Under such another name every byte after the declaration must be ASCII,
// where all those encodings agree: a byte over 0x7F would mean something
// else in each of them, and is refused rather than misread. An encoding
// that is not a superset of ASCII (UTF-16, UTF-7, EBCDIC, …) or not known
// is refused: its bytes cannot be read as they are.
//
// A message without a declaration is UTF-8, as XML says. Anything that
// starts with "<?xml" and is not a well-formed declaration is refused.
func readDeclaration(b []byte) ([]byte, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(b, " \t\r\n")
	rest, ok := bytes.CutPrefix(t, []byte("<?xml"))
	if !ok || len(rest) > 0 && !isSpace(rest[0]) && rest[0] != '?' {
		// No declaration (or an instruction such as <?xml-stylesheet?>,
		// which the parser refuses).
		return b, nil
	}
	end := bytes.Index(rest, []byte("?>"))
	if end < 0 {
		return nil, errors.New("the XML declaration is not closed")
	}
	attrs, err := pseudoAttributes(string(rest[:end]))
	if err != nil {
		return nil, fmt.Errorf("XML declaration: %w", err)
	}
	rest = rest[end+2:]
	if v, ok := attrs["version"]; ok && !isVersion1(v) {
		return nil, fmt.Errorf("XML declaration: version %q, not 1.x", v)
	}
	if s, ok := attrs["standalone"]; ok && s != "yes" && s != "no" {
		return nil, fmt.Errorf("XML declaration: standalone %q, not yes or no", s)
	}
	enc, ok := attrs["encoding"]
	if !ok || isUTF8(enc) {
		return rest, nil // encoding/xml checks that it is UTF-8
	}
	if !asciiCompatible(enc) {
		return nil, fmt.Errorf("encoding %q: not UTF-8 nor a superset of ASCII", enc)
	}
	for i, c := range rest {
		if c >= 0x80 {
			return nil, fmt.Errorf("byte 0x%02x at %d after the declaration: only ASCII is read under encoding %q", c, i, enc)
		}
	}
	return rest, nil
}

// pseudoAttributes reads a declaration's name="value" pairs: names are
// version, encoding and standalone, each once, separated by white space;
// a value is quoted with ' or ".
func pseudoAttributes(s string) (map[string]string, error) {
	attrs := make(map[string]string, 3)
	for {
		trimmed := strings.TrimLeft(s, " \t\r\n")
		if trimmed == "" {
			return attrs, nil
		}
		if len(trimmed) == len(s) {
			return nil, fmt.Errorf("no white space before %q", cut(trimmed))
		}
		s = trimmed
		i := strings.IndexFunc(s, func(r rune) bool { return r < 'a' || r > 'z' })
		if i < 0 {
			i = len(s)
		}
		if i == 0 {
			return nil, fmt.Errorf("no name at %q", cut(s))
		}
		name := s[:i]
		if name != "version" && name != "encoding" && name != "standalone" {
			return nil, fmt.Errorf("unknown pseudo-attribute %q", name)
		}
		if _, dup := attrs[name]; dup {
			return nil, fmt.Errorf("%s twice", name)
		}
		s = strings.TrimLeft(s[i:], " \t\r\n")
		if !strings.HasPrefix(s, "=") {
			return nil, fmt.Errorf("no = after %s", name)
		}
		s = strings.TrimLeft(s[1:], " \t\r\n")
		if s == "" || s[0] != '"' && s[0] != '\'' {
			return nil, fmt.Errorf("%s is not quoted", name)
		}
		j := strings.IndexByte(s[1:], s[0])
		if j < 0 {
			return nil, fmt.Errorf("%s: no closing quote", name)
		}
		value := s[1 : 1+j]
		if name == "encoding" && !isEncName(value) {
			return nil, fmt.Errorf("encoding %q is not an encoding name", cut(value))
		}
		attrs[name] = value
		s = s[2+j:]
	}
}

// cut shortens s for an error message.
func cut(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isVersion1 reports whether v is "1." and 1 to 8 digits: XML 1.0 (fifth
// edition) reads any 1.x document as 1.0.
func isVersion1(v string) bool {
	digits, ok := strings.CutPrefix(v, "1.")
	return ok && isDigits(digits, 8)
}

// isDigits reports whether s is 1 to max ASCII digits.
func isDigits(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isEncName reports whether s is an XML EncName: a letter, then letters,
// digits, '.', '_' or '-'; at most 40 of them.
func isEncName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '.' || c == '_' || c == '-')) {
			return false
		}
	}
	return true
}

func isUTF8(enc string) bool {
	return strings.EqualFold(enc, "utf-8") || strings.EqualFold(enc, "utf8")
}

// asciiCompatible reports whether enc names an encoding in which every
// byte up to 0x7F is the ASCII character: ASCII itself, the ISO 8859
// parts, the Windows and DOS code pages writers name, KOI8, Mac Roman, and
// the East Asian multi-byte encodings whose bytes under 0x80 are always
// ASCII (EUC, GB, Big5, Shift_JIS as browsers decode it). Names are
// compared in any case. Not here, on purpose: UTF-7 and HZ, which spell
// other characters with ASCII bytes; UTF-16 and UTF-32, EBCDIC.
func asciiCompatible(enc string) bool {
	return asciiNames[strings.ToLower(enc)]
}

var asciiNames = func() map[string]bool {
	m := make(map[string]bool)
	for _, n := range []string{
		// ASCII (IANA's aliases)
		"us-ascii", "ascii", "us", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso646-us", "iso-ir-6", "cp367", "ibm367", "csascii",
		// Latin-1's other names
		"latin1", "l1", "cp819", "ibm819", "csisolatin1",
		// others
		"koi8-r", "koi8-u", "macintosh", "mac", "x-mac-roman", "tis-620", "cp437", "ibm437", "cp850", "ibm850",
		"cp866", "ibm866", "cp874", "windows-874",
		"gb2312", "gbk", "gb18030", "cp936", "big5", "big5-hkscs", "euc-jp", "euc-kr", "euc-cn", "cp949",
		"shift_jis", "shift-jis", "sjis", "cp932", "windows-31j", "ms_kanji",
	} {
		m[n] = true
	}
	for part := 1; part <= 16; part++ {
		if part == 12 { // there is no ISO 8859-12
			continue
		}
		for _, f := range []string{"iso-8859-%d", "iso8859-%d", "iso_8859-%d", "iso8859_%d"} {
			m[fmt.Sprintf(f, part)] = true
		}
	}
	for i := 1; i <= 10; i++ { // latin1 … latin10 (ISO 8859-1 … -16)
		m[fmt.Sprintf("latin%d", i)] = true
		m[fmt.Sprintf("l%d", i)] = true
	}
	for cp := 1250; cp <= 1258; cp++ {
		m[fmt.Sprintf("windows-%d", cp)] = true
		m[fmt.Sprintf("cp%d", cp)] = true
	}
	return m
}()
