package usb

import (
	"fmt"
	"testing"

	"nvrmenu/texts"
)

// TestErrorCode checks that every error the menu shows for a stick has the
// catalogue's words.
func TestErrorCode(t *testing.T) {
	for _, e := range errorCodes {
		code, ok := ErrorCode(fmt.Errorf("stick sda1: %w", e.err))
		if !ok || code != e.code || !texts.Worded(code) {
			t.Errorf("%v: code %q %v (worded %v)", e.err, code, ok, texts.Worded(code))
		}
	}
	if _, ok := ErrorCode(ErrClosed); ok {
		t.Error("ErrClosed has a code: the menu never shows it")
	}
}
