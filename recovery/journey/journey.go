// Package journey is where the owner stands in "Password Dimenticata", as
// every door shows it: which recovery methods there are, in which order,
// whether each is offered, set up and usable now and, if not, why; what a
// completed reset changed and what comes next. The recovery core decides
// it (recovery.Door.Journey) and the catalogue words it (the Words
// methods here, in texts' entries), so that the local menu, the web page,
// the JSON API and nvr-sadp say the same thing; a door only shows it.
//
// It is a leaf, JSON-ready, that builds on every system nvr-sadp ships for:
// the web door sends it in the API, and nvr-sadp words it with its own
// catalogue exactly as the recorder's screen does.
package journey

import (
	"slices"
	"time"

	"nvrmenu/texts"
)

// Method names a way to prove who you are, as the state file, the audit
// log and the API name it.
type Method string

// The methods: the login itself and the three recovery proofs.
const (
	Login     Method = "login"
	GUID      Method = "guid"
	Questions Method = "questions"
	Email     Method = "email"
)

// Recovery is the order in which every door lists the recovery methods:
// the seed's local menu's, the e-mail first.
var Recovery = []Method{Email, GUID, Questions}

// Label is the method's name on every door's controls.
func (m Method) Label(c *texts.Catalogue) string {
	switch m {
	case GUID:
		return c.T(texts.MethodGUID)
	case Questions:
		return c.T(texts.MethodQuestions)
	case Email:
		return c.T(texts.MethodEmail)
	}
	return string(m)
}

// Setting is the method's name where the owner sets it up.
func (m Method) Setting(c *texts.Catalogue) string {
	switch m {
	case GUID:
		return c.T(texts.SetGUID)
	case Questions:
		return c.T(texts.SetQuestions)
	case Email:
		return c.T(texts.SetEmail)
	}
	return string(m)
}

// Status is one recovery method as the core sees it now for one class of
// doors (the console's, or the network's: each has its own locks).
type Status struct {
	Method Method `json:"method"`
	// Offered: the device offers the method (its configuration, and for
	// the e-mail a vendor key).
	Offered bool `json:"offered"`
	// SetUp: the owner has set it up and it still holds (a GUID file
	// that was used or outdated is not set up: Expired).
	SetUp bool `json:"set_up"`
	// Expired: a GUID file was exported once and no longer works.
	Expired bool `json:"expired,omitempty"`
	// Usable: a reset by it may be tried now.
	Usable bool `json:"usable"`
	// Why it is not usable, as a problem of the catalogue: not-set-up,
	// unavailable, guid-expired, locked (with the time left, or the
	// hourly cap), throttled (no e-mail code may be made before then).
	Why *texts.Problem `json:"why,omitempty"`
	// MaskedEmail is where the e-mail method's code goes, masked.
	MaskedEmail string `json:"masked_email,omitempty"`
	// ChallengePending: an e-mail code is waiting to be typed.
	ChallengePending bool `json:"challenge_pending,omitempty"`
	// QROpens: the e-mail method's QR code holds the vendor's recovery
	// page's address, which a phone camera opens (recovery.app_url); the
	// words around it follow (WordsForQR).
	QROpens bool `json:"qr_opens,omitempty"`
}

// Journey is the device as one class of doors sees it.
type Journey struct {
	Activated bool `json:"activated"`
	// ActivationAllowed: this door may activate the device now.
	ActivationAllowed bool `json:"activation_allowed"`
	// ActivationRefused is why it may not, on a device not activated:
	// activation-closed (the network may never), activation-window-over
	// (the network may only for a while after power-on).
	ActivationRefused *texts.Problem `json:"activation_refused,omitempty"`
	// LoginRefused is why a login cannot be tried now (locked), if so.
	LoginRefused *texts.Problem `json:"login_refused,omitempty"`
	// Methods are the recovery methods in the order of Recovery.
	Methods []Status `json:"methods"`
}

// Method is the status of m.
func (j Journey) Method(m Method) Status {
	for _, s := range j.Methods {
		if s.Method == m {
			return s
		}
	}
	return Status{Method: m}
}

// AnyUsable reports whether some recovery method may be tried now.
func (j Journey) AnyUsable() bool {
	for _, s := range j.Methods {
		if s.Usable {
			return true
		}
	}
	return false
}

// AnyLocked reports whether the login or a recovery method is locked.
func (j Journey) AnyLocked() bool {
	if j.LoginRefused != nil {
		return true
	}
	for _, s := range j.Methods {
		if s.Why != nil && s.Why.Code == texts.CodeLocked {
			return true
		}
	}
	return false
}

// AnySetUp reports whether some recovery method is set up.
func (j Journey) AnySetUp() bool {
	for _, s := range j.Methods {
		if s.SetUp {
			return true
		}
	}
	return false
}

// Words says the method's state where the owner chooses how to recover:
// why it cannot be chosen, or, when it can, what happens (where the code
// goes) or that it is ready.
func (s Status) Words(c *texts.Catalogue) string {
	if s.Why != nil {
		// A list's line is short: the states a method stays in have
		// words of their own, with what to do; a lock is said as every
		// refusal says it.
		switch s.Why.Code {
		case texts.CodeNotSetUp:
			return c.T(texts.MethodNotSetUp)
		case texts.CodeGUIDExpired:
			return c.T(texts.MethodExpiredGUID)
		case texts.CodeUnavailable:
			return c.T(texts.MethodUnavailable)
		}
		return c.Problem(*s.Why)
	}
	switch {
	case s.Method == Email && s.MaskedEmail != "":
		return c.F(texts.MethodEmailReady, s.MaskedEmail)
	}
	return c.T(texts.MethodReady)
}

// SetUpWords says the method's state where the owner sets it up: set up
// (with the masked address), expired, not offered or not set up.
func (s Status) SetUpWords(c *texts.Catalogue) string {
	switch {
	case !s.Offered:
		return c.T(texts.MethodUnavailable)
	case s.SetUp && s.Method == Email && s.MaskedEmail != "":
		return c.F(texts.StateSetUpEmail, s.MaskedEmail)
	case s.SetUp:
		return c.T(texts.StateSetUp)
	case s.Expired:
		return c.T(texts.StateExpired)
	}
	return c.T(texts.StateNotSetUp)
}

// AfterReset is what a completed password change changed that the owner
// must hear of at once, and what comes next.
type AfterReset struct {
	// Method is the proof a reset used; empty for a change of the
	// password by a logged-in admin.
	Method Method `json:"method,omitempty"`
	// GUIDExpired: the GUID file exported before no longer works (used,
	// or outdated by the new password).
	GUIDExpired bool `json:"guid_expired,omitempty"`
	// OfferGUIDExport: a fresh GUID file may be exported now, in the
	// session the reset opened.
	OfferGUIDExport bool `json:"offer_guid_export,omitempty"`
}

// Words says what the change did and, when the GUID file expired, asks
// whether to export a new one now.
func (a AfterReset) Words(c *texts.Catalogue) string {
	w := c.T(texts.ResetDone)
	if a.Method == "" {
		w = c.T(texts.PasswordChanged)
	}
	if a.GUIDExpired && a.OfferGUIDExport {
		w += "\n\n" + c.T(texts.GUIDExpiredOffer)
	} else if a.GUIDExpired {
		w += "\n\n" + c.T(texts.GUIDExpiredNotice)
	}
	return w
}

// QRWords are the words around the e-mail method's QR code, the same at
// every door. With recovery.app_url the QR holds the vendor's recovery
// page's address, which any phone camera opens; without it the QR holds
// "NVRR1:" text that a camera shows and cannot act on, so the owner
// photographs it, or exports it, and mails it to the recovery address (the
// vendor's service reads the code from either).
type QRWords struct {
	Send texts.ID // how the QR reaches the vendor; %s: the recovery address
	Ways texts.ID // the menu's line on Esportazione and App Scan QR
	Show texts.ID // the web page's button that shows the QR
	Alt  texts.ID // the QR image's text alternative
}

// WordsForQR are the words for a QR that holds a URL (opens), or not.
func WordsForQR(opens bool) QRWords {
	if opens {
		return QRWords{Send: texts.EmailSendQRTo, Ways: texts.EmailWays, Show: texts.WebAppScanQR, Alt: texts.WebQRAlt}
	}
	return QRWords{Send: texts.EmailSendQRPhotoTo, Ways: texts.EmailWaysPhoto, Show: texts.WebAppScanQRPhoto, Alt: texts.WebQRAltPhoto}
}

// Seconds is d in whole seconds, rounded up, so that a lock never reads
// as over before it is.
func Seconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}

// QuestionIDs are the security questions offered, in the order every
// door lists them; their texts are the catalogue's ("q-" + id). Ids are
// stored in state files: an id may be added but never renamed or removed.
// Questions whose answers are few and guessable (favourite food, colour,
// sport, number) are left out on purpose.
var QuestionIDs = []string{
	"first-pet",
	"mother-maiden-name",
	"birth-city",
	"first-school",
	"childhood-friend",
	"first-car",
	"favourite-teacher",
	"father-middle-name",
	"first-job-city",
	"childhood-street",
	"oldest-cousin",
	"wedding-city",
	"first-concert",
	"grandmother-first-name",
}

// CheckQuestions is the rule for the three questions chosen: three
// different ones of QuestionIDs. It returns the problem of the first pick
// to change (its Question field, 1 to 3), or nil. The core holds every
// set-up to it; a remote tool may ask it before typing the answers.
func CheckQuestions(ids [3]string) *texts.Problem {
	for i, id := range ids {
		bad := !slices.Contains(QuestionIDs, id) || slices.Contains(ids[:i], id)
		if bad {
			return &texts.Problem{Code: texts.CodeQuestionChoice, Question: i + 1}
		}
	}
	return nil
}
