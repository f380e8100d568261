package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"nvrmenu/config"
)

// openLog makes the daemon's logger: one line per event, to the configured
// file or else to stderr — never onto the screen the menu draws.
func openLog(c config.Log, stderr io.Writer) (*slog.Logger, func(), error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		return nil, nil, fmt.Errorf("log.level %q: %w", c.Level, err)
	}
	w, closeFn := stderr, func() {}
	if c.File != "" {
		f, err := os.OpenFile(c.File, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("log.file: %w", err)
		}
		w, closeFn = f, func() { f.Close() }
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), closeFn, nil
}
