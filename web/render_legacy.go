package web

import "html/template"

// parsePages stands in for the html/template pages that the templ
// components replaced: server.go, which another change is hardening at
// the same time, still declares Server.pages and calls this in New. Once
// both changes are in, the field, this call and this file go: the field's
// type keeps about 44 KB of html/template's methods and type data in the
// daemon (armv7; the file's size does not change, being inside one of its
// 64 KiB steps).
func parsePages() (map[string]*template.Template, error) { return nil, nil }
