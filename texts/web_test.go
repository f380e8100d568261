package texts

import "testing"

// TestWebSeedWording pins the Italian names the vendor how-to gives the web
// page's controls, which differ from the console's ("Avanti", not
// "Importa"; "e-mail riservata", not "e-mail di recupero").
func TestWebSeedWording(t *testing.T) {
	c, _ := New("it")
	for id, want := range map[ID]string{
		WebForgotPassword:   "Password dimenticata",
		WebVerifyMode:       "Modalità di verifica",
		WebMethodQuestions:  "Verifica domande di sicurezza",
		WebMethodGUID:       "Verifica file GUID",
		WebBrowse:           "Sfoglia",
		WebNext:             "Avanti",
		WebMethodEmail:      "Verifica tramite e-mail riservata",
		WebExportQR:         "Esporta il codice QR",
		WebAppScanQR:        "Mostra il codice QR da inquadrare con il telefono",
		WebVerificationCode: "Codice di verifica",
		NewPassword:         "Nuova password",
		ConfirmPassword:     "Conferma password",
	} {
		if got := c.T(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
}
