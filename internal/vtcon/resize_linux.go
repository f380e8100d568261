package vtcon

import (
	"sync"

	"golang.org/x/sys/unix"
)

// The console's size changes when fbcon resizes it (another monitor, a new
// mode, another font, stty cols/rows): the kernel posts VT_EVENT_RESIZE
// (drivers/tty/vt/vt.c vc_do_resize, since Linux 2.6.32) and sends SIGWINCH
// only to the foreground process group of a controlling terminal, which the
// daemon, started by init with no terminal of its own, may not have. One
// goroutine for the whole process waits in VT_WAITEVENT (blocked in the
// kernel: no timer, no wake-up while nothing is resized) and calls the
// function registered for the console that was resized.
var resizeWatch struct {
	mu      sync.Mutex
	started bool
	subs    map[int]func()
}

// OnResize calls f, on a goroutine of its own, whenever the kernel resizes
// this console, until Restore. It does nothing on a terminal that is not a
// virtual console. The daemon raises SIGWINCH in f: tcell's terminal
// screens resize themselves on it.
func (c *Console) OnResize(f func()) error {
	if c.vt == 0 {
		return nil
	}
	w := &resizeWatch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.subs == nil {
		w.subs = make(map[int]func())
	}
	w.subs[c.vt] = f
	if w.started {
		return nil
	}
	// The watcher keeps a descriptor of its own: it outlives this Console
	// (a reload sets the console up again) and blocks in the kernel until
	// the next resize of any console.
	fd, err := unix.Dup(int(c.f.Fd()))
	if err != nil {
		delete(w.subs, c.vt)
		return err
	}
	unix.CloseOnExec(fd)
	w.started = true
	go watchResize(fd)
	return nil
}

func watchResize(fd int) {
	for {
		vt, err := waitResize(fd)
		if err != nil {
			resizeWatch.mu.Lock()
			resizeWatch.started = false
			resizeWatch.mu.Unlock()
			unix.Close(fd)
			return
		}
		dispatchResize(vt)
	}
}

// dispatchResize calls the function registered for console vt, if any.
func dispatchResize(vt int) {
	resizeWatch.mu.Lock()
	f := resizeWatch.subs[vt]
	resizeWatch.mu.Unlock()
	if f != nil {
		f()
	}
}

func stopResize(vt int) {
	resizeWatch.mu.Lock()
	delete(resizeWatch.subs, vt)
	resizeWatch.mu.Unlock()
}
