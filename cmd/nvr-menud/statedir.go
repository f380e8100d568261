package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"nvrmenu/config"
	"nvrmenu/menu"
	"os"
	"path/filepath"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// stateDirProblem says what is wrong with the state directory for the
// daemon to start, and the one command that fixes it, or "" when it is a
// directory the daemon can use. A missing directory is never made here:
// it may be storage that failed to mount, and a fresh directory would make
// a recorder that was set up look new (the core refuses it for the same
// reason).
func stateDirProblem(dir string) (problem, fix string) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("the state directory %s does not exist (or the storage holding it is not mounted)", dir),
			fmt.Sprintf("mkdir -p -m 0700 %s", dir)
	case err != nil:
		return fmt.Sprintf("the state directory %s cannot be read: %v", dir, err),
			fmt.Sprintf("ls -ld %s", dir)
	case !fi.IsDir():
		return fmt.Sprintf("the state directory %s is not a directory", dir),
			fmt.Sprintf("mv %s %s.not-a-directory && mkdir -m 0700 %s", dir, dir, dir)
	}
	return "", ""
}

// waitStateDir shows the fault screen for a state directory that cannot be
// used (stateDirProblem) and waits — the directory's parent watched with
// inotify, no timer — until it can, or a SIGHUP finds a configuration
// whose directory can, or SIGTERM or SIGINT ends the wait. It returns the
// configuration to go on with, or nil when a signal came first. Exiting
// instead would leave init respawning the daemon for ever, the screen
// blank.
func (d *daemon) waitStateDir(cfg config.Config, load func() (config.Config, error), log *slog.Logger) (*config.Config, error) {
	problem, fix := stateDirProblem(cfg.StateDir)
	log.Error("state directory unusable: showing the fault screen and waiting for it", "problem", problem, "fix", fix)
	screen, err := d.newScreen(cfg.Console.TTY)
	if err != nil {
		return nil, fmt.Errorf("opening the terminal %q: %w", cfg.Console.TTY, err)
	}
	m, err := menu.New(menu.Options{Language: cfg.Language, Fault: menu.FaultStateDir, FaultDetail: cfg.StateDir, FaultFix: fix, Logger: log})
	if err != nil {
		return nil, err
	}
	ran := make(chan error, 1)
	go func() { ran <- m.Run(screen) }()
	defer func() { m.Stop(); <-ran }()

	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching for the state directory: %w", err)
	}
	defer w.Close()
	watch := func(dir string) {
		// A missing parent too (storage not mounted at all): then only a
		// SIGHUP tries again.
		if err := w.Add(filepath.Dir(dir)); err != nil {
			log.Warn("cannot watch for the state directory: send SIGHUP once it is there", "dir", dir, "err", err)
		}
	}
	watch(cfg.StateDir)
	for {
		select {
		case <-w.Events:
			if p, _ := stateDirProblem(cfg.StateDir); p == "" {
				log.Info("state directory there: starting", "dir", cfg.StateDir)
				return &cfg, nil
			}
		case err := <-w.Errors:
			log.Warn("watching for the state directory", "err", err)
		case sig := <-d.signals:
			if sig != syscall.SIGHUP {
				return nil, nil
			}
			next, err := load()
			if err != nil {
				log.Error("configuration reload refused: keeping the running one", "err", err)
				continue
			}
			if next.StateDir != cfg.StateDir {
				w.Remove(filepath.Dir(cfg.StateDir))
				watch(next.StateDir)
			}
			cfg = next
			if p, _ := stateDirProblem(cfg.StateDir); p == "" {
				log.Info("state directory there: starting", "dir", cfg.StateDir)
				return &cfg, nil
			}
		case err := <-ran:
			return nil, fmt.Errorf("the fault screen: %w", err)
		}
	}
}
