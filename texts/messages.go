package texts

// text is one message in each language.
type text struct{ it, en string }

// messages holds every text in Italian and English. Format verbs (%s, %d)
// must match between the two: TestComplete checks.
var messages = map[ID]text{
	Ok:           {"Ok", "Ok"},
	Cancel:       {"Annulla", "Cancel"},
	Back:         {"Indietro", "Back"},
	Yes:          {"Sì", "Yes"},
	No:           {"No", "No"},
	Later:        {"Più tardi", "Later"},
	Remove:       {"Rimuovi", "Remove"},
	Finish:       {"Fine", "Finish"},
	Working:      {"Verifica in corso…", "Please wait…"},
	KeyBackspace: {"Backspace", "Backspace"},
	KeyShift:     {"Maiusc", "Shift"},
	KeySymbols:   {"#+=", "#+="},
	KeyLetters:   {"abc", "abc"},
	KeySpace:     {"Spazio", "Space"},

	User:             {"Nome utente", "User name"},
	Password:         {"Password", "Password"},
	NewPassword:      {"Nuova password", "New password"},
	ConfirmPassword:  {"Conferma password", "Confirm password"},
	CurrentPassword:  {"Password attuale", "Current password"},
	Strength:         {"Sicurezza:", "Strength:"},
	StrengthEmpty:    {"Almeno 8 caratteri, con almeno due tipi tra minuscole, maiuscole, cifre e simboli.", "At least 8 characters, with at least two kinds of lower case, upper case, digits and symbols."},
	StrengthRisky:    {"Rischiosa", "Risky"},
	StrengthWeak:     {"Debole", "Weak"},
	StrengthMedium:   {"Media", "Medium"},
	StrengthStrong:   {"Forte", "Strong"},
	PasswordEmpty:    {"Inserire la password.", "Type the password."},
	PasswordMismatch: {"Le due password non coincidono: digitarle di nuovo.", "The two passwords differ: type them again."},

	TitleActivation: {"Attivazione", "Activation"},
	ActivationIntro: {"Registratore %s non attivato. Creare la password dell'amministratore (utente admin): servirà per accedere al registratore.", "Recorder %s is not activated. Create the administrator's password (user admin): you will need it to use the recorder."},
	PasswordSet:     {"Password impostata.", "Password set."},
	TitleSetup:      {"Metodi di ripristino", "Recovery methods"},
	SetupIntro:      {"Impostare ora almeno un metodo per ripristinare la password se verrà dimenticata. Ogni metodo si può saltare e impostare più tardi.", "Set up at least one way to reset the password should it be forgotten. You may skip any method and set it up later."},
	NoMethodWarning: {"Nessun metodo di ripristino è impostato. Se la password verrà dimenticata, solo un reset di fabbrica potrà sbloccare il registratore.", "No recovery method is set up. If the password is forgotten, only a factory reset will unlock the recorder."},
	SetUpNow:        {"Imposta ora", "Set up now"},
	ContinueAnyway:  {"Continua comunque", "Continue anyway"},
	Activated:       {"Registratore attivato.", "Recorder activated."},

	TitleLogin: {"Accesso", "Login"},
	TitleFault: {"Ripristino password non disponibile", "Password recovery unavailable"},
	FaultState: {"I dati della password e dei metodi di ripristino di questo registratore sono danneggiati o illeggibili. Il menu non può verificare alcuna password e non ha modificato nulla. Rivolgersi all'installatore o all'assistenza del produttore: il file va ripristinato da un backup.",
		"The password and recovery data of this recorder are damaged or unreadable. The menu cannot check any password and has changed nothing. Call the installer or the vendor's support: the file must be restored from a backup."},
	FaultDetail: {"File: %s", "File: %s"},
	FaultFolder: {"Cartella: %s", "Folder: %s"},
	FaultPrev: {"Accanto c'è la versione precedente, %s: per tornarvi, copiarla al posto del file e riavviare il servizio. Torna anche ciò che conteneva, compresi una password e un file GUID non più validi.",
		"The previous version is beside it, %s: to go back to it, copy it over the file and restart the service. What it held comes back too, including a password and a GUID file no longer valid."},
	FaultLocked: {"Un altro programma del menu sta già usando i dati di ripristino di questo registratore. Questo menu non modifica nulla e partirà da solo quando l'altro terminerà. Se succede sempre, il servizio è avviato due volte: rivolgersi all'installatore.",
		"Another menu program is already using this recorder's recovery data. This menu changes nothing and starts by itself when the other one ends. If it always happens, the service is started twice: call the installer."},
	FaultHolder: {"Processo %d, terminale %s", "Process %d, terminal %s"},
	FaultStateDir: {"La cartella dei dati di ripristino di questo registratore manca o non si può usare: forse la memoria che la contiene non è montata, o il registratore non è mai stato preparato. Il menu non ha creato né modificato nulla e partirà da solo appena la cartella ci sarà. Rivolgersi all'installatore.",
		"This recorder's recovery data folder is missing or unusable: the storage holding it may not be mounted, or the recorder was never prepared. The menu has created and changed nothing, and starts by itself as soon as the folder is there. Call the installer."},
	FaultFix:       {"Per l'installatore: %s", "For the installer: %s"},
	DeviceSerial:   {"Registratore %s", "Recorder %s"},
	Login:          {"Accedi", "Log in"},
	ForgotPassword: {"Password Dimenticata", "Forgot Password"},
	ForgotIntro:    {"Scegliere come dimostrare di essere il proprietario. I metodi non impostati sono indicati ma non selezionabili.", "Choose how to prove you are the owner. Methods not set up are listed but cannot be chosen."},

	MethodEmail:       {"Verifica tramite e-mail di recupero", "Verify by recovery e-mail"},
	MethodGUID:        {"Verifica mediante GUID", "Verify by GUID file"},
	MethodQuestions:   {"Verifica mediante domande di sicurezza", "Verify by security questions"},
	MethodReady:       {"Disponibile", "Available"},
	MethodEmailReady:  {"Il codice arriverà a %s", "The code goes to %s"},
	MethodNotSetUp:    {"Non impostato: si imposta dopo l'accesso", "Not set up: set it up after logging in"},
	MethodExpiredGUID: {"File GUID scaduto: esportarne uno nuovo dopo l'accesso", "GUID file expired: export a new one after logging in"},
	MethodUnavailable: {"Non disponibile su questo registratore", "Not offered on this recorder"},

	EmailCodeGoesTo: {"Il codice di verifica arriverà all'e-mail di recupero %s.", "The verification code will be sent to the recovery e-mail %s."},
	EmailSendQRTo:   {"Inquadrare il codice QR con la fotocamera del telefono, oppure esportarlo e inviarlo come allegato a %s.", "Scan the QR code with your phone's camera, or export it and mail it as an attachment to %s."},
	// Without recovery.app_url the QR holds text a phone camera cannot act
	// on: it is photographed, or exported, and mailed (journey.WordsForQR).
	EmailSendQRPhotoTo: {"Fotografare il codice QR con il telefono e inviare la foto, oppure esportarlo e inviare il file, come allegato a %s.", "Photograph the QR code with your phone and mail the photo, or export it and mail the file, as an attachment to %s."},
	EmailWays:          {"Esportazione: salva il codice QR su una chiavetta USB, da inviare per e-mail. App Scan QR: mostra il codice QR da inquadrare con la fotocamera del telefono.", "Export: saves the QR code to a USB stick, to send by e-mail. App Scan QR: shows the QR code to scan with your phone's camera."},
	EmailWaysPhoto:     {"Esportazione: salva il codice QR su una chiavetta USB, da inviare per e-mail. App Scan QR: mostra il codice QR da fotografare con il telefono e inviare per e-mail.", "Export: saves the QR code to a USB stick, to send by e-mail. App Scan QR: shows the QR code to photograph with your phone and send by e-mail."},
	Export:             {"Esportazione", "Export"},
	AppScanQR:          {"App Scan QR", "App Scan QR"},
	EnterCode:          {"Inserire il codice di verifica", "Enter the verification code"},
	NewCode:            {"Nuovo codice QR", "New QR code"},
	NewCodeConfirm:     {"Creare un nuovo codice QR? Il codice di verifica precedente non sarà più valido.", "Make a new QR code? The previous verification code will stop working."},
	QRTooSmall:         {"Schermo troppo piccolo per il codice QR: usare Esportazione per salvarlo su una chiavetta.", "Screen too small for the QR code: use Export to save it to a stick."},
	QRExported:         {"Codice QR salvato come %s sulla chiavetta %s. Inviarlo come allegato a %s.", "QR code saved as %s on stick %s. Mail it as an attachment to %s."},

	PickStick:     {"Scegliere la chiavetta", "Choose the stick"},
	NoStick:       {"Nessuna chiavetta inserita", "No stick inserted"},
	OnStick:       {"sulla chiavetta %s", "on stick %s"},
	ReadingSticks: {"Lettura delle chiavette…", "Reading the sticks…"},

	GUIDIntro:        {"File GUID sulle chiavette inserite. Selezionare quello del registratore e premere Importa.", "GUID files on the inserted sticks. Select this recorder's file and press Import."},
	GUIDChoose:       {"I file di questo registratore sono in cima.", "This recorder's files are at the top."},
	GUIDNoFiles:      {"Nessun file GUID sulle chiavette inserite.", "No GUID file on the inserted sticks."},
	GUIDPickFile:     {"Selezionare un file GUID.", "Select a GUID file."},
	GUIDOtherDevice:  {"(altro registratore)", "(another recorder)"},
	GUIDCurrent:      {"(file attuale)", "(current file)"},
	GUIDExpiredOn:    {"(scaduto il %s)", "(expired on %s)"},
	SizeGB:           {"%s GB", "%s GB"},
	SizeMB:           {"%s MB", "%s MB"},
	GUIDNotAGUIDFile: {"Il file è troppo grande per essere un file GUID.", "The file is too large to be a GUID file."},
	Import:           {"Importa", "Import"},

	QuestionsIntro: {"Rispondere alle domande di sicurezza impostate in precedenza.", "Answer the security questions set up earlier."},
	AnswerN:        {"Risposta %d", "Answer %d"},
	QuestionN:      {"Domanda %d", "Question %d"},
	QuestionLine:   {"Domanda %d: %s", "Question %d: %s"},
	ShowAnswers:    {"Mostra le risposte", "Show the answers"},

	TitleNewPassword: {"Nuova password", "New password"},
	NewPasswordIntro: {"Verifica riuscita. Impostare e confermare la nuova password dell'amministratore.", "Verified. Set and confirm the administrator's new password."},
	AbandonReset:     {"Abbandonare il ripristino? La verifica andrà ripetuta.", "Give up the reset? You will have to verify again."},
	TitleResetDone:   {"Password ripristinata", "Password reset"},
	ResetDone:        {"La nuova password è stata salvata.", "The new password has been saved."},
	ExportNow:        {"Esporta ora", "Export now"},
	LoginWithNew:     {"Accedere con la nuova password.", "Log in with the new password."},

	TitleAccount:    {"Account admin", "Admin account"},
	AccountIntro:    {"Metodi di ripristino della password e loro stato.", "Password recovery methods and their state."},
	SetGUID:         {"Esporta file GUID", "Export GUID file"},
	SetQuestions:    {"Domande di sicurezza", "Security questions"},
	SetEmail:        {"E-mail di recupero", "Recovery e-mail"},
	ChangePassword:  {"Cambia password", "Change password"},
	Logout:          {"Esci", "Log out"},
	StateSetUp:      {"Impostato", "Set up"},
	StateSetUpEmail: {"Impostato: %s", "Set up: %s"},
	StateExpired:    {"Scaduto", "Expired"},
	StateNotSetUp:   {"Non impostato", "Not set up"},

	TitleGUIDExport:      {"Esporta file GUID", "Export GUID file"},
	GUIDExportIntro:      {"Inserire una chiavetta USB e premere Esportazione. Il nuovo file GUID sostituisce il precedente solo quando è salvato sulla chiavetta. Conservare la chiavetta in un luogo sicuro.", "Plug in a USB stick and press Export. The new GUID file replaces the old one only once it is saved on the stick. Keep the stick somewhere safe."},
	GUIDExported:         {"File GUID salvato sulla chiavetta %s.", "GUID file saved on stick %s."},
	SetQuestionsIntro:    {"Scegliere tre domande diverse e rispondere. Maiuscole/minuscole e spazi in più non contano; gli accenti sì.", "Pick three different questions and answer them. Case and extra spaces do not matter; accents do."},
	QuestionsSaved:       {"Domande di sicurezza salvate.", "Security questions saved."},
	SetEmailIntro:        {"E-mail di recupero: il produttore vi invierà il codice di verifica.", "Recovery e-mail: the vendor will mail the verification code there."},
	EmailAddress:         {"Indirizzo e-mail", "E-mail address"},
	EmailCurrent:         {"Indirizzo attuale: %s", "Current address: %s"},
	EmailSaved:           {"Indirizzo e-mail di recupero salvato: %s\n\nControllare che sia giusto: d'ora in poi sarà mostrato solo in parte.", "Recovery e-mail address saved: %s\n\nCheck that it is right: from now on it is shown only in part."},
	EmailConfirm:         {"Conferma e-mail", "Confirm e-mail"},
	EmailMismatch:        {"I due indirizzi non coincidono: digitarli di nuovo.", "The two addresses differ: type them again."},
	Reauth:               {"Per modificare i metodi di ripristino, digitare di nuovo la password dell'amministratore.", "To change the recovery methods, type the administrator's password again."},
	PasswordChanged:      {"Password modificata.", "Password changed."},
	GUIDExpiredOffer:     {"Il file GUID precedente non vale più con la nuova password. Esportare subito un nuovo file GUID?", "The previous GUID file no longer works with the new password. Export a new GUID file now?"},
	GUIDExpiredNotice:    {"Il file GUID precedente non vale più: esportarne uno nuovo dall'account admin.", "The previous GUID file no longer works: export a new one from the admin account."},
	PasswordChangedByWeb: {"Password cambiata dalla pagina web (da %s): accedere con la nuova password.", "Password changed from the web page (from %s): log in with the new password."},
	PasswordChangedByAPI: {"Password cambiata dal programma dell'installatore (da %s): accedere con la nuova password.", "Password changed from the installer's tool (from %s): log in with the new password."},
	ActivatedByWeb:       {"Registratore attivato dalla pagina web, da %s.", "Recorder activated from the web page, from %s."},
	ActivatedByAPI:       {"Registratore attivato dal programma dell'installatore, da %s.", "Recorder activated from the installer's tool, from %s."},
	PasswordSetByWeb:     {"La password attuale è stata impostata dalla pagina web, da %s.", "The current password was set from the web page, from %s."},
	PasswordSetByAPI:     {"La password attuale è stata impostata dal programma dell'installatore, da %s.", "The current password was set from the installer's tool, from %s."},
	IdleLoggedOut:        {"Sessione chiusa per inattività.", "Logged out after inactivity."},
	StickReadOnly:        {"(protetta da scrittura)", "(write-protected)"},
	StickRemoved:         {"La chiavetta %s è stata rimossa: sceglierne una.", "Stick %s was removed: choose one."},
	StickPartial:         {"Chiavetta %s: %s Sono elencati i file trovati prima dell'interruzione.", "Stick %s: %s The files found before it stopped are listed."},
	Unselectable:         {"(non selezionabile)", "(cannot be chosen)"},
	ScreenTooSmall:       {"Schermo troppo piccolo: il menu richiede almeno 80x25 caratteri (ora %dx%d).", "Screen too small: the menu needs at least 80x25 characters (now %dx%d)."},
	TitleBarDevice:       {"%s · N. di serie %s", "%s · Serial %s"},
	TitleBarSerial:       {"Registratore · N. di serie %s", "Recorder · Serial %s"},
	KeyArrows:            {"↑↓", "↑↓"},
	KeyEnter:             {"Invio", "Enter"},
	KeyTab:               {"Tab", "Tab"},
	KeyEsc:               {"Esc", "Esc"},
	KeyF2:                {"F2", "F2"},
	KeyMouse:             {"Mouse", "Mouse"},
	DoChoose:             {"scegli", "choose"},
	DoOpen:               {"apri", "open"},
	DoNext:               {"campo successivo", "next field"},
	DoConfirm:            {"conferma", "confirm"},
	DoBack:               {"indietro", "back"},
	DoKeyboard:           {"tastiera sullo schermo", "on-screen keyboard"},
	DoClick:              {"clic per scegliere", "click to choose"},
	DemoHelp:             {" F1: aiuto della demo ", " F1: demo help "},
	DemoHelpTitle:        {"Aiuto della demo", "Demo help"},

	LockedFor:       {"Troppi tentativi falliti: bloccato per %s.", "Too many failed tries: locked for %s."},
	LockedGlobal:    {"Troppi tentativi nell'ultima ora: riprovare tra %s.", "Too many tries in the last hour: try again in %s."},
	LessThanAMinute: {"meno di un minuto", "less than a minute"},
	Minutes:         {"%d min", "%d min"},
	TriesLeft:       {"Tentativi rimasti: %d.", "Tries left: %d."},
	NowLocked:       {"Bloccato per %s.", "Locked for %s."},
	PasswordRefused: {"Password non accettata:", "Password not accepted:"},

	ErrUnexpected:           {"Operazione non riuscita. Riprovare; se succede ancora, rivolgersi all'installatore.", "The operation failed. Try again; if it happens again, call your installer."},
	ErrWrongLogin:           {"Nome utente o password errati.", "Wrong user name or password."},
	ErrPasswordTooShort:     {"La password dell'amministratore ha almeno 8 caratteri: questa non è stata verificata né contata.", "The administrator's password has at least 8 characters: this one was neither checked nor counted."},
	ErrSessionEnded:         {"Sessione terminata: accedere di nuovo.", "Session ended: log in again."},
	ErrNotSetUp:             {"Metodo di ripristino non impostato: si imposta dopo l'accesso.", "Recovery method not set up: set it up after logging in."},
	ErrUnavailable:          {"Metodo di ripristino non disponibile su questo registratore.", "Recovery method not offered on this recorder."},
	ErrTicket:               {"Verifica non più valida: ripetere il ripristino.", "Verification no longer valid: start the reset again."},
	ErrNotActivated:         {"Registratore non attivato.", "Recorder not activated."},
	ErrActivated:            {"Registratore già attivato.", "Recorder already activated."},
	ErrGUIDMalformed:        {"Il file non è un file GUID di questo prodotto.", "The file is not a GUID file of this product."},
	ErrGUIDOther:            {"Il file GUID appartiene a un altro registratore.", "The GUID file belongs to another recorder."},
	ErrGUIDExpired:          {"Il file GUID è scaduto: è già stato usato, sostituito da uno più recente o la password è stata cambiata dopo l'esportazione. Esportarne uno nuovo dopo l'accesso.", "The GUID file has expired: it was used, replaced by a newer one, or the password was changed after it was exported. Export a new one after logging in."},
	ErrGUIDExpiredReplaced:  {"File GUID scaduto il %s: sostituito da uno più recente. Usare il file più recente, o un altro metodo di ripristino.", "GUID file expired on %s: replaced by a newer one. Use the newer file, or another recovery method."},
	ErrGUIDExpiredPassword:  {"File GUID scaduto il %s, quando la password è stata cambiata. Usare un altro metodo di ripristino; dopo l'accesso, esportare un nuovo file GUID.", "GUID file expired on %s, when the password was changed. Use another recovery method; after logging in, export a new GUID file."},
	ErrGUIDWrong:            {"Il file GUID non è valido per questo registratore.", "The GUID file is not valid for this recorder."},
	ErrNoValidGUID:          {"Nessun file GUID valido per questo registratore: usare un altro metodo di ripristino.", "No valid GUID file for this recorder: use another recovery method."},
	ErrWrongAnswers:         {"Le risposte non corrispondono.", "The answers do not match."},
	ErrAnswersMissing:       {"Rispondere a tutte e tre le domande.", "Answer all three questions."},
	ErrAnswerTooShort:       {"Risposta %d troppo corta: almeno 2 caratteri.", "Answer %d too short: at least 2 characters."},
	ErrAnswerTooLong:        {"Risposta %d troppo lunga: al massimo 128 caratteri.", "Answer %d too long: at most 128 characters."},
	ErrQuestionChoice:       {"Scegliere tre domande diverse.", "Pick three different questions."},
	ErrQuestionPick:         {"Domanda %d: scegliere tre domande diverse dell'elenco.", "Question %d: pick three different questions from the list."},
	ErrInvalidEmail:         {"Indirizzo e-mail non valido.", "Not a valid e-mail address."},
	ErrEmailEmpty:           {"Inserire l'indirizzo e-mail.", "Type the e-mail address."},
	ErrEmailLocal:           {"Indirizzo e-mail non valido: prima della @ solo lettere senza accenti, cifre e . _ % + - (un punto mai all'inizio, alla fine o doppio).", "Not a valid e-mail address: before the @ only letters, digits and . _ % + - (a dot never first, last or twice in a row)."},
	ErrEmailDomain:          {"Indirizzo e-mail non valido: dopo la @ serve un dominio come esempio.it, fatto di lettere senza accenti, cifre e trattini separati da punti.", "Not a valid e-mail address: after the @ it needs a domain such as example.com, made of letters, digits and hyphens between dots."},
	ErrEmailTLD:             {"Indirizzo e-mail non valido: il dominio deve finire con almeno due lettere dopo l'ultimo punto, come .it o .com.", "Not a valid e-mail address: the domain must end in at least two letters after the last dot, such as .it or .com."},
	ErrNoChallenge:          {"Nessun codice in attesa: esportare o mostrare prima il codice QR.", "No code pending: export or show the QR code first."},
	ErrCodeExpired:          {"Codice di verifica scaduto: creare un nuovo codice QR.", "Verification code expired: make a new QR code."},
	ErrCodeMalformed:        {"Il codice di verifica ha 8 lettere e cifre.", "The verification code has 8 letters and digits."},
	ErrWrongCode:            {"Codice di verifica errato.", "Wrong verification code."},
	ErrReauth:               {"Digitare di nuovo la password.", "Type the password again."},
	ErrClosed:               {"Il servizio si sta chiudendo.", "The service is shutting down."},
	ErrStickGone:            {"Chiavetta rimossa o illeggibile: reinserirla e riprovare.", "Stick removed or unreadable: insert it again and retry."},
	ErrStickReadOnly:        {"La chiavetta è protetta da scrittura.", "The stick is write-protected."},
	ErrStickFull:            {"La chiavetta è piena.", "The stick is full."},
	ErrFileExists:           {"Il file è già presente sulla chiavetta.", "The file is already on the stick."},
	ErrBadName:              {"Nome di file non ammesso.", "File name not allowed."},
	ErrTooManyEntries:       {"Troppi file sulla chiavetta: usarne una con meno file.", "Too many files on the stick: use one with fewer files."},
	ErrBusy:                 {"Il registratore sta verificando altre richieste: riprovare tra qualche secondo.", "The recorder is checking other requests: try again in a few seconds."},
	ErrThrottled:            {"Troppe richieste in poco tempo: riprovare tra %s.", "Too many requests in a short time: try again in %s."},
	ErrActivationClosed:     {"L'attivazione da rete è disattivata: attivare il registratore dal suo monitor.", "Activation over the network is turned off: activate the recorder at its monitor."},
	ErrActivationWindowOver: {"L'attivazione da rete è possibile solo nei primi minuti dopo l'accensione del registratore: spegnerlo e riaccenderlo, poi attivarlo subito, oppure attivarlo dal suo monitor.", "Activation over the network is possible only in the first minutes after the recorder is switched on: switch it off and on again and activate it straight away, or activate it at its monitor."},
	ErrExportStale:          {"Questo file GUID è stato sostituito o già confermato: esportarne uno nuovo.", "This GUID file was replaced or already confirmed: export a new one."},
	ErrListTimeout:          {"Chiavetta troppo lenta da leggere.", "The stick is too slow to read."},

	ReasonTooShort:     {"almeno 8 caratteri", "at least 8 characters"},
	ReasonTooLong:      {"troppo lunga", "too long"},
	ReasonNotASCII:     {"solo lettere senza accenti, cifre e simboli", "only unaccented letters, digits and symbols"},
	ReasonFewClasses:   {"almeno due tra minuscole, maiuscole, cifre e simboli", "at least two of lower case, upper case, digits and symbols"},
	ReasonUser:         {"non deve contenere il nome utente", "must not contain the user name"},
	ReasonUserReversed: {"non deve contenere il nome utente al contrario", "must not contain the user name reversed"},
	ReasonAdmin:        {"non deve contenere \"admin\"", "must not contain \"admin\""},
	ReasonSequence:     {"niente sequenze come 1234 o abcd", "no sequences like 1234 or abcd"},
	ReasonRepetition:   {"niente caratteri ripetuti come aaaa", "no repeated characters like aaaa"},
	ReasonCommon:       {"è una password troppo comune", "it is a very common password"},

	WebForgotPassword:   {"Password dimenticata", "Forgot password"},
	WebForgotIntro:      {"Scegliere come dimostrare di essere il proprietario. I metodi di ripristino che non si possono usare ora sono indicati con il motivo.", "Choose how to prove you are the owner. The recovery methods that cannot be used now are listed with the reason."},
	WebVerifyMode:       {"Modalità di verifica", "Verification mode"},
	WebBrowse:           {"Sfoglia", "Browse"},
	WebGUIDFileHint:     {"Il file GUID esportato da questo registratore (estensione .nvrguid).", "The GUID file exported from this recorder (extension .nvrguid)."},
	WebNext:             {"Avanti", "Next"},
	WebExportQR:         {"Esporta il codice QR", "Export the QR code"},
	WebAppScanQR:        {"Mostra il codice QR da inquadrare con il telefono", "Show the QR code to scan with a phone"},
	WebAppScanQRPhoto:   {"Mostra il codice QR da fotografare con il telefono", "Show the QR code to photograph with a phone"},
	WebQRAlt:            {"Codice QR da inquadrare con la fotocamera del telefono", "QR code to scan with your phone's camera"},
	WebQRAltPhoto:       {"Codice QR da fotografare e inviare per e-mail", "QR code to photograph and send by e-mail"},
	WebQROpenLink:       {"Su questo telefono? Aprire la pagina di recupero del produttore", "On this phone? Open the vendor's recovery page"},
	WebVerificationCode: {"Codice di verifica", "Verification code"},
	WebCodeTriesLeft:    {"Tentativi rimasti per questo codice: %d.", "Tries left for this code: %d."},
	WebChooseMethod:     {"Scegliere un metodo di ripristino.", "Choose a recovery method."},
	WebLanguage:         {"Lingua", "Language"},
	WebActivateHere:     {"Registratore %s non attivato. Creare qui la password dell'amministratore (utente admin). L'attivazione dalla pagina web viene registrata e il monitor del registratore la segnala.", "Recorder %s is not activated. Create the administrator's password (user admin) here. An activation from the web page is logged, and the recorder's monitor says so."},
	WebNotActivated:     {"Registratore %s non attivato.", "Recorder %s is not activated."},
	WebGUIDDownload:     {"Scarica il file GUID", "Download the GUID file"},
	WebGUIDSaved:        {"Ho salvato il file", "I have saved the file"},
	WebGUIDExportIntro:  {"Scaricare il nuovo file GUID e conservarlo in un luogo sicuro, per esempio su una chiavetta USB. Il file precedente resta valido finché non si preme «Ho salvato il file».", "Download the new GUID file and keep it somewhere safe, such as a USB stick. The previous file keeps working until you press \"I have saved the file\"."},
	WebGUIDConfirmed:    {"Nuovo file GUID registrato: il file precedente non vale più.", "New GUID file registered: the previous file no longer works."},
	WebEmailConfirm:     {"Conferma indirizzo e-mail", "Confirm e-mail address"},
	WebEmailMismatch:    {"I due indirizzi non coincidono: digitarli di nuovo.", "The two addresses differ: type them again."},
	WebEmailCleared:     {"E-mail di recupero rimossa.", "Recovery e-mail removed."},
	WebQuestionsCleared: {"Domande di sicurezza rimosse.", "Security questions removed."},
	WebReauthDone:       {"Password confermata: ripetere l'operazione.", "Password confirmed: do it again now."},
	WebLoggedOut:        {"Disconnesso.", "Logged out."},
	WebStartAgain:       {"Ricominciare la verifica", "Start the verification again"},
	WebStrengthNoScript: {"La sicurezza della password viene valutata all'invio.", "The password's strength is rated when you send it."},
	WebCertFingerprint:  {"Certificato della pagina web (SHA-256): %s", "Web page certificate (SHA-256): %s"},
	WebDoorAddresses:    {"Pagina web del registratore: %s", "The recorder's web page: %s"},
	WebBadRequest:       {"Richiesta non valida.", "Bad request."},
	WebTooLarge:         {"Richiesta troppo grande.", "Request too large."},
	WebNotFound:         {"Pagina non trovata.", "Page not found."},
	WebMethodNotAllowed: {"Operazione non ammessa su questo indirizzo.", "Method not allowed here."},
	WebCrossOrigin:      {"Richiesta rifiutata: proviene da un altro sito.", "Request refused: it comes from another site."},
	WebNoClientAddress:  {"Indirizzo del client sconosciuto.", "Client address unknown."},
	WebChooseModeButton: {"Scegli questo metodo", "Choose this method"},
	WebExportGUID:       {"Esporta un file GUID", "Export a GUID file"},
	WebExportNewGUID:    {"Esporta un nuovo file GUID", "Export a new GUID file"},
	WebSetUpQuestions:   {"Imposta le domande", "Set up the questions"},
	WebChangeQuestions:  {"Modifica le domande", "Change the questions"},
	WebSaveQuestions:    {"Salva le domande", "Save the questions"},
	WebRemoveQuestions:  {"Rimuovi le domande", "Remove the questions"},
	WebSetUpEmail:       {"Imposta l'e-mail", "Set up the e-mail"},
	WebChangeEmail:      {"Modifica l'e-mail", "Change the e-mail"},
	WebSaveEmail:        {"Salva l'indirizzo", "Save the address"},
	WebRemoveEmail:      {"Rimuovi l'indirizzo", "Remove the address"},
	WebReauthConfirm:    {"Conferma la password", "Confirm the password"},

	SadpUsage: {`uso: nvr-sadp COMANDO [opzioni]

  list [-t DURATA] [-json | -csv] [-i INTERFACCIA]...
      Interroga ogni interfaccia (o quelle indicate) con la ricerca SADP ed
      elenca i dispositivi che rispondono entro DURATA (3s): numero di
      serie, modello, IP, MAC, firmware, attivato, metodi di ripristino
      impostati, bloccato. I dispositivi che non annunciano la pagina web
      di nvrmenu sono in sola lettura.

  activate DISPOSITIVO   imposta la password dell'amministratore di un
                         registratore nuovo
  forgot DISPOSITIVO     ripristina una password dimenticata: con il file
                         GUID (-guid FILE), le domande di sicurezza o
                         l'e-mail di recupero (-export-qr FILE.png, o il
                         codice QR disegnato qui), poi la nuova password
  setup DISPOSITIVO      dopo l'accesso: le domande di sicurezza
                         (-questions ID,ID,ID), l'e-mail di recupero
                         (-email INDIRIZZO), un file GUID (-guid-out FILE)
  export-guid DISPOSITIVO -o FILE [-f]
                         dopo l'accesso: un nuovo file GUID, scritto in
                         modo sicuro; il vecchio vale finché il nuovo non
                         è salvato
  forget SERIE           dimentica il certificato memorizzato di un
                         registratore
  version

  DISPOSITIVO è un numero di serie (maiuscole e minuscole sono uguali), un
  indirizzo IPv4 o un MAC, trovato con la ricerca (-t, -i). Tutto passa
  per la pagina web del registratore (HTTPS). L'impronta SHA-256 del suo
  certificato viene memorizzata per numero di serie al primo uso, nella
  cartella di configurazione dell'utente (nvr-sadp/known_recorders, come
  known_hosts di ssh): confrontarla con il monitor del registratore; poi
  un altro certificato viene rifiutato (-accept-new-fingerprint, o
  nvr-sadp forget SERIE, dopo il confronto). Senza terminale il primo uso
  è rifiutato (uscita 2) se non si indica -expect-fingerprint SHA256
  (letto sul monitor) o -trust-first-use (si fida di chi risponde).

  Password e risposte si leggono dal terminale senza eco; il codice
  dell'e-mail e le scelte si vedono mentre si digitano (il codice vale una
  volta sola). Oppure da -password-file, -answers-file, -code-file, o con
  -stdin uno per riga dallo standard input: mai dalla riga di comando. Al
  terminale, password, risposte o codice errati si chiedono di nuovo
  finché il registratore concede tentativi. Un file da scrivere (-o,
  -guid-out, -export-qr: un FILE, o una CARTELLA/ creata se manca)
  sostituisce un file esistente solo con -f o dopo un sì al terminale.
  -lang it|en (in mancanza, da LANG, altrimenti it). Le opzioni di ogni
  comando: nvr-sadp COMANDO -h.

  Codici di uscita: 0 fatto, 1 errore di rete, 2 uso errato, 3 dispositivo
  non trovato (o più di uno), 4 dispositivo in sola lettura, 5 metodo non
  offerto o non impostato, 6 bloccato (con il tempo rimasto), 7 prova
  errata (con i tentativi rimasti), 8 certificato diverso, 9 rifiutato per
  altro (password debole, già attivato, ...), 10 interrotto o annullato,
  11 errore di un file locale.`,
		`usage: nvr-sadp COMMAND [flags]

  list [-t DURATION] [-json | -csv] [-i IFACE]...
      Probe every interface (or those named) with SADP discovery and list
      the devices that answer within DURATION (default 3s): serial, model,
      IP, MAC, firmware, activated, recovery methods set up, locked.
      Devices that announce no nvrmenu web page are marked read-only.

  activate DEVICE      set the new recorder's administrator's password
  forgot DEVICE        reset a forgotten password: by GUID file
                       (-guid FILE), security questions, or recovery
                       e-mail (-export-qr FILE.png, or the QR code drawn
                       here), then the new password
  setup DEVICE         after a login: the security questions (-questions
                       ID,ID,ID), the recovery e-mail (-email ADDRESS), a
                       GUID file (-guid-out FILE)
  export-guid DEVICE -o FILE [-f]
                       after a login: a new GUID file, written safely;
                       the old one works until it is on disk
  forget SERIAL        forget a recorder's pinned certificate
  version

  DEVICE is a serial (in any case), an IPv4 address or a MAC, found by
  discovery (-t, -i). Everything goes over the recorder's web page
  (HTTPS). Its certificate's SHA-256 is pinned by serial at first use, in
  the user's config directory (nvr-sadp/known_recorders, like ssh's
  known_hosts): compare it with the recorder's monitor; afterwards another
  certificate is refused (-accept-new-fingerprint, or nvr-sadp forget
  SERIAL, after comparing). Without a terminal a first use is refused
  (exit 2) unless -expect-fingerprint SHA256 (read off the monitor) or
  -trust-first-use (trust whoever answers) is given.

  Passwords and answers are read at the terminal without echo; the
  e-mail's code and choices are shown as typed (the code works once). Or
  from -password-file, -answers-file, -code-file, or with -stdin one a
  line from standard input: never from the command line. At the terminal,
  a wrong password, answers or code are asked again while the recorder
  allows tries. A file to write (-o, -guid-out, -export-qr: a FILE, or a
  FOLDER/ made if missing) replaces an existing file only with -f or
  after a yes at the terminal. -lang it|en (default from LANG, else it).
  Every command's flags: nvr-sadp COMMAND -h.

  Exit codes: 0 done, 1 network error, 2 usage, 3 device not found (or
  several match), 4 read-only device, 5 method not offered or not set up,
  6 locked (the time left is said), 7 wrong proof (the tries left are
  said), 8 certificate mismatch, 9 refused otherwise (a weak password,
  already activated, ...), 10 interrupted or declined, 11 local file error.`},
	SadpWaiting:                 {"Il registratore chiede di attendere %s: nuovo tentativo tra poco.", "The recorder asks to wait %s: trying again then."},
	SadpWarning:                 {"attenzione:", "warning:"},
	SadpYesKey:                  {"s", "y"},
	SadpNoKey:                   {"n", "n"},
	SadpNeedDevice:              {"indicare il registratore: numero di serie, indirizzo IPv4 o MAC (nvr-sadp list li mostra).", "name the recorder: its serial, IPv4 address or MAC (nvr-sadp list shows them)."},
	SadpNotFound:                {"nessun dispositivo ha risposto come %s: controllare il numero di serie, l'indirizzo o il MAC, e la rete (-i, -t).", "no device answered as %s: check the serial, address or MAC, and the network (-i, -t)."},
	SadpAmbiguous:               {"più dispositivi corrispondono a %s: indicarne il numero di serie.", "several devices match %s: name one by its serial."},
	SadpReadOnly:                {"%s non annuncia la pagina web di nvrmenu: nvr-sadp può solo elencarlo (sola lettura).", "%s announces no nvrmenu web page: nvr-sadp can only list it (read-only)."},
	SadpBadSerial:               {"il numero di serie %q contiene caratteri diversi da A-Z, 0-9 e -: nvr-sadp non può associarvi un certificato, e non agisce su quel dispositivo.", "the serial %q holds characters other than A-Z, 0-9 and -: nvr-sadp cannot pin a certificate to it, and does not act on that device."},
	SadpNetworkError:            {"registratore non raggiungibile: %s", "cannot talk to the recorder: %s"},
	SadpNoInput:                 {"manca il valore %s e non c'è un terminale per chiederlo: usare %s o -stdin.", "no %s given and no terminal to ask for it: use %s or -stdin."},
	SadpInterrupted:             {"interrotto: nulla è stato cambiato dopo l'ultimo passo confermato.", "interrupted: nothing was changed after the last step said done."},
	SadpFileError:               {"file locale: %s", "local file: %s"},
	SadpFileExists:              {"%s esiste già: -f lo sostituisce", "%s already exists: -f replaces it"},
	SadpFingerprintMismatch:     {"il certificato di %s non è quello atteso: non è stato inviato nulla.", "the certificate of %s is not the expected one: nothing was sent."},
	SadpFingerprintPinned:       {"memorizzato:", "pinned:"},
	SadpFingerprintAnnounced:    {"annunciato:", "announced:"},
	SadpFingerprintPresented:    {"presentato:", "presented:"},
	SadpFingerprintHowToAccept:  {"Se il certificato del registratore è stato davvero sostituito, confrontare il nuovo con il suo monitor (Account admin, «Certificato della pagina web») e accettarlo con -accept-new-fingerprint, oppure dimenticare il vecchio con: nvr-sadp forget %s", "If the recorder's certificate really was replaced, compare the new one with its monitor (Admin account, \"Web page certificate\"), then accept it with -accept-new-fingerprint, or forget the old one with: nvr-sadp forget %s"},
	SadpFingerprintRogue:        {"La risposta SADP annunciava un certificato e la pagina web ne ha presentato un altro: qualcuno risponde al posto del registratore.", "The SADP answer announced one certificate and the web page presented another: someone is answering in the recorder's place."},
	SadpFingerprintTwoAnswers:   {"Sulla rete due risposte annunciano certificati diversi per lo stesso registratore: una è falsa. Leggere il certificato sul monitor del registratore e indicarlo con -expect-fingerprint.", "Two answers on the LAN announce different certificates for the same recorder: one is false. Read the certificate off the recorder's monitor and give it with -expect-fingerprint."},
	SadpOtherAnswer:             {"anche %s risponde come %s, con un altro certificato (%s): ignorato.", "%s answers as %s too, with another certificate (%s): ignored."},
	SadpRecorder:                {"Registratore %s (%s), pagina web %s", "Recorder %s (%s), web page %s"},
	SadpFirstUse:                {"Primo collegamento a %s: il suo certificato viene memorizzato, e d'ora in poi solo questo sarà accettato.", "First contact with %s: its certificate is pinned, and from now on only this one is accepted."},
	SadpFirstUseUnconfirmed:     {"primo collegamento a %s e nessun terminale per confermarne il certificato: non è stato inviato nulla.", "first contact with %s and no terminal to confirm its certificate: nothing was sent."},
	SadpFirstUseHowTo:           {"Confrontare il certificato con il monitor del registratore (Account admin, «Certificato della pagina web») e indicarlo con -expect-fingerprint; oppure, solo se nessun altro può rispondere al suo posto sulla rete, usare -trust-first-use.", "Compare the certificate with the recorder's monitor (Admin account, \"Web page certificate\") and give it with -expect-fingerprint; or, only if nobody else on the LAN can answer in its place, pass -trust-first-use."},
	SadpReplacingPin:            {"Il certificato memorizzato di %s (%s) viene sostituito da quello nuovo:", "The pinned certificate of %s (%s) is replaced by the new one:"},
	SadpCompareFingerprint:      {"Confrontarlo con il monitor del registratore (Account admin, «Certificato della pagina web») o con nvr-menud -fingerprint.", "Compare it with the recorder's monitor (Admin account, \"Web page certificate\") or nvr-menud -fingerprint."},
	SadpSameFingerprint:         {"È lo stesso?", "Is it the same?"},
	SadpPinned:                  {"Memorizzato in %s.", "Pinned in %s."},
	SadpPasswordRule:            {"Da %d a %d caratteri, con almeno due tipi tra minuscole, maiuscole, cifre e simboli. La password non viene mostrata mentre la si digita.", "%d to %d characters, with at least two kinds of lower case, upper case, digits and symbols. The password is not shown as you type it."},
	SadpSetupNext:               {"Impostare ora i metodi di ripristino: nvr-sadp setup %s", "Set up the recovery methods now: nvr-sadp setup %s"},
	SadpNoMethod:                {"Nessun metodo di ripristino è impostato su questo registratore: resta solo il ripristino di fabbrica.", "No recovery method is set up on this recorder: only a factory reset is left."},
	SadpPickMethod:              {"Scegliere il metodo di ripristino (1-%d):", "Choose the recovery method (1-%d):"},
	SadpGUIDFilePrompt:          {"File GUID (.nvrguid):", "GUID file (.nvrguid):"},
	SadpQRSaved:                 {"Codice QR salvato in %s: inviarlo come allegato a %s.", "QR code saved in %s: mail it as an attachment to %s."},
	SadpCodeExpires:             {"Il codice vale fino al %s.", "The code is valid until %s."},
	SadpExportLater:             {"Esportare un nuovo file GUID più tardi con: nvr-sadp export-guid %s -o FILE", "Export a new GUID file later with: nvr-sadp export-guid %s -o FILE"},
	SadpLoginPrompt:             {"Password dell'utente %s:", "Password of user %s:"},
	SadpSetQuestionsNow:         {"Impostare le domande di sicurezza?", "Set the security questions?"},
	SadpPickQuestions:           {"Numeri di tre domande diverse (per esempio 3 9 14):", "Numbers of three different questions (for example 3 9 14):"},
	SadpTypeAgain:               {"Di nuovo, per conferma:", "Again, to confirm:"},
	SadpAnswersDiffer:           {"Le due risposte non coincidono: digitarle di nuovo.", "The two answers differ: type them again."},
	SadpEmailPrompt:             {"E-mail di recupero (vuoto: lasciarla com'è):", "Recovery e-mail (empty: leave it as it is):"},
	SadpGUIDOutPrompt:           {"Dove salvare il file GUID? (Invio: %s)", "Where to save the GUID file? (Enter: %s)"},
	SadpGUIDSaved:               {"File GUID salvato in %s. Conservarlo in un luogo sicuro, lontano dal registratore.", "GUID file saved in %s. Keep it somewhere safe, away from the recorder."},
	SadpGUIDNotConfirmed:        {"Il file GUID non è stato salvato: il file precedente resta valido.", "The GUID file was not saved: the previous file still works."},
	SadpGUIDWrittenNotConfirmed: {"Il file %s è scritto ma il registratore non l'ha registrato: il file precedente resta valido; ripetere l'esportazione.", "The file %s is written but the recorder did not register it: the previous file still works; export again."},
	SadpForgotten:               {"Certificato di %s dimenticato (%s): il prossimo collegamento memorizzerà quello che il registratore presenta. Confrontarlo con il suo monitor.", "Forgot the certificate of %s (%s): the next use pins the one the recorder then presents. Compare it with its monitor."},
	SadpNotPinned:               {"Nessun certificato memorizzato per %s in %s.", "No certificate pinned for %s in %s."},

	SadpVersion:               {"nvr-sadp %s (commit %s, compilato il %s)", "nvr-sadp %s (commit %s, built %s)"},
	SadpUnknownCommand:        {"comando sconosciuto %q: list, forgot, activate, setup, export-guid o forget (oppure help)", "unknown command %q: want list, forgot, activate, setup, export-guid or forget (or help)"},
	SadpCmdUsage:              {"uso: nvr-sadp %s [opzioni]", "usage: nvr-sadp %s [flags]"},
	SadpDeviceArg:             {"DISPOSITIVO", "DEVICE"},
	SadpSerialArg:             {"SERIE", "SERIAL"},
	SadpSeeHelp:               {"(le opzioni: nvr-sadp %s -h)", "(the flags: nvr-sadp %s -h)"},
	SadpFlagUnknown:           {"opzione sconosciuta %s", "unknown flag %s"},
	SadpFlagNoValue:           {"manca il valore dell'opzione %s", "flag %s needs a value"},
	SadpFlagBadValue:          {"valore non valido per %s: %q", "invalid value for %s: %q"},
	SadpFlagSyntax:            {"opzione scritta male: %s", "bad flag syntax: %s"},
	SadpFlagOther:             {"opzioni non valide: %s", "invalid flags: %s"},
	SadpUnexpectedArg:         {"argomento inatteso %q", "unexpected argument %q"},
	SadpBadWait:               {"-t %s: da 100ms a 60s", "-t %s: want 100ms to 60s"},
	SadpBadLang:               {"-lang %q: it oppure en", "-lang %q: want it or en"},
	SadpBadFingerprint:        {"-expect-fingerprint: servono 64 cifre esadecimali (i due punti sono ammessi)", "-expect-fingerprint: want 64 hex digits (colons allowed)"},
	SadpBadMethod:             {"-method %q: guid, questions oppure email", "-method %q: want guid, questions or email"},
	SadpNeedGUIDFile:          {"il metodo GUID richiede -guid FILE", "the GUID method needs -guid FILE"},
	SadpBadQuestions:          {"-questions: servono tre ID separati da virgole", "-questions: want three ids, comma-separated"},
	SadpNothingToSet:          {"niente da impostare: indicare -questions, -email o -guid-out (oppure avviarlo da un terminale)", "nothing to set: give -questions, -email or -guid-out (or run it at a terminal)"},
	SadpNeedOutput:            {"serve -o FILE: dove scrivere il file GUID", "-o FILE is needed: where to write the GUID file"},
	SadpNeedSerial:            {"indicare il numero di serie del registratore da dimenticare", "name the serial of the recorder to forget"},
	SadpJSONOrCSV:             {"-json e -csv: sceglierne uno", "-json and -csv: choose one"},
	SadpFlagListWait:          {"per quanto raccogliere le risposte, `DURATA` da 100ms a 60s (predefinita 3s)", "how long to collect answers, a `DURATION` of 100ms to 60s (default 3s)"},
	SadpFlagWait:              {"per quanto la ricerca attende le risposte, `DURATA` da 100ms a 60s (predefinita 2s)", "how long discovery waits for answers, a `DURATION` of 100ms to 60s (default 2s)"},
	SadpFlagInterface:         {"interrogare solo questa `INTERFACCIA` (ripetere l'opzione, o separarle con virgole, per più di una)", "probe only this `IFACE` (repeat the flag, or comma-separate, for more)"},
	SadpFlagLang:              {"`LINGUA` della sessione: it o en (in mancanza, da LANG, altrimenti it)", "the session's `LANGUAGE`: it or en (default: from LANG, else it)"},
	SadpFlagJSON:              {"stampare JSON (un array di dispositivi; campi e valori uguali in ogni lingua)", "print JSON (an array of devices; the same fields and values in every language)"},
	SadpFlagCSV:               {"stampare CSV con una riga di intestazione (uguale in ogni lingua)", "print CSV with a header line (the same in every language)"},
	SadpFlagAcceptNew:         {"accettare un certificato diverso da quello memorizzato, e memorizzarlo (dopo averlo confrontato con il monitor del registratore)", "accept a certificate other than the pinned one, and pin it (after comparing it with the recorder's monitor)"},
	SadpFlagExpect:            {"l'impronta `SHA256` del certificato come la mostra il monitor del registratore: ogni altro certificato è rifiutato", "the certificate's `SHA256` as the recorder's monitor shows it: any other certificate is refused"},
	SadpFlagTrustFirstUse:     {"senza terminale, memorizzare senza conferma il certificato annunciato da un registratore al primo collegamento (da un terminale la domanda viene posta comunque; -expect-fingerprint è più sicuro)", "without a terminal, pin unconfirmed the certificate a recorder met for the first time announces (at a terminal the question is asked all the same; -expect-fingerprint is safer)"},
	SadpFlagStdin:             {"leggere password, risposte e codice dallo standard input, uno per riga, invece che dal terminale", "read the passwords, answers and code from standard input, one a line, instead of the terminal"},
	SadpFlagKnownRecorders:    {"il `FILE` dei certificati memorizzati (predefinito: nvr-sadp/known_recorders nella cartella di configurazione dell'utente)", "the pinned certificates' `FILE` (default: nvr-sadp/known_recorders in the user's config directory)"},
	SadpFlagNewPasswordFile:   {"leggere la nuova password dalla prima riga di `FILE`", "read the new password from the first line of `FILE`"},
	SadpFlagAdminPasswordFile: {"leggere la password dell'amministratore dalla prima riga di `FILE`", "read the administrator's password from the first line of `FILE`"},
	SadpFlagAnswersFile:       {"leggere le tre risposte di sicurezza dalle prime tre righe di `FILE`", "read the three security answers from the first three lines of `FILE`"},
	SadpFlagAnswersFileSetup:  {"leggere le tre risposte dalle prime tre righe di `FILE`, nell'ordine di -questions", "read the three answers from the first three lines of `FILE`, in the order of -questions"},
	SadpFlagCodeFile:          {"leggere il codice di verifica dell'e-mail dalla prima riga di `FILE`", "read the e-mail's verification code from the first line of `FILE`"},
	SadpFlagMethod:            {"il `METODO`: guid, questions o email (in mancanza: chiesto, o dedotto da -guid o -export-qr, o l'unico impostato)", "the `METHOD`: guid, questions or email (default: asked, or implied by -guid or -export-qr, or the only one set up)"},
	SadpFlagGUID:              {"il `FILE` GUID (.nvrguid) esportato dal registratore: il metodo GUID", "the GUID `FILE` (.nvrguid) exported from the recorder: the GUID method"},
	SadpFlagExportQR:          {"scrivere il codice QR del metodo e-mail in questo `FILE` PNG (da inviare per e-mail) invece di disegnarlo qui; una CARTELLA/ lo riceve con il nome dato dal registratore, e se manca viene creata (0700)", "write the e-mail method's QR code to this PNG `FILE` (to mail it) instead of drawing it here; a FOLDER/ gets it under the recorder's name for it, and is made (0700) if missing"},
	SadpFlagQRFullBlocks:      {"disegnare il codice QR con due blocchi pieni per modulo, per i caratteri senza mezzi blocchi", "draw the QR code with two full blocks a module, for fonts without half blocks"},
	SadpFlagGUIDOutForgot:     {"dopo il ripristino, esportare senza chiedere un nuovo file GUID in questo `FILE` o in questa CARTELLA/ (creata se manca, 0700)", "after the reset, export a new GUID file without asking to this `FILE` or into this FOLDER/ (made if missing, 0700)"},
	SadpFlagGUIDOutSetup:      {"esportare anche un nuovo file GUID in questo `FILE` o in questa CARTELLA/ (creata se manca, 0700)", "also export a new GUID file to this `FILE` or into this FOLDER/ (made if missing, 0700)"},
	SadpFlagForceForgot:       {"sostituire senza chiedere i file indicati da -export-qr e -guid-out se esistono già (senza -f, da un terminale viene chiesto; senza terminale sono rifiutati)", "replace without asking the files -export-qr and -guid-out name if they exist (without -f, asked at a terminal; refused without one)"},
	SadpFlagForceSetup:        {"sostituire senza chiedere il file indicato da -guid-out se esiste già (senza -f, da un terminale viene chiesto; senza terminale è rifiutato)", "replace without asking the file -guid-out names if it exists (without -f, asked at a terminal; refused without one)"},
	SadpFlagForce:             {"sostituire senza chiedere il file se esiste già (senza -f, da un terminale viene chiesto; senza terminale è rifiutato)", "replace the file without asking if it exists (without -f, asked at a terminal; refused without one)"},
	SadpFlagQuestions:         {"impostare queste tre domande di sicurezza, `ID,ID,ID` tra: %s; le risposte da -answers-file, -stdin o dal terminale", "set these three security questions, `ID,ID,ID` among: %s; the answers from -answers-file, -stdin or the terminal"},
	SadpFlagEmail:             {"impostare l'e-mail di recupero: `INDIRIZZO`", "set the recovery e-mail: `ADDRESS`"},
	SadpFlagOutput:            {"scrivere il file GUID in questo `FILE`, o in questa CARTELLA/ con il nome dato dal registratore; una cartella che manca viene creata (0700)", "write the GUID file to this `FILE`, or into this FOLDER/ under the recorder's name for it; a missing folder is made (0700)"},
	SadpListed:                {"risposte di dispositivi: %d, su %s in %s", "devices that answered: %d, on %s in %s"},
	SadpWriteFailed:           {"scrittura dell'elenco non riuscita: %s", "writing the list: %s"},
	SadpColSerial:             {"SERIE", "SERIAL"},
	SadpColModel:              {"MODELLO", "MODEL"},
	SadpColActivated:          {"ATTIVATO", "ACTIVATED"},
	SadpColMethods:            {"METODI", "METHODS"},
	SadpColLocked:             {"BLOCCATO", "LOCKED"},
	SadpColWebDoor:            {"PAGINA WEB", "WEB PAGE"},
	SadpTableYes:              {"sì", "yes"},
	SadpTableNo:               {"no", "no"},
	SadpTableNone:             {"nessuno", "none"},
	SadpTableReadOnly:         {"sola lettura", "read-only"},
	SadpTableFrom:             {"(da %s)", "(from %s)"},
	SadpDiscoveryFailed:       {"ricerca SADP non riuscita: %s", "SADP discovery failed: %s"},
	SadpNoInterface:           {"nessuna interfaccia da interrogare: nessuna è attiva, con multicast e un indirizzo IPv4 (indicarne una con -i)", "no interface to probe: none is up, multicast-capable and with an IPv4 address (name one with -i)"},
	SadpUnknownInterface:      {"qui non c'è un'interfaccia di rete %s (ci sono: %s)", "no network interface %s here (there are: %s)"},
	SadpNoIPv4:                {"interfaccia %s: nessun indirizzo IPv4 da cui interrogare", "interface %s: no IPv4 address to probe from"},
	SadpNoProbeSent:           {"nessuna richiesta di ricerca è partita: %s", "no probe could be sent: %s"},
	SadpProbeFailed:           {"interfaccia %s: richiesta a %s non inviata: %s", "interface %s: probe to %s not sent: %s"},
	SadpSocketFailed:          {"interfaccia %s (%s): socket non aperto: %s", "interface %s (%s): no socket opened: %s"},
	SadpAddressesFailed:       {"interfaccia %s: indirizzi non letti: %s", "interface %s: its addresses not read: %s"},
	SadpNetBadAnswer:          {"%s: la risposta a %s non è una di quelle dell'API (nvr-sadp e il registratore sono forse di versioni diverse)", "%s: the answer to %s is not one the API gives (nvr-sadp and the recorder may be of different versions)"},
	SadpNetHTTPStatus:         {"%s: risposta HTTP %d senza l'errore dell'API, a %s", "%s: HTTP %d without the API's error, to %s"},
	SadpNetTooLarge:           {"%s: la risposta a %s è troppo grande", "%s: the answer to %s is too large"},
	SadpNotThatRecorder:       {"la pagina web %s dice di essere %q, non %s", "the web page %s says it is %q, not %s"},
	SadpFolderMade:            {"Cartella %s creata.", "Folder %s made."},
	SadpReplaceFile:           {"%s esiste già. Sostituirlo?", "%s already exists. Replace it?"},
	SadpNotReplaced:           {"%s non è stato sostituito.", "%s was not replaced."},
	SadpNoConfigDir:           {"il sistema non indica una cartella di configurazione per i certificati memorizzati: indicare il file con -known-recorders", "the system names no config directory for the pinned certificates: give the file with -known-recorders"},
	SadpKnownCorrupt:          {"%s non è un file di certificati memorizzati: la riga %d non è «SERIE SHA256». Correggerla o toglierla.", "%s is not a file of pinned certificates: line %d is not \"SERIAL SHA256\". Correct or remove it."},
	SadpKnownTwice:            {"%s non è un file di certificati memorizzati: la riga %d memorizza %s una seconda volta. Tenere una sola riga.", "%s is not a file of pinned certificates: line %d pins %s a second time. Keep one line."},
	SadpKnownTooLarge:         {"%s non è un file di certificati memorizzati: supera %d byte.", "%s is not a file of pinned certificates: it is over %d bytes."},
	SadpKnownOtherOwner:       {"%s appartiene a un altro utente (uid %d; voi siete %d), che potrebbe avervi aggiunto certificati: controllarli e sostituirlo con una copia vostra (%s), oppure eliminarlo.", "%s belongs to another user (uid %d; you are %d), who could have planted pins: check them and replace it with a copy of your own (%s), or remove it."},
	SadpKnownWritable:         {"%s è scrivibile da altri, che potrebbero avervi aggiunto certificati: %s", "others may write %s, and plant pins: %s"},
	SadpTooFewLines:           {"file locale: %s ha troppe poche righe per %s", "local file: %s has too few lines for the %s"},
	SadpFileLineTooLong:       {"file locale: %s ha una riga di oltre %d byte", "local file: %s has a line over %d bytes"},
	SadpStdinTooLong:          {"lo standard input ha una riga di oltre %d byte", "standard input has a line over %d bytes"},
	SadpTypedTooLong:          {"la riga digitata supera %d byte", "the line typed is over %d bytes"},
	SadpUnexpectedError:       {"errore inatteso: %s", "unexpected error: %s"},
	SadpValuePassword:         {"password", "password"},
	SadpValueAnswers:          {"risposte", "answers"},
	SadpValueCode:             {"codice", "code"},
	SadpValueMethod:           {"metodo", "method"},
	SadpValueGUIDFile:         {"file GUID", "GUID file"},
	SadpValueEmail:            {"e-mail", "e-mail"},
	SadpValueQuestions:        {"domande", "questions"},
	SadpValueOutput:           {"file da scrivere", "file to write"},
	SadpErrTimeout:            {"nessuna risposta in tempo", "no answer in time"},
	SadpErrTLS:                {"connessione sicura (TLS) non riuscita", "the secure (TLS) connection failed"},
	SadpErrBroken:             {"connessione interrotta", "the connection broke"},
	SadpErrRefused:            {"connessione rifiutata (la pagina web del registratore non è in ascolto lì)", "connection refused (the recorder's web page is not served there)"},
	SadpErrHostUnreachable:    {"host non raggiungibile", "host unreachable"},
	SadpErrNetUnreachable:     {"rete non raggiungibile", "network unreachable"},
	SadpErrAddrNotAvail:       {"indirizzo non disponibile", "address not available"},
	SadpErrNotExist:           {"non esiste", "does not exist"},
	SadpErrPermission:         {"permesso negato", "permission denied"},
	SadpErrExist:              {"esiste già", "already exists"},
	SadpErrDiskFull:           {"disco pieno", "disk full"},
	SadpErrReadOnlyFS:         {"file system in sola lettura", "read-only file system"},
	SadpErrIsFolder:           {"è una cartella", "is a folder"},
	SadpErrNotFolder:          {"una parte del percorso non è una cartella", "a part of the path is not a folder"},
	SadpErrNameTooLong:        {"nome troppo lungo", "name too long"},
	SadpErrNotRegular:         {"non è un file normale", "not a regular file"},

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
	"q-wedding-city":           {"In quale città si è svolto il tuo matrimonio?", "In which city did you get married?"},
	"q-first-concert":          {"Qual è stato il tuo primo concerto?", "What was your first concert?"},
	"q-grandmother-first-name": {"Qual è il nome di tua nonna?", "What is your grandmother's first name?"},
}
