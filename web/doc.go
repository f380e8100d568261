// Package web is the recorder's web door: the "Password dimenticata" pages
// a browser opens and the JSON API under /api/v1 the installer's tool
// speaks, both over the one recovery core.
//
// The door counts, compares and expires nothing itself: every proof, login
// and activation is a call of the core's network door (recovery.Door with
// recovery.ClassNetwork and the client's address), which holds every limit
// — failures per door class, the per-address throttle, the one argon2id at
// a time, single-use proofs, sessions and their timeouts. The door turns a
// request into one such call and the core's answer into a page or a JSON
// body, in the words of the one catalogue (texts).
//
// What it adds is what a web server on a LAN device must do before the
// core is asked anything: a Host allow-list against DNS rebinding (first
// of all), http.CrossOriginProtection on every request that changes state,
// __Host- cookies that are Secure, HttpOnly and SameSite=Strict, the same
// security headers on every response, bounded bodies, headers, timeouts
// and connections. Pages are plain forms, templ components compiled to Go
// code (render.go says why: no reflection), escaped by context, and work
// without JavaScript; small same-origin scripts add the live strength
// meter and send the mode's drop-down when a choice is made (hiding the
// button that sends it without them). Nothing secret goes into a URL, a
// log line or an error page.
//
// The package declares the interfaces it needs of the core (Door) and
// never imports the console menu; the daemon wires both.
package web
