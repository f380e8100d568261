package notify

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"nvrmenu/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets this test binary be a command's reaper, as nvr-menud is.
// With NVRMENU_TEST_NO_SUBREAPER=1 it is a reaper on a kernel without
// PR_SET_CHILD_SUBREAPER; with NVRMENU_TEST_PROBE_SUBREAPER=1 it only says
// whether the call works here (exit 0) or not (exit 3).
func TestMain(m *testing.M) {
	if os.Getenv("NVRMENU_TEST_PROBE_SUBREAPER") == "1" {
		if setSubreaper() != nil {
			os.Exit(3)
		}
		os.Exit(0)
	}
	if IsReaper() {
		if mark := os.Getenv("NVRMENU_TEST_NO_SUBREAPER"); mark != "" {
			setSubreaper = func() error {
				os.WriteFile(mark, []byte("refused\n"), 0o600)
				return syscall.EINVAL
			}
		}
		if os.Getenv("NVRMENU_TEST_SLOW_REAPER") != "" {
			reaperForked = func() { time.Sleep(3 * time.Second) }
		}
		os.Exit(ReaperMain())
	}
	os.Exit(m.Run())
}

// reaperWith is a reaper that is this test binary with an environment
// variable set to value (Notify gives the reaper an environment of its
// own, so a wrapper script sets it).
func reaperWith(t *testing.T, variable, value string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reaper.sh")
	script := "#!/bin/sh\nexport " + variable + "=" + shellQuote(value) + "\nexec " + shellQuote(os.Args[0]) + " \"$@\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// needSubreaper is for a test of what only a child subreaper can do.
// qemu-user does not pass PR_SET_CHILD_SUBREAPER on to the kernel, so
// under it (the arm64 and armv7 runs of the suite) such a test is skipped,
// the native run having checked it; anywhere else the call's absence
// fails the test.
func needSubreaper(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NVRMENU_TEST_PROBE_SUBREAPER=1")
	err := cmd.Run()
	switch {
	case err == nil:
	case testenv.Emulated():
		t.Skip("qemu-user does not implement PR_SET_CHILD_SUBREAPER: the native run of the suite checks this")
	default:
		t.Fatalf("PR_SET_CHILD_SUBREAPER does not work here (%v): a recorder's kernel has had it since 3.4", err)
	}
}

// eachReaper runs f without a reaper (the command's process group only)
// and with this test binary as the reaper: what a command sees and how
// its failures read are the same either way.
func eachReaper(t *testing.T, f func(t *testing.T, reaper string)) {
	for _, r := range []struct{ name, path string }{{"group", ""}, {"reaper", os.Args[0]}} {
		t.Run(r.name, func(t *testing.T) { f(t, r.path) })
	}
}

// notifyTestScript writes a /bin/sh script with body and returns its path.
// testEvent is the event the tests notify.
const testEvent = "password-changed"

func notifyTestScript(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// notifyTestGone waits until the process pid has exited: no longer in
// /proc, or a zombie waiting to be reaped. The deadline only keeps a broken
// kill from hanging the test; nothing is measured.
func notifyTestGone(t *testing.T, what string, pid int) {
	t.Helper()
	stat := "/proc/" + strconv.Itoa(pid) + "/stat"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		data, err := os.ReadFile(stat)
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		// The state follows the command name in parentheses.
		if i := strings.LastIndexByte(string(data), ')'); err == nil && i >= 0 && i+2 < len(data) && (data[i+2] == 'Z' || data[i+2] == 'X') {
			return
		}
	}
	t.Fatalf("%s (pid %d): still running, want it killed", what, pid)
}

// notifyTestPID reads a pid the script wrote.
func notifyTestPID(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the pid the script wrote: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("pid file %q: %v", data, err)
	}
	return pid
}

func TestCommandNotifierRunsTheCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "seen")
	script := notifyTestScript(t, `printf '%s|%s|%s|%s' "$NVRMENU_EVENT" "$#" "$1" "$2" > `+out)
	n := Command{Argv: []string{script, "two words", "$HOME;rm"}}
	if err := n.Notify(context.Background(), testEvent); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := testEvent + "|2|two words|$HOME;rm"; string(got) != want {
		t.Fatalf("got %q, want %q: arguments passed as they are, without a shell", got, want)
	}
}

func TestCommandNotifierWithoutCommand(t *testing.T) {
	if err := (Command{}).Notify(context.Background(), testEvent); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
}

func TestCommandNotifierTimeoutDefault(t *testing.T) {
	for _, tc := range []struct {
		timeout, want time.Duration
	}{
		{0, 10 * time.Second},
		{-time.Second, 10 * time.Second},
		{3 * time.Second, 3 * time.Second},
	} {
		t.Run(tc.timeout.String(), func(t *testing.T) {
			if got := (Command{Timeout: tc.timeout}).timeout(); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCommandNotifierFailures(t *testing.T) {
	notExecutable := filepath.Join(t.TempDir(), "reload.sh")
	if err := os.WriteFile(notExecutable, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		argv     func(t *testing.T) []string
		contains []string
		xs       int // if set, how many 'x' of the output the error shows
	}{
		{
			name:     "exit status",
			argv:     func(t *testing.T) []string { return []string{notifyTestScript(t, "echo reload failed >&2; exit 3")} },
			contains: []string{"notify.sh: exit status 3", `output "reload failed\n"`},
		},
		{
			name:     "signal",
			argv:     func(t *testing.T) []string { return []string{notifyTestScript(t, "kill -9 $$")} },
			contains: []string{"notify.sh: signal: killed"},
		},
		{
			name: "output capped",
			argv: func(t *testing.T) []string {
				return []string{notifyTestScript(t, "i=0; while [ $i -lt 100 ]; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done; exit 1")}
			},
			contains: []string{"exit status 1", "(truncated)"},
			xs:       200 - 200/101, // 200 bytes, one newline every 101
		},
		{
			name:     "missing program",
			argv:     func(*testing.T) []string { return []string{"/nonexistent/reload"} },
			contains: []string{"notify command /nonexistent/reload:", "no such file"},
		},
		{
			name:     "not executable",
			argv:     func(*testing.T) []string { return []string{notExecutable} },
			contains: []string{"notify command " + notExecutable + ":", "permission denied"},
		},
		{
			name:     "relative path",
			argv:     func(*testing.T) []string { return []string{"reload.sh"} },
			contains: []string{`notify command "reload.sh": not an absolute path`},
		},
	} {
		eachReaper(t, func(t *testing.T, reaper string) {
			t.Run(tc.name, func(t *testing.T) { failureCase(t, Command{Argv: tc.argv(t), Reaper: reaper}, tc.contains, tc.xs) })
		})
	}
}

// failureCase runs n and checks its error holds contains (and, when xs is
// set, that many 'x' of the output).
func failureCase(t *testing.T, n Command, contains []string, xs int) {
	t.Helper()
	err := n.Notify(context.Background(), testEvent)
	if err == nil {
		t.Fatal("got nil, want an error")
	}
	for _, want := range contains {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to contain %q", err, want)
		}
	}
	if xs > 0 {
		_, output, _ := strings.Cut(err.Error(), `output "`)
		if got := strings.Count(output, "x"); got != xs {
			t.Errorf("got %d bytes of output in %q, want %d", got, err, xs)
		}
	}
	if errors.Is(err, ErrTimeout) {
		t.Errorf("got %v, want no timeout", err)
	}
}

func TestCommandNotifierTimeoutKillsTheGroup(t *testing.T) {
	eachReaper(t, timeoutKillsTheGroup)
}

func timeoutKillsTheGroup(t *testing.T, reaper string) {
	dir := t.TempDir()
	leader, grandchild := filepath.Join(dir, "leader"), filepath.Join(dir, "grandchild")
	script := notifyTestScript(t, "echo $$ > "+leader+"; sleep 100 & echo $! > "+grandchild+"; wait")
	err := Command{Argv: []string{script}, Timeout: 300 * time.Millisecond, Reaper: reaper}.Notify(context.Background(), testEvent)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want an error wrapping ErrTimeout and context.DeadlineExceeded", err)
	}
	if !strings.Contains(err.Error(), "notify.sh: timed out") {
		t.Errorf("got %q, want it to name the command and the timeout", err)
	}
	notifyTestGone(t, "command", notifyTestPID(t, leader))
	notifyTestGone(t, "its background child", notifyTestPID(t, grandchild))
}

func TestCommandNotifierKillsWhatTheCommandLeftBehind(t *testing.T) {
	eachReaper(t, killsWhatTheCommandLeftBehind)
}

func killsWhatTheCommandLeftBehind(t *testing.T, reaper string) {
	grandchild := filepath.Join(t.TempDir(), "grandchild")
	script := notifyTestScript(t, "sleep 100 & echo $! > "+grandchild+"; exit 0")
	if err := (Command{Argv: []string{script}, Reaper: reaper}).Notify(context.Background(), testEvent); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	notifyTestGone(t, "background child", notifyTestPID(t, grandchild))
}

// TestReaperWithoutSubreaper: a reaper on a kernel without
// PR_SET_CHILD_SUBREAPER (before 3.4, or qemu-user) still runs the
// command, hands back its output and status, and at the timeout kills the
// command and what it started in its group: it used to refuse every
// command there ("notify reaper: invalid argument", status 127).
func TestReaperWithoutSubreaper(t *testing.T) {
	// The reaper's refused prctl leaves this mark.
	mark := filepath.Join(t.TempDir(), "refused")
	reaper := reaperWith(t, "NVRMENU_TEST_NO_SUBREAPER", mark)
	if err := (Command{Argv: []string{notifyTestScript(t, "exit 0")}, Reaper: reaper}).Notify(context.Background(), testEvent); err != nil {
		t.Fatalf("a command that succeeds: got %v, want nil", err)
	}
	if _, err := os.Stat(mark); err != nil {
		t.Fatalf("the reaper did not go without the subreaper: %v", err)
	}
	failureCase(t, Command{Argv: []string{notifyTestScript(t, "echo reload failed; exit 3")}, Reaper: reaper}, []string{"notify.sh: exit status 3", "output \"reload failed\\n\""}, 0)
	child := filepath.Join(t.TempDir(), "child")
	script := notifyTestScript(t, "sleep 100 & echo $! > "+child+"; sleep 100")
	err := Command{Argv: []string{script}, Timeout: 500 * time.Millisecond, Reaper: reaper}.Notify(context.Background(), testEvent)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("a command that hangs: got %v, want a timeout", err)
	}
	notifyTestGone(t, "the command's background child", notifyTestPID(t, child))
}

// TestReaperStoppedBeforeItListens: a timeout whose SIGTERM reaches the
// reaper after it started the command but before it catches the signal
// kills the reaper outright; the command dies with it (Pdeathsig) instead
// of running on with no limit in a group of its own.
func TestReaperStoppedBeforeItListens(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a slowed reaper: run without -short")
	}
	pid := filepath.Join(t.TempDir(), "pid")
	script := notifyTestScript(t, "echo $$ > "+pid+"; exec sleep 100")
	err := Command{Argv: []string{script}, Timeout: time.Second, Reaper: reaperWith(t, "NVRMENU_TEST_SLOW_REAPER", "1")}.Notify(context.Background(), testEvent)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want a timeout", err)
	}
	notifyTestGone(t, "the command", notifyTestPID(t, pid))
}

func TestCommandNotifierCancelled(t *testing.T) {
	ran := filepath.Join(t.TempDir(), "ran")
	script := notifyTestScript(t, "touch "+ran)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Command{Argv: []string{script}}.Notify(ctx, testEvent)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want an error wrapping context.Canceled and no timeout", err)
	}
	if _, err := os.Stat(ran); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got the command run (%v), want it not started", err)
	}
}

// notifyProbeEvent makes TestCommandNotifierProbe report what the command
// sees; any other event makes it skip.
const notifyProbeEvent = "notify-probe"

// notifyProbeReport is what the probe saw.
type notifyProbeReport struct {
	Env        []string
	Dir        string
	Stdin      string
	OtherFiles []string // what descriptors above 2 point to
}

// TestCommandNotifierEnvironment runs this test binary as the command, so
// that what it sees is not blurred by a shell (dash, for one, exports PWD).
func TestCommandNotifierEnvironment(t *testing.T) { eachReaper(t, commandEnvironment) }

func commandEnvironment(t *testing.T, reaper string) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.json")
	// Files the daemon holds open must not reach the command.
	held, err := os.Create(filepath.Join(t.TempDir(), "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// An append-only log, as the audit log is opened.
	audit, err := os.OpenFile(filepath.Join(t.TempDir(), "audit.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Close()
	auditPath := audit.Name()
	t.Setenv("NVRMENU_SECRET_TEST", "must-not-leak")

	n := Command{Argv: []string{exe, "-test.run=^TestCommandNotifierProbe$", "--", out}, Reaper: reaper}
	if err := n.Notify(context.Background(), notifyProbeEvent); err != nil {
		testenv.SkipIfForeign(t, err)
		t.Fatalf("got %v, want nil", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the probe wrote no report: %v", err)
	}
	var got notifyProbeReport
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got.Env)
	if want := []string{"NVRMENU_EVENT=" + notifyProbeEvent, "PATH=/usr/sbin:/usr/bin:/sbin:/bin"}; !slices.Equal(got.Env, want) {
		t.Errorf("got environment %q, want exactly %q", got.Env, want)
	}
	if got.Dir != "/" {
		t.Errorf("got working directory %q, want /", got.Dir)
	}
	if got.Stdin != "/dev/null" {
		t.Errorf("got stdin %q, want /dev/null", got.Stdin)
	}
	// The probe's runtime opens files of its own, and descriptors this test
	// process inherited without close-on-exec pass through; the files the
	// daemon opened must not.
	for _, f := range got.OtherFiles {
		if f == held.Name() || f == auditPath {
			t.Errorf("got %q open in the command, want none of the daemon's files", f)
		}
	}
}

// TestCommandNotifierProbe is the command of TestCommandNotifierEnvironment.
func TestCommandNotifierProbe(t *testing.T) {
	if os.Getenv("NVRMENU_EVENT") != notifyProbeEvent {
		t.Skip("runs only as the command of TestCommandNotifierEnvironment")
	}
	var r notifyProbeReport
	r.Env = os.Environ()
	r.Dir, _ = os.Getwd()
	r.Stdin, _ = os.Readlink("/proc/self/fd/0")
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		if n, err := strconv.Atoi(fd.Name()); err == nil && n > 2 {
			link, _ := os.Readlink("/proc/self/fd/" + fd.Name())
			r.OtherFiles = append(r.OtherFiles, link)
		}
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(flag.Arg(0), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestReaperKillsEverythingAtTheTimeout: a command that hangs after
// starting processes that left its group — a child in a session of its
// own (setsid), an orphan of a subshell that exited (a double fork), a
// new session with a child of its own — has every one of them killed at
// the timeout: under the reaper nothing the command started survives it.
func TestReaperKillsEverythingAtTheTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts process trees: run without -short")
	}
	needSubreaper(t)
	dir := t.TempDir()
	pids := map[string]string{}
	for _, name := range []string{"leader", "setsid-child", "orphan", "session", "session-child"} {
		pids[name] = filepath.Join(dir, name)
	}
	script := notifyTestScript(t, "echo $$ > "+pids["leader"]+"\n"+
		"setsid sleep 100 & echo $! > "+pids["setsid-child"]+"\n"+
		"( setsid sleep 100 & echo $! > "+pids["orphan"]+" )\n"+
		"setsid sh -c 'echo $$ > "+pids["session"]+"; sleep 100 & echo $! > "+pids["session-child"]+"; wait' &\n"+
		"while [ ! -s "+pids["session-child"]+" ]; do sleep 0.01; done\n"+
		"sleep 100")
	err := Command{Argv: []string{script}, Timeout: time.Second, Reaper: os.Args[0]}.Notify(context.Background(), testEvent)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want a timeout", err)
	}
	for _, name := range []string{"leader", "setsid-child", "orphan", "session", "session-child"} {
		notifyTestGone(t, name, notifyTestPID(t, pids[name]))
	}
}
