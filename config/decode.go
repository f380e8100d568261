package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// document is Config as the file spells it. The durations are decoded as
// text and parsed afterwards, so that a bad one is reported by its key
// (go-toml hands text unmarshalers a TOML number without saying where it
// came from). The outer fields shadow the embedded ones of the same name.
type document struct {
	Config
	Recovery struct {
		Recovery
		CodeTTL string `toml:"code_ttl"`
	} `toml:"recovery"`
	Notify struct {
		Notify
		Timeout string `toml:"timeout"`
	} `toml:"notify"`
	KDF struct {
		KDF
		TargetTime string `toml:"target_time"`
	} `toml:"kdf"`
	Web struct {
		Web
		ActivationWindow string `toml:"activation_window"`
	} `toml:"web"`
}

func newDocument(c Config) document {
	var d document
	d.Config = c
	d.Recovery.Recovery, d.Recovery.CodeTTL = c.Recovery, c.Recovery.CodeTTL.String()
	d.Notify.Notify, d.Notify.Timeout = c.Notify, c.Notify.Timeout.String()
	d.KDF.KDF, d.KDF.TargetTime = c.KDF, c.KDF.TargetTime.String()
	d.Web.Web, d.Web.ActivationWindow = c.Web, c.Web.ActivationWindow.String()
	return d
}

func (d document) config() (Config, error) {
	c := d.Config
	c.Recovery, c.Notify, c.KDF, c.Web = d.Recovery.Recovery, d.Notify.Notify, d.KDF.KDF, d.Web.Web
	var err error
	if c.Web.ActivationWindow, err = parseDuration("web.activation_window", d.Web.ActivationWindow); err != nil {
		return Config{}, err
	}
	if c.Recovery.CodeTTL, err = parseDuration("recovery.code_ttl", d.Recovery.CodeTTL); err != nil {
		return Config{}, err
	}
	if c.Notify.Timeout, err = parseDuration("notify.timeout", d.Notify.Timeout); err != nil {
		return Config{}, err
	}
	if c.KDF.TargetTime, err = parseDuration("kdf.target_time", d.KDF.TargetTime); err != nil {
		return Config{}, err
	}
	if len(c.Notify.Command) == 0 {
		c.Notify.Command = nil // "command = []" and no command at all are the same
	}
	if len(c.SADP.Interfaces) == 0 {
		c.SADP.Interfaces = nil
	}
	if len(c.Web.Hosts) == 0 {
		c.Web.Hosts = nil
	}
	return c, nil
}

func parseDuration(key, text string) (time.Duration, error) {
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, &KeyError{Key: key, Problem: fmt.Sprintf("%s is not a duration like \"10s\", \"90m\" or \"48h\"", shown(text))}
	}
	return d, nil
}

// maxUnknownForLines bounds the unknown keys for which go-toml's strict
// mode is asked for line numbers: it builds a context for each one by
// scanning the file from the start, which takes seconds for a 64 KiB file
// of unknown keys, and one line is all a message shows.
const maxUnknownForLines = 8

// parseOver decodes data strictly over base and validates the result.
func parseOver(base Config, data []byte) (Config, error) {
	// A first, fast pass over the generic tree finds bad TOML and every key
	// that is not ours in exactly our spelling (go-toml matches struct
	// fields regardless of case, and a file is stricter than that).
	var tree map[string]any
	if err := toml.Unmarshal(data, &tree); err != nil {
		return Config{}, decodeError(err)
	}
	unknown := unknownKeys(tree)
	if len(unknown) > maxUnknownForLines {
		return Config{}, unknownKeyError(unknown[0], 0)
	}
	doc := newDocument(base)
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&doc)
	var strict *toml.StrictMissingError
	switch {
	case errors.As(err, &strict) && len(strict.Errors) > 0:
		return Config{}, strictError(&strict.Errors[0], unknown)
	case err != nil:
		return Config{}, decodeError(err)
	case len(unknown) > 0:
		return Config{}, unknownKeyError(unknown[0], 0) // differs from ours only in case
	}
	c, err := doc.config()
	if err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// mismatch finds the TOML type in go-toml's type mismatch messages
// ("cannot decode TOML string into ...", "cannot store a table in a ...").
var mismatch = regexp.MustCompile(`^cannot (?:decode TOML (.+?) into |store an? (.+?) in )`)

// structField finds the Go field in go-toml's "... into struct field
// config.KDF.MemoryCapMiB of type int".
var structField = regexp.MustCompile(`^cannot decode TOML .+? into struct field .*\.(\w+) of type `)

// unknownKeyError reports a key that is not ours; line is 0 when unknown.
func unknownKeyError(key string, line int) *KeyError {
	return &KeyError{Key: key, Line: line, Problem: "not a known key" + suggestion(key)}
}

// strictError reports the first unknown key go-toml's strict mode found,
// with its line. Inside an inline table ("kdf = { threads = 4 }") go-toml
// gives only the inner part of the key, so the full one is taken from the
// keys the tree walk found.
func strictError(first *toml.DecodeError, unknown []string) *KeyError {
	key := strings.Join(first.Key(), ".")
	for _, full := range unknown {
		if full == key || strings.HasSuffix(full, "."+key) {
			key = full
			break
		}
	}
	line, _ := first.Position()
	if strings.HasSuffix(first.Error(), "missing table") {
		return &KeyError{Key: key, Line: line, Problem: "not a known section" + suggestion(key)}
	}
	return unknownKeyError(key, line)
}

// decodeError turns go-toml's other errors into ours: one line, with the
// key and the line when the decoder gives them, and the types named in
// TOML terms.
func decodeError(err error) error {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return &fileError{oneLine(strings.TrimPrefix(err.Error(), "toml: "))}
	}
	line, _ := de.Position()
	problem := oneLine(strings.TrimPrefix(de.Error(), "toml: "))
	key := strings.Join(de.Key(), ".")
	if key == "" {
		return &fileError{fmt.Sprintf("line %d: %s", line, problem)}
	}
	// A value inside an inline table ("kdf = { memory_cap_mib = 1 }") is
	// reported under the table's key; the message names the Go field.
	if section := schema()[key]; section != nil && section.Kind() == reflect.Struct {
		if m := structField.FindStringSubmatch(problem); m != nil {
			if f, ok := section.FieldByName(m[1]); ok {
				key += "." + f.Tag.Get("toml")
			}
		}
	}
	if m := mismatch.FindStringSubmatch(problem); m != nil {
		if want, ok := schema()[key]; ok {
			problem = fmt.Sprintf("want %s, found a TOML %s", describe(want), m[1]+m[2])
		}
	} else if strings.HasSuffix(problem, "is already defined") {
		problem = "defined twice"
	}
	return &KeyError{Key: key, Line: line, Problem: problem}
}

var durationType = reflect.TypeFor[time.Duration]()

// describe names what a key of type t takes, in the file's terms.
func describe(t reflect.Type) string {
	switch {
	case t == durationType:
		return `a duration in quotes, like "48h"`
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Int:
		return "an integer"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Slice:
		return "an array of strings"
	default:
		return "a section"
	}
}

// schema maps every key of the file, sections included ("usb",
// "usb.source"), to its Go type; it is read from Config's toml tags.
var schema = sync.OnceValue(func() map[string]reflect.Type {
	keys := make(map[string]reflect.Type)
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for f := range t.Fields() {
			key := prefix + f.Tag.Get("toml")
			keys[key] = f.Type
			if f.Type.Kind() == reflect.Struct {
				walk(key+".", f.Type)
			}
		}
	}
	walk("", reflect.TypeFor[Config]())
	return keys
})

// unknownKeys walks a decoded file and returns the keys that are not ours
// exactly, in sorted order, stopping past maxUnknownForLines of them.
func unknownKeys(tree map[string]any) []string {
	var unknown []string
	var walk func(prefix string, table map[string]any)
	walk = func(prefix string, table map[string]any) {
		for _, name := range slices.Sorted(maps.Keys(table)) {
			if len(unknown) > maxUnknownForLines {
				return
			}
			key := prefix + name
			typ, known := schema()[key]
			if !known {
				unknown = append(unknown, key)
				continue
			}
			if sub, isTable := table[name].(map[string]any); isTable && typ.Kind() == reflect.Struct {
				walk(key+".", sub)
			}
		}
	}
	walk("", tree)
	return unknown
}

// suggestion offers the key of the same section closest to an unknown one,
// if it is close enough to be a slip (a case or one or two letters), as
// " (did you mean usb.source?)".
func suggestion(unknown string) string {
	if len(unknown) > 4*maxShown {
		return "" // not a slip
	}
	cut := strings.LastIndexByte(unknown, '.') + 1
	section, name := strings.ToLower(unknown[:cut]), strings.ToLower(unknown[cut:])
	best, bestDistance := "", min(2, len(name)/3)+1
	for known := range schema() {
		knownName, inSection := strings.CutPrefix(known, section)
		if !inSection || strings.Contains(knownName, ".") {
			continue
		}
		d := editDistance(name, knownName)
		if d < bestDistance || (d == bestDistance && known < best) {
			best, bestDistance = known, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance between two short keys.
func editDistance(a, b string) int {
	previous := make([]int, len(b)+1)
	current := make([]int, len(b)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(a); i++ {
		current[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			current[j] = min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
		}
		previous, current = current, previous
	}
	return previous[len(b)]
}
