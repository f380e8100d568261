package recorder

import (
	"fmt"

	"nvrmenu/internal/certfp"
	"nvrmenu/texts"
)

// ProblemError is a refusal from the recorder: its HTTP status and the
// API's problem, which the caller words with its own catalogue.
type ProblemError struct {
	Status  int
	Problem texts.Problem
}

func (e *ProblemError) Error() string {
	return fmt.Sprintf("the recorder refused: %s (HTTP %d)", e.Problem.Code, e.Status)
}

// FingerprintError is a certificate that is not the pinned one: presented
// by the TLS connection (nothing was sent), or announced by a SADP answer
// (nothing was connected to).
type FingerprintError struct {
	Serial string
	// Pinned is the certificate expected; at first use (FirstUse), the
	// one the answer announced or -expect-fingerprint named.
	Pinned certfp.Fingerprint
	// Presented is what the connection or answer showed; the zero value
	// when the connection presented no certificate at all.
	Presented certfp.Fingerprint
	// Announced: a SADP answer announced another certificate (the
	// connection was never made); else the TLS connection presented it.
	Announced bool
	// FirstUse: there was no pin yet.
	FirstUse bool
}

func (e *FingerprintError) Error() string {
	return fmt.Sprintf("certificate of %s: SHA-256 %s, want %s", e.Serial, e.Presented, e.Pinned)
}

// Failure is what kind of thing went wrong in a NetworkError.
type Failure int

const (
	// FailConnect: the connection could not be made, or broke (Err says
	// why: refused, unreachable, a timeout, a TLS failure).
	FailConnect Failure = iota + 1
	// FailAnswer: the answer is not one the API gives (Status, when it
	// is an HTTP status without the API's error).
	FailAnswer
	// FailTooLarge: the answer is over the size the client reads.
	FailTooLarge
)

// NetworkError is a failure to talk to the recorder: Op is the request
// ("GET /api/v1/device"), Kind what went wrong, Err the detail.
type NetworkError struct {
	Op     string
	Kind   Failure
	Status int // the HTTP status of a FailAnswer, or 0
	Err    error
}

func (e *NetworkError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }
