// Package mailout sends the verification code to the reserved address:
// the message itself (Italian and English, what to type where), SMTP
// submission to the vendor's relay (STARTTLS or implicit TLS, optional
// PLAIN authentication, through github.com/emersion/go-smtp's client),
// and a Maildir writer that stands in for the relay in the demo and tests.
//
// A Mail holds the code: its String and every fmt verb leave it out. The
// message says what the owner needs at the recorder and nothing that
// helps anyone else: no address of the recorder, no way to use the code
// elsewhere.
package mailout

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"strconv"
	"strings"
	"time"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/payload"
)

// Mail is one code to send.
type Mail struct {
	To      string // the reserved address sealed in the payload
	Serial  string
	Code    string    // 8 Crockford base32 characters
	Created time.Time // when the recorder made the challenge, by its clock
	// Life is the life most recorders give a code; MaxLife the longest.
	Life, MaxLife time.Duration
	// Challenge names the challenge (Message-ID, the ledger).
	Challenge [16]byte
}

// String describes the mail without its code, the address masked.
func (m Mail) String() string {
	return fmt.Sprintf("code for %s to %s", m.Serial, mailaddr.Mask(m.To))
}

// GoString is String.
func (m Mail) GoString() string { return m.String() }

// Format prints String for every verb.
func (m Mail) Format(f fmt.State, verb rune) { io.WriteString(f, m.String()) }

// hours writes a duration in whole hours.
func hours(d time.Duration) int { return int(d.Round(time.Hour) / time.Hour) }

// Compose writes the RFC 5322 message: UTF-8 plain text, quoted-printable,
// Italian then English. from is the sender's bare address, now the Date,
// host the right side of the Message-ID.
func Compose(m Mail, from string, now time.Time, host string) []byte {
	code := payload.FormatCode(m.Code)
	made := m.Created.UTC().Format("2006-01-02 15:04 UTC")
	var body strings.Builder
	fmt.Fprintf(&body, `Codice di verifica per il registratore %[1]s:

    %[2]s

Sul registratore: Accesso > Password Dimenticata > Verifica tramite e-mail
di recupero > Inserire il codice di verifica. Sulla pagina web del
registratore: Password dimenticata > Verifica tramite e-mail riservata >
Codice di verifica. Poi scegliere la nuova password.

Il codice vale solo su questo registratore e solo per la richiesta fatta il
%[3]s (secondo l'orologio del registratore). Di solito resta valido %[4]d ore
da quel momento, al massimo %[5]d, contate dall'orologio del registratore;
muore prima se sul registratore si crea un nuovo codice QR, dopo 5 tentativi
sbagliati e appena usato.

Se non avete chiesto voi questo codice, ignorate questo messaggio: serve solo
a chi è davanti al registratore.

--

Verification code for recorder %[1]s:

    %[2]s

On the recorder: Login > Forgot Password > Verify by recovery e-mail > Enter
the verification code. On the recorder's web page: Forgot password > Verify
by reserved e-mail > Verification code. Then choose the new password.

The code works only on this recorder, and only for the request made on
%[3]s (by the recorder's clock). It usually stays valid for %[4]d hours from
then, %[5]d at most, counted by the recorder's clock; it dies earlier when a
new QR code is made on the recorder, after 5 wrong tries, and once used.

If you did not ask for this code, ignore this message: it is of use only to
someone standing at the recorder.
`, m.Serial, code, made, hours(m.Life), hours(m.MaxLife))
	var msg bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&msg, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", fmt.Sprintf("Codice di verifica / Verification code: %s", m.Serial)))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", fmt.Sprintf("<%x.%s@%s>", m.Challenge[:8], strconv.FormatInt(now.UnixNano(), 36), host))
	h("Auto-Submitted", "auto-generated")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	msg.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&msg)
	qp.Write([]byte(strings.ReplaceAll(body.String(), "\n", "\r\n")))
	qp.Close()
	return msg.Bytes()
}
