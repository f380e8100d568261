package main

import (
	"os"
	"os/exec"
	"path/filepath"

	"nvrmenu/bench/perf"
)

// program is one thing the harness starts on a pty: the daemon or one of
// the two Debian dialog programs it is compared with.
type program struct {
	name string
	// argv for a run; dir is a fresh directory the run may use.
	argv func(dir string) []string
	// ready holds once the program's first usable frame is on screen.
	ready func(string) bool
	// web is the daemon's web door (the demo's default address), "" for
	// the others.
	web string
}

// Texts of the daemon's Italian login screen (package texts): the
// title, the first field and the last button of the form.
var loginReady = perf.Contains("Accesso", "Nome utente", "Password Dimenticata")

// daemon is nvr-menud -demo on a copy of the prepared device (emu, if
// set, runs it under qemu-user). Its SADP responder runs, but named to the
// loopback, which it never answers on: the harness sends nothing onto the
// machine's LAN (and the daemons it runs at once share one SADP port: the
// first has it, the others log that they do not).
func daemon(name, bin string, emu []string, dev *perf.Device) program {
	return program{
		name: name,
		argv: func(dir string) []string {
			d := dev
			if dir != "" {
				c, err := dev.Copy(filepath.Join(dir, "demo"))
				if err == nil {
					d = c
				}
			}
			return append(append([]string(nil), emu...), bin, "-demo", d.Dir, "-sadp-interfaces", "lo")
		},
		ready: loginReady,
		web:   demoWeb,
	}
}

// demoWeb is where the demo's web door listens (cmd/nvr-menud's default).
const demoWeb = "127.0.0.1:8443"

// The comparable dialog: a password box, the smallest thing that asks for
// a password on a terminal. whiptail draws "<Ok>" and "<Cancel>", dialog
// "< OK >" and "<Cancel>"; the text line is drawn before the buttons.
// dialog runs with --insecure so that it echoes a '*' per key, as
// whiptail and the daemon do (the input latency counts them).
var passwordText = "Password amministratore"

func whiptail(name, bin string, emu []string) program {
	return program{
		name: name,
		argv: func(string) []string {
			return append(append([]string(nil), emu...), bin, "--title", "Accesso", "--passwordbox", passwordText, "10", "50")
		},
		ready: perf.Contains(passwordText, "<Ok>", "<Cancel>"),
	}
}

func dialog(name, bin string, emu []string) program {
	return program{
		name: name,
		argv: func(string) []string {
			return append(append([]string(nil), emu...), bin, "--insecure", "--title", "Accesso", "--passwordbox", passwordText, "10", "50")
		},
		ready: perf.Contains(passwordText, "OK", "<Cancel>"),
	}
}

// command makes the exec.Cmd of a run, with the same small environment
// for every program: an xterm with 256 colours and a UTF-8 locale.
func (p program) command(dir string) *exec.Cmd {
	argv := p.argv(dir)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
	}
	cmd.Dir = dir
	return cmd
}

// start runs the program on a pty in a fresh directory under work.
func (p program) start(work string) (*perf.Term, error) {
	dir, err := os.MkdirTemp(work, "run-")
	if err != nil {
		return nil, err
	}
	return perf.StartTerm(p.command(dir))
}
