package main

import (
	"encoding/base64"
	"io"
)

// lineWriter breaks base64 into 76-character lines.
type lineWriter struct {
	w io.Writer
	n int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	for i, c := range p {
		if l.n == 76 {
			l.w.Write([]byte("\r\n"))
			l.n = 0
		}
		l.w.Write(p[i : i+1])
		l.n++
		_ = c
	}
	return len(p), nil
}

func newB64Writer(w io.Writer) io.WriteCloser {
	return base64.NewEncoder(base64.StdEncoding, &lineWriter{w: w})
}
