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
// used (stateDirProblem) and waits — the nearest directory above it that
// exists watched with inotify (ancestorWatch), no timer — until it can, or
// a SIGHUP finds a configuration whose directory can, or SIGTERM or SIGINT
// ends the wait. It returns the configuration to go on with, or nil when a
// signal came first. Exiting instead would leave init respawning the
// daemon for ever, the screen blank.
func (d *daemon) waitStateDir(cfg config.Config, load func() (config.Config, error), log *slog.Logger) (*config.Config, error) {
	problem, fix := stateDirProblem(cfg.StateDir)
	log.Error("state directory unusable: showing the fault screen and waiting for it", "problem", problem, "fix", fix)
	ended, stop, err := d.showFault(cfg, menu.Options{Fault: menu.FaultStateDir, FaultDetail: cfg.StateDir, FaultFix: fix}, log)
	if err != nil {
		return nil, err
	}
	defer stop()

	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching for the state directory: %w", err)
	}
	defer w.Close()
	aw := &ancestorWatch{w: w, log: log}
	there := aw.follow(cfg.StateDir)
	for !there {
		select {
		case <-w.Events:
			there = aw.follow(cfg.StateDir)
		case err := <-w.Errors:
			// Events lost (a full queue): look again.
			log.Warn("watching for the state directory", "err", err)
			there = aw.follow(cfg.StateDir)
		case sig := <-d.signals:
			if sig != syscall.SIGHUP {
				return nil, nil
			}
			if next, err := load(); err != nil {
				log.Error("configuration reload refused: keeping the running one", "err", err)
			} else {
				cfg = next
			}
			// A SIGHUP tries again in any case (storage mounted over an
			// empty mount point makes no inotify event).
			there = aw.follow(cfg.StateDir)
		case err := <-ended:
			return nil, fmt.Errorf("the fault screen: %w", err)
		}
	}
	log.Info("state directory there: starting", "dir", cfg.StateDir)
	return &cfg, nil
}

// ancestorWatch keeps one inotify watch on the nearest directory above the
// state directory that exists, and moves it down as `mkdir -p` makes each
// level: on a fresh root file system even /var/lib may be missing.
type ancestorWatch struct {
	w       *fsnotify.Watcher
	log     *slog.Logger
	watched string
}

// follow moves the watch to the nearest directory above dir that exists
// now — the new watch added before the old one goes, a level removed
// meanwhile looked for again higher up — and reports whether dir is a
// usable state directory now (it may have been made before a watch was in
// place to see it).
func (a *ancestorWatch) follow(dir string) bool {
	for range 64 { // bounded: a file system that keeps changing under it
		at := nearestExisting(filepath.Dir(dir))
		if at == a.watched {
			break
		}
		if err := a.w.Add(at); err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				continue
			}
			a.log.Warn("cannot watch for the state directory: send SIGHUP once it is there", "dir", dir, "watching", at, "err", err)
			break
		}
		if a.watched != "" {
			a.w.Remove(a.watched)
		}
		a.watched = at
	}
	p, _ := stateDirProblem(dir)
	return p == ""
}

// nearestExisting is dir, or the nearest directory above it that exists
// ("/" at the last).
func nearestExisting(dir string) string {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}
