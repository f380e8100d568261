package web

import (
	"sync"
	"time"

	"nvrmenu/recovery"
)

// refusedLogEvery is how often, at most, a refusal that any client can
// make at will (a foreign Host, a cross-origin request) is logged: a
// flood of them writes one line each refusedLogEvery, with the number
// held back since the last, not one line a request.
const refusedLogEvery = 10 * time.Second

// logLimiter lets one log line of each kind through per interval and
// counts the ones it holds back; the next line let through tells how
// many. It keeps no timer: while no refusal comes it does nothing, and a
// count held back is told by the next refusal of its kind.
type logLimiter struct {
	clock recovery.Clock
	every time.Duration

	mu    sync.Mutex
	kinds map[string]*logKind
}

type logKind struct {
	last time.Time // when a line was last let through
	held int       // lines held back since
}

func newLogLimiter(clock recovery.Clock, every time.Duration) *logLimiter {
	return &logLimiter{clock: clock, every: every, kinds: map[string]*logKind{}}
}

// allow reports whether a line of kind may be written now and, if so,
// how many were held back since the last one. A clock set back lets the
// next line through.
func (l *logLimiter) allow(kind string) (ok bool, held int) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.kinds[kind]
	if k == nil {
		k = &logKind{}
		l.kinds[kind] = k
	} else if d := now.Sub(k.last); d >= 0 && d < l.every {
		k.held++
		return false, 0
	}
	held, k.held, k.last = k.held, 0, now
	return true, held
}
