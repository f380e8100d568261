package menu

import (
	"errors"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// errText turns an error of the core or the watcher into a sentence for the
// owner, from the one catalogue every door uses. It never shows the Go
// error itself: an unknown error gets a generic sentence (the caller logs
// the details).
func (m *Menu) errText(err error) string {
	if err == nil || errors.Is(err, errCancelled) {
		return ""
	}
	if code, ok := usb.ErrorCode(err); ok {
		return m.tr.Problem(texts.Problem{Code: code})
	}
	return m.tr.Problem(recovery.Explain(err))
}

// errorsIsTicketDead reports an error after which the reset must start over.
func errorsIsTicketDead(err error) bool {
	return errors.Is(err, recovery.ErrTicketInvalid) || errors.Is(err, recovery.ErrSessionEnded) ||
		errors.Is(err, recovery.ErrClosed)
}
