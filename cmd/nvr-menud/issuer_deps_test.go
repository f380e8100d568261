package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRecorderLinksNoVendorService holds the line between the recorder and
// the vendor's recovery service: the daemon (and the installer's tool)
// link no package of issuer/ and none of the service's mail, MIME and
// database libraries.
func TestRecorderLinksNoVendorService(t *testing.T) {
	for _, pkg := range []string{"nvrmenu/cmd/nvr-menud", "nvrmenu/cmd/nvr-sadp"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s listed %d packages", pkg, len(deps))
		}
		for _, dep := range deps {
			for _, banned := range []string{"nvrmenu/issuer/", "github.com/emersion/go-smtp", "github.com/emersion/go-message", "github.com/emersion/go-sasl", "go.etcd.io/bbolt", "github.com/jackc/pgx"} {
				if strings.HasPrefix(dep, banned) {
					t.Errorf("%s links %s", pkg, dep)
				}
			}
		}
	}
	// And the other way: the service links none of the recorder's core.
	out, err := exec.Command("go", "list", "-deps", "nvrmenu/cmd/recovery-issuer").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"nvrmenu/recovery", "nvrmenu/menu", "nvrmenu/web", "nvrmenu/usb", "nvrmenu/sadp", "github.com/rivo/tview"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("recovery-issuer links the recorder's %s", dep)
			}
		}
	}
}
