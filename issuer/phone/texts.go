package phone

import (
	"net/http"

	"golang.org/x/text/language"

	"nvrmenu/issuer/service"
)

// words are the page's texts: Italian, English.
var words = map[string][2]string{
	"title":         {"Recupero password del registratore", "Recorder password recovery"},
	"intro":         {"Questa pagina invia il codice di verifica per reimpostare la password di un registratore all'indirizzo e-mail riservato scelto dal suo proprietario.", "This page sends the verification code that resets a recorder's password to the reserved e-mail address its owner chose."},
	"recorder":      {"Registratore", "Recorder"},
	"goes-to":       {"Il codice sarà inviato a", "The code will be sent to"},
	"made":          {"Richiesta fatta il", "Request made on"},
	"clock":         {"(orologio del registratore)", "(the recorder's clock)"},
	"only-there":    {"Solo quell'indirizzo riceve il codice, e il codice funziona solo su questo registratore.", "Only that address receives the code, and the code works only on this recorder."},
	"send":          {"Invia il codice", "Send the code"},
	"sent":          {"Codice inviato", "Code sent"},
	"sent-to":       {"Il codice di verifica è stato inviato a %s. Controllare la posta (anche la cartella spam) e digitare il codice sul registratore %s, in Password Dimenticata.", "The verification code has been sent to %s. Check the mail (the spam folder too) and type the code on recorder %s, in Forgot Password."},
	"sent-again":    {"È lo stesso codice dei messaggi precedenti per questo codice QR.", "It is the same code as in the earlier messages for this QR code."},
	"home":          {"Inquadrare con la fotocamera del telefono il codice QR che il registratore mostra in Password Dimenticata, oppure inviare il codice QR esportato per e-mail all'indirizzo di recupero del produttore.", "Scan the QR code the recorder shows in Forgot Password with your phone's camera, or mail the exported QR code to the vendor's recovery address."},
	"not-found":     {"Pagina non trovata.", "Page not found."},
	"refused":       {"Richiesta rifiutata", "Request refused"},
	"again":         {"Riprovare tra %s.", "Try again in %s."},
	"make-new":      {"Sul registratore, creare un nuovo codice QR e inquadrarlo di nuovo.", "On the recorder, make a new QR code and scan it again."},
	"no-payload":    {"Questo indirizzo non contiene un codice QR di recupero.", "This address holds no recovery QR code."},
	"malformed":     {"Questo non è un codice QR di recupero valido: inquadrarlo di nuovo.", "This is not a valid recovery QR code: scan it again."},
	"other-key":     {"Questo codice QR è stato fatto per il servizio di recupero di un altro produttore.", "This QR code was made for another vendor's recovery service."},
	"tampered":      {"Questo codice QR è stato alterato o danneggiato: inquadrarlo di nuovo dal registratore.", "This QR code was altered or damaged: scan it again from the recorder."},
	"too-old":       {"Questo codice QR è troppo vecchio (o l'orologio del registratore è sbagliato).", "This QR code is too old (or the recorder's clock is wrong)."},
	"limit":         {"Sono già stati inviati troppi codici per questo registratore o a questo indirizzo.", "Too many codes have already been sent for this recorder or to this address."},
	"busy":          {"Troppe richieste.", "Too many requests."},
	"unavailable":   {"Il servizio non è disponibile in questo momento.", "The service is not available at the moment."},
	"undeliverable": {"L'indirizzo riservato non accetta posta: sul registratore, dopo l'accesso, impostarne un altro.", "The reserved address does not accept mail: on the recorder, after logging in, set up another one."},
}

// refusalWords names the words of a refusal's kind.
var refusalWords = map[service.Kind]string{
	service.KindNoPayload:     "no-payload",
	service.KindMalformed:     "malformed",
	service.KindOtherKey:      "other-key",
	service.KindTampered:      "tampered",
	service.KindTooOld:        "too-old",
	service.KindLimit:         "limit",
	service.KindBusy:          "busy",
	service.KindUnavailable:   "unavailable",
	service.KindUndeliverable: "undeliverable",
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.Italian})

// lang picks Italian (1) or English (0) from Accept-Language.
func lang(r *http.Request) int {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := matcher.Match(tags...)
	if i == 1 {
		return 0 // Italian is words' first column
	}
	return 1
}
