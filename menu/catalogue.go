package menu

// msg names one text of the menu. Every text on screen is one of these; the
// table below holds it in Italian and English.
type msg string

// The menu's texts. The Italian wording follows the vendor how-to the
// product started from wherever it names a control.
const (
	msgOk                 msg = "ok"
	msgCancel             msg = "cancel"
	msgBack               msg = "back"
	msgYes                msg = "yes"
	msgNo                 msg = "no"
	msgLater              msg = "later"
	msgRemove             msg = "remove"
	msgFinish             msg = "finish"
	msgWorking            msg = "working"
	msgKeyBackspace       msg = "key-backspace"
	msgKeyShift           msg = "key-shift"
	msgKeySymbols         msg = "key-symbols"
	msgKeyLetters         msg = "key-letters"
	msgKeySpace           msg = "key-space"
	msgUser               msg = "user"
	msgPassword           msg = "password"
	msgNewPassword        msg = "new-password"
	msgConfirmPassword    msg = "confirm-password"
	msgCurrentPassword    msg = "current-password"
	msgStrength           msg = "strength"
	msgStrengthEmpty      msg = "strength-empty"
	msgStrengthRisky      msg = "strength-risky"
	msgStrengthWeak       msg = "strength-weak"
	msgStrengthMedium     msg = "strength-medium"
	msgStrengthStrong     msg = "strength-strong"
	msgPasswordEmpty      msg = "password-empty"
	msgPasswordMismatch   msg = "password-mismatch"
	msgTitleActivation    msg = "title-activation"
	msgActivationIntro    msg = "activation-intro"
	msgPasswordSet        msg = "password-set"
	msgTitleSetup         msg = "title-setup"
	msgSetupIntro         msg = "setup-intro"
	msgNoMethodWarning    msg = "no-method-warning"
	msgSetUpNow           msg = "set-up-now"
	msgContinueAnyway     msg = "continue-anyway"
	msgActivated          msg = "activated"
	msgTitleLogin         msg = "title-login"
	msgTitleFault         msg = "title-fault"
	msgFaultState         msg = "fault-state"
	msgFaultDetail        msg = "fault-detail"
	msgDeviceSerial       msg = "device-serial"
	msgLogin              msg = "login"
	msgForgotPassword     msg = "forgot-password"
	msgForgotIntro        msg = "forgot-intro"
	msgMethodEmail        msg = "method-email"
	msgMethodGUID         msg = "method-guid"
	msgMethodQuestions    msg = "method-questions"
	msgMethodReady        msg = "method-ready"
	msgMethodEmailReady   msg = "method-email-ready"
	msgMethodNotSetUp     msg = "method-not-set-up"
	msgMethodExpiredGUID  msg = "method-expired-guid"
	msgMethodUnavailable  msg = "method-unavailable"
	msgEmailCodeGoesTo    msg = "email-code-goes-to"
	msgEmailSendQRTo      msg = "email-send-qr-to"
	msgEmailWays          msg = "email-ways"
	msgExport             msg = "export"
	msgAppScanQR          msg = "app-scan-qr"
	msgEnterCode          msg = "enter-code"
	msgNewCode            msg = "new-code"
	msgNewCodeConfirm     msg = "new-code-confirm"
	msgQRTooSmall         msg = "qr-too-small"
	msgQRExported         msg = "qr-exported"
	msgPickStick          msg = "pick-stick"
	msgNoStick            msg = "no-stick"
	msgOnStick            msg = "on-stick"
	msgReadingSticks      msg = "reading-sticks"
	msgGUIDIntro          msg = "guid-intro"
	msgGUIDChoose         msg = "guid-choose"
	msgGUIDNoFiles        msg = "guid-no-files"
	msgGUIDPickFile       msg = "guid-pick-file"
	msgGUIDOtherDevice    msg = "guid-other-device-mark"
	msgGUIDNotAGUIDFile   msg = "guid-not-a-guid-file"
	msgImport             msg = "import"
	msgQuestionsIntro     msg = "questions-intro"
	msgAnswerN            msg = "answer-n"
	msgQuestionN          msg = "question-n"
	msgTitleNewPassword   msg = "title-new-password"
	msgNewPasswordIntro   msg = "new-password-intro"
	msgAbandonReset       msg = "abandon-reset"
	msgTitleResetDone     msg = "title-reset-done"
	msgResetDone          msg = "reset-done"
	msgExportNow          msg = "export-now"
	msgLoginWithNew       msg = "login-with-new"
	msgTitleAccount       msg = "title-account"
	msgAccountIntro       msg = "account-intro"
	msgSetGUID            msg = "set-guid"
	msgSetQuestions       msg = "set-questions"
	msgSetEmail           msg = "set-email"
	msgChangePassword     msg = "change-password"
	msgLogout             msg = "logout"
	msgStateSetUp         msg = "state-set-up"
	msgStateSetUpEmail    msg = "state-set-up-email"
	msgStateExpired       msg = "state-expired"
	msgStateNotSetUp      msg = "state-not-set-up"
	msgTitleGUIDExport    msg = "title-guid-export"
	msgGUIDExportIntro    msg = "guid-export-intro"
	msgGUIDExported       msg = "guid-exported"
	msgSetQuestionsIntro  msg = "set-questions-intro"
	msgQuestionsSaved     msg = "questions-saved"
	msgSetEmailIntro      msg = "set-email-intro"
	msgEmailAddress       msg = "email-address"
	msgEmailCurrent       msg = "email-current"
	msgEmailSaved         msg = "email-saved"
	msgReauth             msg = "reauth"
	msgPasswordChanged    msg = "password-changed"
	msgGUIDExpiredOffer   msg = "guid-expired-offer"
	msgIdleLoggedOut      msg = "idle-logged-out"
	msgStickReadOnly      msg = "stick-read-only-mark"
	msgLockedFor          msg = "locked-for"
	msgLockedGlobal       msg = "locked-global"
	msgLessThanAMinute    msg = "less-than-a-minute"
	msgMinutes            msg = "minutes"
	msgTriesLeft          msg = "tries-left"
	msgNowLocked          msg = "now-locked"
	msgPasswordRefused    msg = "password-refused"
	msgErrUnexpected      msg = "err-unexpected"
	msgErrWrongLogin      msg = "err-wrong-login"
	msgErrSessionEnded    msg = "err-session-ended"
	msgErrNotSetUp        msg = "err-not-set-up"
	msgErrUnavailable     msg = "err-unavailable"
	msgErrTicket          msg = "err-ticket"
	msgErrNotActivated    msg = "err-not-activated"
	msgErrActivated       msg = "err-activated"
	msgErrGUIDMalformed   msg = "err-guid-malformed"
	msgErrGUIDOther       msg = "err-guid-other-device"
	msgErrGUIDExpired     msg = "err-guid-expired"
	msgErrGUIDWrong       msg = "err-guid-wrong"
	msgErrNoValidGUID     msg = "err-no-valid-guid"
	msgErrWrongAnswers    msg = "err-wrong-answers"
	msgErrAnswersMissing  msg = "err-answers-incomplete"
	msgErrAnswerTooShort  msg = "err-answer-too-short"
	msgErrAnswerTooLong   msg = "err-answer-too-long"
	msgErrQuestionChoice  msg = "err-question-choice"
	msgErrInvalidEmail    msg = "err-invalid-email"
	msgErrNoChallenge     msg = "err-no-challenge"
	msgErrCodeExpired     msg = "err-code-expired"
	msgErrCodeMalformed   msg = "err-code-malformed"
	msgErrWrongCode       msg = "err-wrong-code"
	msgErrReauth          msg = "err-reauth"
	msgErrClosed          msg = "err-closed"
	msgErrStickGone       msg = "err-stick-gone"
	msgErrStickReadOnly   msg = "err-stick-read-only"
	msgErrStickFull       msg = "err-stick-full"
	msgErrFileExists      msg = "err-file-exists"
	msgErrBadName         msg = "err-bad-name"
	msgErrTooManyEntries  msg = "err-too-many-entries"
	msgErrListTimeout     msg = "err-list-timeout"
	msgReasonTooShort     msg = "reason-too-short"
	msgReasonTooLong      msg = "reason-too-long"
	msgReasonNotASCII     msg = "reason-not-printable-ascii"
	msgReasonFewClasses   msg = "reason-too-few-classes"
	msgReasonUser         msg = "reason-contains-user"
	msgReasonUserReversed msg = "reason-contains-user-reversed"
	msgReasonAdmin        msg = "reason-contains-admin"
	msgReasonSequence     msg = "reason-sequence"
	msgReasonRepetition   msg = "reason-repetition"
	msgReasonCommon       msg = "reason-common-password"
)

// text is one message in each language.
type text struct{ it, en string }

// messages holds every text in Italian and English. Format verbs (%s, %d)
// must match between the two: TestCatalogueComplete checks.
var messages = map[msg]text{
	msgOk:           {"Ok", "Ok"},
	msgCancel:       {"Annulla", "Cancel"},
	msgBack:         {"Indietro", "Back"},
	msgYes:          {"Sì", "Yes"},
	msgNo:           {"No", "No"},
	msgLater:        {"Più tardi", "Later"},
	msgRemove:       {"Rimuovi", "Remove"},
	msgFinish:       {"Fine", "Finish"},
	msgWorking:      {"Verifica in corso…", "Please wait…"},
	msgKeyBackspace: {"Backspace", "Backspace"},
	msgKeyShift:     {"Maiusc", "Shift"},
	msgKeySymbols:   {"#+=", "#+="},
	msgKeyLetters:   {"abc", "abc"},
	msgKeySpace:     {"Spazio", "Space"},

	msgUser:             {"Nome utente", "User name"},
	msgPassword:         {"Password", "Password"},
	msgNewPassword:      {"Nuova password", "New password"},
	msgConfirmPassword:  {"Conferma password", "Confirm password"},
	msgCurrentPassword:  {"Password attuale", "Current password"},
	msgStrength:         {"Sicurezza:", "Strength:"},
	msgStrengthEmpty:    {"Almeno 8 caratteri, con almeno due tipi tra minuscole, maiuscole, cifre e simboli.", "At least 8 characters, with at least two kinds of lower case, upper case, digits and symbols."},
	msgStrengthRisky:    {"Rischioso", "Risky"},
	msgStrengthWeak:     {"Debole", "Weak"},
	msgStrengthMedium:   {"Medio", "Medium"},
	msgStrengthStrong:   {"Forte", "Strong"},
	msgPasswordEmpty:    {"Inserire la password.", "Type the password."},
	msgPasswordMismatch: {"Le due password non coincidono: digitarle di nuovo.", "The two passwords differ: type them again."},

	msgTitleActivation: {"Attivazione", "Activation"},
	msgActivationIntro: {"Dispositivo %s non attivato. Creare la password dell'amministratore (utente admin): servirà per accedere al registratore.", "Device %s is not activated. Create the administrator's password (user admin): you will need it to use the recorder."},
	msgPasswordSet:     {"Password impostata.", "Password set."},
	msgTitleSetup:      {"Metodi di recupero", "Recovery setup"},
	msgSetupIntro:      {"Impostare ora almeno un metodo per ripristinare la password se verrà dimenticata. Ogni metodo si può saltare e impostare più tardi.", "Set up at least one way to reset the password should it be forgotten. You may skip any method and set it up later."},
	msgNoMethodWarning: {"Nessun metodo di ripristino è impostato. Se la password verrà dimenticata, solo un ripristino di fabbrica potrà sbloccare il registratore.", "No recovery method is set up. If the password is forgotten, only a factory reset will unlock the recorder."},
	msgSetUpNow:        {"Imposta ora", "Set up now"},
	msgContinueAnyway:  {"Continua comunque", "Continue anyway"},
	msgActivated:       {"Dispositivo attivato.", "Device activated."},

	msgTitleLogin: {"Accesso", "Login"},
	msgTitleFault: {"Ripristino password non disponibile", "Password recovery unavailable"},
	msgFaultState: {"I dati della password e dei metodi di ripristino di questo registratore sono danneggiati o illeggibili. Il menu non può verificare alcuna password e non ha modificato nulla. Rivolgersi all'installatore o all'assistenza del produttore: il file va ripristinato da un backup.",
		"The password and recovery data of this recorder are damaged or unreadable. The menu cannot check any password and has changed nothing. Call the installer or the vendor's support: the file must be restored from a backup."},
	msgFaultDetail:    {"File: %s", "File: %s"},
	msgDeviceSerial:   {"Registratore %s", "Recorder %s"},
	msgLogin:          {"Accedi", "Log in"},
	msgForgotPassword: {"Password Dimenticata", "Forgot Password"},
	msgForgotIntro:    {"Scegliere come dimostrare di essere il proprietario. I metodi non impostati sono indicati ma non selezionabili.", "Choose how to prove you are the owner. Methods not set up are listed but cannot be chosen."},

	msgMethodEmail:       {"Verifica tramite e-mail di recupero", "Verify by recovery e-mail"},
	msgMethodGUID:        {"Verifica mediante GUID", "Verify by GUID file"},
	msgMethodQuestions:   {"Verifica mediante domande di sicurezza", "Verify by security questions"},
	msgMethodReady:       {"Disponibile", "Available"},
	msgMethodEmailReady:  {"Il codice arriverà a %s", "The code goes to %s"},
	msgMethodNotSetUp:    {"Non impostato: si imposta dopo l'accesso", "Not set up: set it up after logging in"},
	msgMethodExpiredGUID: {"File GUID scaduto: esportarne uno nuovo dopo l'accesso", "GUID file expired: export a new one after logging in"},
	msgMethodUnavailable: {"Non disponibile su questo dispositivo", "Not offered on this device"},

	msgEmailCodeGoesTo: {"Il codice di verifica arriverà all'indirizzo riservato %s.", "The verification code will reach the reserved address %s."},
	msgEmailSendQRTo:   {"Inviare il codice QR come allegato a %s.", "Mail the QR code as an attachment to %s."},
	msgEmailWays:       {"Esportazione: salva il codice QR su una chiavetta USB, da inviare per e-mail. App Scan QR: mostra il codice QR da scansionare con l'app del produttore.", "Export: saves the QR code to a USB stick, to mail it. App Scan QR: shows the QR code to scan with the vendor's app."},
	msgExport:          {"Esportazione", "Export"},
	msgAppScanQR:       {"App Scan QR", "App Scan QR"},
	msgEnterCode:       {"Inserire il codice di verifica", "Enter the verification code"},
	msgNewCode:         {"Nuovo codice QR", "New QR code"},
	msgNewCodeConfirm:  {"Creare un nuovo codice QR? Il codice di verifica precedente non sarà più valido.", "Make a new QR code? The previous verification code will stop working."},
	msgQRTooSmall:      {"Schermo troppo piccolo per il codice QR: usare Esportazione per salvarlo su una chiavetta.", "Screen too small for the QR code: use Export to save it to a stick."},
	msgQRExported:      {"Codice QR salvato come %s sulla chiavetta %s. Inviarlo come allegato a %s.", "QR code saved as %s on stick %s. Mail it as an attachment to %s."},

	msgPickStick:     {"Scegliere la chiavetta", "Choose the stick"},
	msgNoStick:       {"Nessuna chiavetta inserita", "No stick inserted"},
	msgOnStick:       {"sulla chiavetta %s", "on stick %s"},
	msgReadingSticks: {"Lettura delle chiavette…", "Reading the sticks…"},

	msgGUIDIntro:        {"File GUID sulle chiavette inserite. Selezionare quello del registratore e premere Importa.", "GUID files on the plugged sticks. Select this recorder's and press Import."},
	msgGUIDChoose:       {"I file di questo registratore sono in cima.", "This recorder's files are at the top."},
	msgGUIDNoFiles:      {"Nessun file GUID sulle chiavette inserite.", "No GUID file on the plugged sticks."},
	msgGUIDPickFile:     {"Selezionare un file GUID.", "Select a GUID file."},
	msgGUIDOtherDevice:  {"(altro dispositivo)", "(another device)"},
	msgGUIDNotAGUIDFile: {"Il file è troppo grande per essere un file GUID.", "The file is too large to be a GUID file."},
	msgImport:           {"Importa", "Import"},

	msgQuestionsIntro: {"Rispondere alle domande di sicurezza impostate in precedenza.", "Answer the security questions set up earlier."},
	msgAnswerN:        {"Risposta %d", "Answer %d"},
	msgQuestionN:      {"Domanda %d", "Question %d"},

	msgTitleNewPassword: {"Nuova password", "New password"},
	msgNewPasswordIntro: {"Verifica riuscita. Impostare e confermare la nuova password dell'amministratore.", "Verified. Set and confirm the administrator's new password."},
	msgAbandonReset:     {"Abbandonare il ripristino? La verifica andrà ripetuta.", "Give up the reset? You will have to verify again."},
	msgTitleResetDone:   {"Password ripristinata", "Password reset"},
	msgResetDone:        {"La nuova password è stata salvata.", "The new password is saved."},
	msgExportNow:        {"Esporta ora", "Export now"},
	msgLoginWithNew:     {"Accedere con la nuova password.", "Log in with the new password."},

	msgTitleAccount:    {"Account admin", "Admin account"},
	msgAccountIntro:    {"Metodi di ripristino della password e loro stato.", "Password recovery methods and their state."},
	msgSetGUID:         {"Esporta file GUID", "Export GUID file"},
	msgSetQuestions:    {"Domande di sicurezza", "Security questions"},
	msgSetEmail:        {"E-mail di recupero", "Recovery e-mail"},
	msgChangePassword:  {"Cambia password", "Change password"},
	msgLogout:          {"Esci", "Log out"},
	msgStateSetUp:      {"Impostato", "Set up"},
	msgStateSetUpEmail: {"Impostato: %s", "Set up: %s"},
	msgStateExpired:    {"Scaduto", "Expired"},
	msgStateNotSetUp:   {"Non impostato", "Not set up"},

	msgTitleGUIDExport:   {"Esporta file GUID", "Export GUID file"},
	msgGUIDExportIntro:   {"Inserire una chiavetta USB e premere Esportazione. Il nuovo file GUID sostituisce il precedente solo quando è salvato sulla chiavetta. Conservare la chiavetta in un luogo sicuro.", "Plug in a USB stick and press Export. The new GUID file replaces the old one only once it is saved on the stick. Keep the stick somewhere safe."},
	msgGUIDExported:      {"File GUID salvato sulla chiavetta %s.", "GUID file saved on stick %s."},
	msgSetQuestionsIntro: {"Scegliere tre domande diverse e rispondere. Maiuscole/minuscole e spazi in più non contano; gli accenti sì.", "Pick three different questions and answer them. Case and extra spaces do not matter; accents do."},
	msgQuestionsSaved:    {"Domande di sicurezza salvate.", "Security questions saved."},
	msgSetEmailIntro:     {"Indirizzo e-mail riservato: il produttore vi invierà il codice di verifica.", "Reserved e-mail address: the vendor will mail the verification code there."},
	msgEmailAddress:      {"Indirizzo e-mail", "E-mail address"},
	msgEmailCurrent:      {"Indirizzo attuale: %s", "Current address: %s"},
	msgEmailSaved:        {"Indirizzo e-mail di recupero salvato.", "Recovery e-mail address saved."},
	msgReauth:            {"Per modificare i metodi di ripristino, digitare di nuovo la password dell'amministratore.", "To change the recovery methods, type the administrator's password again."},
	msgPasswordChanged:   {"Password modificata.", "Password changed."},
	msgGUIDExpiredOffer:  {"Il file GUID precedente non vale più con la nuova password. Esportare subito un nuovo file GUID?", "The previous GUID file no longer works with the new password. Export a new GUID file now?"},
	msgIdleLoggedOut:     {"Sessione chiusa per inattività.", "Logged out after inactivity."},
	msgStickReadOnly:     {"(protetta da scrittura)", "(write-protected)"},

	msgLockedFor:       {"Troppi tentativi falliti: bloccato per %s.", "Too many failed tries: locked for %s."},
	msgLockedGlobal:    {"Troppi tentativi nell'ultima ora: riprovare tra %s.", "Too many tries in the last hour: try again in %s."},
	msgLessThanAMinute: {"meno di un minuto", "less than a minute"},
	msgMinutes:         {"%d min", "%d min"},
	msgTriesLeft:       {"Tentativi rimasti: %d.", "Tries left: %d."},
	msgNowLocked:       {"Bloccato per %s.", "Locked for %s."},
	msgPasswordRefused: {"Password non accettata:", "Password not accepted:"},

	msgErrUnexpected:     {"Operazione non riuscita. Riprovare; se succede ancora, rivolgersi all'installatore.", "The operation failed. Try again; if it happens again, call your installer."},
	msgErrWrongLogin:     {"Nome utente o password errati.", "Wrong user name or password."},
	msgErrSessionEnded:   {"Sessione terminata: accedere di nuovo.", "Session ended: log in again."},
	msgErrNotSetUp:       {"Metodo non impostato.", "Method not set up."},
	msgErrUnavailable:    {"Metodo non disponibile su questo dispositivo.", "Method not offered on this device."},
	msgErrTicket:         {"Verifica non più valida: ripetere il ripristino.", "Verification no longer valid: start the reset again."},
	msgErrNotActivated:   {"Dispositivo non attivato.", "Device not activated."},
	msgErrActivated:      {"Dispositivo già attivato.", "Device already activated."},
	msgErrGUIDMalformed:  {"Il file non è un file GUID di questo prodotto.", "The file is not a GUID file of this product."},
	msgErrGUIDOther:      {"Il file GUID appartiene a un altro dispositivo.", "The GUID file belongs to another device."},
	msgErrGUIDExpired:    {"Il file GUID è scaduto: è già stato usato, sostituito da uno più recente o la password è stata cambiata dopo l'esportazione.", "The GUID file has expired: it was used, replaced by a newer one, or the password was changed after it was exported."},
	msgErrGUIDWrong:      {"Il file GUID non è valido per questo dispositivo.", "The GUID file is not valid for this device."},
	msgErrNoValidGUID:    {"Nessun file GUID valido per questo dispositivo: usare un altro metodo.", "No valid GUID for this device: use another method."},
	msgErrWrongAnswers:   {"Le risposte non corrispondono.", "The answers do not match."},
	msgErrAnswersMissing: {"Rispondere a tutte e tre le domande.", "Answer all three questions."},
	msgErrAnswerTooShort: {"Risposta %d troppo corta: almeno 2 caratteri.", "Answer %d too short: at least 2 characters."},
	msgErrAnswerTooLong:  {"Risposta %d troppo lunga: al massimo 128 caratteri.", "Answer %d too long: at most 128 characters."},
	msgErrQuestionChoice: {"Scegliere tre domande diverse.", "Pick three different questions."},
	msgErrInvalidEmail:   {"Indirizzo e-mail non valido: prima della @ solo lettere senza accenti, cifre e . _ % + -", "Not a valid e-mail address: before the @ only letters, digits and . _ % + -"},
	msgErrNoChallenge:    {"Nessun codice in attesa: esportare o mostrare prima il codice QR.", "No code pending: export or show the QR code first."},
	msgErrCodeExpired:    {"Codice di verifica scaduto: creare un nuovo codice QR.", "Verification code expired: make a new QR code."},
	msgErrCodeMalformed:  {"Il codice di verifica ha 8 lettere e cifre.", "The verification code has 8 letters and digits."},
	msgErrWrongCode:      {"Codice di verifica errato.", "Wrong verification code."},
	msgErrReauth:         {"Digitare di nuovo la password.", "Type the password again."},
	msgErrClosed:         {"Il servizio si sta chiudendo.", "The service is shutting down."},
	msgErrStickGone:      {"Chiavetta rimossa o illeggibile: reinserirla e riprovare.", "Stick removed or unreadable: plug it in again and retry."},
	msgErrStickReadOnly:  {"La chiavetta è protetta da scrittura.", "The stick is write-protected."},
	msgErrStickFull:      {"La chiavetta è piena.", "The stick is full."},
	msgErrFileExists:     {"Il file è già presente sulla chiavetta.", "The file is already on the stick."},
	msgErrBadName:        {"Nome di file non ammesso.", "File name not allowed."},
	msgErrTooManyEntries: {"Troppi file sulla chiavetta: usarne una con meno file.", "Too many files on the stick: use one with fewer files."},
	msgErrListTimeout:    {"Chiavetta troppo lenta da leggere.", "The stick is too slow to read."},

	msgReasonTooShort:     {"almeno 8 caratteri", "at least 8 characters"},
	msgReasonTooLong:      {"troppo lunga", "too long"},
	msgReasonNotASCII:     {"solo lettere senza accenti, cifre e simboli", "only unaccented letters, digits and symbols"},
	msgReasonFewClasses:   {"almeno due tra minuscole, maiuscole, cifre e simboli", "at least two of lower case, upper case, digits and symbols"},
	msgReasonUser:         {"non deve contenere il nome utente", "must not contain the user name"},
	msgReasonUserReversed: {"non deve contenere il nome utente al contrario", "must not contain the user name reversed"},
	msgReasonAdmin:        {"non deve contenere \"admin\"", "must not contain \"admin\""},
	msgReasonSequence:     {"niente sequenze come 1234 o abcd", "no sequences like 1234 or abcd"},
	msgReasonRepetition:   {"niente caratteri ripetuti come aaaa", "no repeated characters like aaaa"},
	msgReasonCommon:       {"è una password troppo comune", "it is a very common password"},

	"q-first-pet":              {"Come si chiamava il tuo primo animale domestico?", "What was your first pet's name?"},
	"q-mother-maiden-name":     {"Qual è il cognome da nubile di tua madre?", "What is your mother's maiden name?"},
	"q-birth-city":             {"In quale città sei nato o nata?", "In which city were you born?"},
	"q-first-school":           {"Come si chiamava la tua scuola elementare?", "What was your primary school's name?"},
	"q-childhood-friend":       {"Come si chiamava il tuo migliore amico d'infanzia?", "What was your best childhood friend's name?"},
	"q-first-car":              {"Qual è stata la tua prima auto?", "What was your first car?"},
	"q-favourite-teacher":      {"Come si chiamava il tuo insegnante preferito?", "What was your favourite teacher's name?"},
	"q-father-middle-name":     {"Qual è il secondo nome di tuo padre?", "What is your father's middle name?"},
	"q-first-job-city":         {"In quale città hai avuto il primo lavoro?", "In which city was your first job?"},
	"q-childhood-street":       {"In quale via abitavi durante l'infanzia?", "On which street did you live as a child?"},
	"q-oldest-cousin":          {"Come si chiama il tuo cugino più grande?", "What is your oldest cousin's name?"},
	"q-wedding-city":           {"In quale città si è svolto il tuo matrimonio?", "In which city did you marry?"},
	"q-first-concert":          {"Qual è stato il tuo primo concerto?", "What was your first concert?"},
	"q-grandmother-first-name": {"Qual è il nome di tua nonna?", "What is your grandmother's first name?"},
}
