package usb

import "nvrmenu/internal/termsafe"

// DisplaySafe returns s made safe to draw on a terminal: termsafe.String,
// kept here for the menu, which shows stick and file names through it.
func DisplaySafe(s string) string { return termsafe.String(s) }
