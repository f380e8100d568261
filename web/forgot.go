package web

import (
	"net/http"
	"strconv"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// forgotMethod is one entry of the "Modalità di verifica" drop-down, and
// of the list under it when it cannot be chosen.
type forgotMethod struct {
	Value, Label string
	// Reason is why it cannot be chosen now, in the journey's words.
	Reason           string
	Usable, Selected bool
}

// option is the method's text in the drop-down: its label, and why it
// cannot be chosen if it cannot.
func (m forgotMethod) option() string {
	if m.Reason == "" {
		return m.Label
	}
	return m.Label + " — " + m.Reason
}

// forgotData is the forgot-password page's.
type forgotData struct {
	Methods   []forgotMethod
	Mode      string
	Questions []string // the three questions, for mode questions
	// Email mode:
	MaskedEmail     string
	Pending, ShowQR bool
	RecoveryAddress string
	TriesLeft       int
	QRSrc           string
	QRURL           string // the QR code's URL, a link on a phone; "" without one
	QRWords         journey.QRWords
}

func (s *Server) forgotPage(q *pageReq) {
	query := q.r.URL.Query()
	s.renderForgot(q, query.Get("mode"), query.Get("qr") == "1", http.StatusOK, nil)
}

// renderForgot shows "Password dimenticata" with mode's part open (none
// when the journey does not say mode is usable), err's words if any.
// Every method the journey says is not usable is listed with its reason,
// in the drop-down and under it.
func (s *Server) renderForgot(q *pageReq, mode string, showQR bool, status int, err error) {
	j := q.d.Journey()
	if !j.Activated {
		q.redirect("/activate")
		return
	}
	here := "/forgot"
	data := forgotData{}
	var open journey.Status
	for _, st := range j.Methods {
		if st.Usable && mode == string(st.Method) {
			open, data.Mode = st, mode
			here += "?mode=" + mode
		}
	}
	v := s.view(q, texts.WebForgotPassword, here)
	v.script(chooseScript)
	if open.Method == recovery.MethodQuestions {
		v.script(answersScript)
	}
	for _, st := range j.Methods {
		fm := forgotMethod{Value: string(st.Method), Label: st.Method.Label(v.tr), Usable: st.Usable, Selected: st.Method == open.Method}
		if !st.Usable {
			fm.Reason = st.Words(v.tr)
		}
		data.Methods = append(data.Methods, fm)
	}
	switch open.Method {
	case recovery.MethodQuestions:
		ids, qerr := q.d.SecurityQuestions()
		if qerr != nil && err == nil {
			err = qerr
		}
		for _, id := range ids {
			if id != "" {
				data.Questions = append(data.Questions, v.tr.Question(string(id)))
			}
		}
	case recovery.MethodEmail:
		data.MaskedEmail = open.MaskedEmail
		data.Pending = open.ChallengePending
		data.QRWords = journey.WordsForQR(open.QROpens)
		if open.ChallengePending {
			if ch, pending, cerr := q.d.PendingEmailChallenge(); cerr == nil && pending {
				data.RecoveryAddress = ch.RecoveryAddress
				data.TriesLeft = ch.TriesLeft
				data.ShowQR = showQR
				data.QRSrc = "/forgot/email/qr.png?c=" + strconv.FormatInt(ch.Created.UnixNano(), 36)
				data.QRURL = ch.URL
				data.QRWords = journey.WordsForQR(ch.URL != "")
			}
		}
		if data.ShowQR {
			v.Here += "&qr=1"
		}
	}
	s.show(q, status, "forgot", v, forgotHTML(v, data), err)
}

// proofPassed keeps the ticket in its cookie and goes on to the new
// password.
func (s *Server) proofPassed(q *pageReq, t *recovery.ResetTicket) {
	setCookie(q.w, ticketCookie, t.Token(), 0)
	q.redirect("/reset")
}

// forgotGUID reads the GUID file from its multipart upload itself: the
// one page body that is not a urlencoded form.
func (s *Server) forgotGUID(q *pageReq) {
	data, err := parseGUIDUpload(q.r.Header.Get("Content-Type"), q.r.Body, "guid")
	if err != nil {
		status, p := bodyProblem(q.w, q.r, err)
		if status == http.StatusRequestEntityTooLarge {
			s.errorPage(q.w, q.r, status, p)
			return
		}
		s.renderForgot(q, "guid", false, 0, recovery.ErrGUIDMalformed)
		return
	}
	t, err := q.d.VerifyGUIDFile(data)
	if err != nil {
		s.renderForgot(q, "guid", false, 0, err)
		return
	}
	s.proofPassed(q, t)
}

func (s *Server) forgotQuestions(q *pageReq) {
	t, err := q.d.VerifyAnswers([3]string{q.field("answer1"), q.field("answer2"), q.field("answer3")})
	if err != nil {
		s.renderForgot(q, "questions", false, 0, err)
		return
	}
	s.proofPassed(q, t)
}

func (s *Server) forgotEmail(q *pageReq) {
	t, err := q.d.VerifyEmailCode(q.field("code"))
	if err != nil {
		s.renderForgot(q, "email", q.field("qr") == "1", 0, err)
		return
	}
	s.proofPassed(q, t)
}

// forgotEmailShow makes sure the network's challenge is pending, then
// shows its QR code on the page.
func (s *Server) forgotEmailShow(q *pageReq) { s.emailChallenge(q, false) }

// forgotEmailNew makes a new challenge (the old code dies) and shows its
// QR code.
func (s *Server) forgotEmailNew(q *pageReq) { s.emailChallenge(q, true) }

func (s *Server) emailChallenge(q *pageReq, renew bool) {
	var err error
	if renew {
		_, err = q.d.NewEmailChallenge()
	} else {
		_, err = q.d.EmailChallenge()
	}
	if err != nil {
		s.renderForgot(q, "email", false, 0, err)
		return
	}
	q.redirect("/forgot?mode=email&qr=1")
}

// forgotEmailExport is "Esporta il codice QR": the pending challenge's
// QR code as a PNG download (the challenge is made first if none is
// pending).
func (s *Server) forgotEmailExport(q *pageReq) {
	ch, err := q.d.EmailChallenge()
	if err != nil {
		s.renderForgot(q, "email", false, 0, err)
		return
	}
	s.qrPNG(q.w, q.r, q.d, ch, true)
}

// forgotEmailQR is the QR code shown on the page: only a pending
// challenge's, never a new one (a GET changes nothing).
func (s *Server) forgotEmailQR(q *pageReq) { s.pendingQR(q.w, q.r, q.d) }

// pendingQR answers with the pending challenge's QR code, 404 without one
// (the page's image and the API's).
func (s *Server) pendingQR(w http.ResponseWriter, r *http.Request, d Door) {
	ch, pending, err := d.PendingEmailChallenge()
	if err != nil {
		status, p := s.explain(r, err)
		s.refuseProblem(w, r, status, p)
		return
	}
	if !pending {
		s.refuse(w, r, http.StatusNotFound, texts.CodeNoChallenge)
		return
	}
	s.qrPNG(w, r, d, ch, false)
}

// qrPNGSize is the QR code image's side in pixels: a phone scans it off a
// laptop screen, and it still fits a 320-pixel-wide page scaled down.
const qrPNGSize = 480

func (s *Server) qrPNG(w http.ResponseWriter, r *http.Request, d Door, ch recovery.Challenge, download bool) {
	png, err := payload.QRPNG(ch.Payload, qrPNGSize)
	if err != nil {
		status, p := s.explain(r, err)
		s.refuseProblem(w, r, status, p)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	if download {
		w.Header().Set("Content-Disposition", `attachment; filename="`+qrFileName(d.Serial(), ch.Created)+`"`)
	}
	w.Write(png)
}

// qrFileName names an exported QR code as the console does.
func qrFileName(serial string, created time.Time) string {
	return "QR-" + serial + "-" + created.UTC().Format("20060102-150405") + ".png"
}
