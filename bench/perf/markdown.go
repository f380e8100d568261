package perf

import (
	"fmt"
	"strings"
)

// The markers around the harness's own section of BENCHMARKS.md.
const (
	BeginMarker = "<!-- perf:begin -->"
	EndMarker   = "<!-- perf:end -->"
)

// ReplaceSection puts section between the markers in doc, replacing what
// was there; a doc without the markers gets them, with section, appended.
// Everything outside the markers is kept byte for byte.
func ReplaceSection(doc, section string) (string, error) {
	block := BeginMarker + "\n" + strings.TrimRight(section, "\n") + "\n" + EndMarker
	b := strings.Index(doc, BeginMarker)
	e := strings.Index(doc, EndMarker)
	switch {
	case b < 0 && e < 0:
		if doc != "" && !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		if doc != "" {
			doc += "\n"
		}
		return doc + block + "\n", nil
	case b < 0 || e < 0 || e < b:
		return "", fmt.Errorf("markers %s and %s out of order or one missing", BeginMarker, EndMarker)
	case strings.Count(doc, BeginMarker) > 1 || strings.Count(doc, EndMarker) > 1:
		return "", fmt.Errorf("more than one %s section", BeginMarker)
	}
	return doc[:b] + block + doc[e+len(EndMarker):], nil
}

// Table writes a Markdown table; cells have their '|' escaped.
func Table(header []string, rows [][]string) string {
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + strings.ReplaceAll(c, "|", `\|`) + " |")
		}
		b.WriteString("\n")
	}
	row(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	row(sep)
	for _, r := range rows {
		row(r)
	}
	return b.String()
}
