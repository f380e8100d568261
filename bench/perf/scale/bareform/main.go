// Command bareform is a bare tview form with one password field on tcell:
// the least a Go password prompt costs, for the harness to set the daemon
// beside it.
package main

import "github.com/rivo/tview"

func main() {
	app := tview.NewApplication()
	form := tview.NewForm().
		AddPasswordField("Password", "", 20, '*', nil).
		AddButton("Ok", app.Stop).
		AddButton("Annulla", app.Stop)
	form.SetBorder(true).SetTitle("Accesso")
	if err := app.SetRoot(form, true).EnableMouse(true).Run(); err != nil {
		panic(err)
	}
}
