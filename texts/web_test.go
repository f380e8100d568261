package texts

import "testing"

// TestWebSeedWording pins the Italian names the vendor how-to gives the web
// page's controls, where they differ from the console's ("Avanti", not
// "Importa"). The methods are the exception: the how-to names them
// differently on the web page ("Verifica file GUID", "e-mail riservata");
// every door here uses the local menu's names (TestSeedWording), so that
// one method has one name.
func TestWebSeedWording(t *testing.T) {
	c, _ := New("it")
	for id, want := range map[ID]string{
		WebForgotPassword:   "Password dimenticata",
		WebVerifyMode:       "Modalità di verifica",
		WebBrowse:           "Sfoglia",
		WebNext:             "Avanti",
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
