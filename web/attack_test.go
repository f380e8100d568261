package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"nvrmenu/apitype"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// TestHundredWrongAnswersLockTheNetworkNotTheConsole: an attacker on the
// LAN sends 100 wrong answers, over the pages and the API, from many
// addresses: every one is answered, the network class's questions lock,
// and the owner at the recorder still answers them.
func TestHundredWrongAnswersLockTheNetworkNotTheConsole(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	_, answers := h.setUpAll()
	counts := map[int]int{}
	counted := 0
	for i := range 100 {
		c := h.client(fmt.Sprintf("192.0.2.%d", 100+i%50))
		var w interface{ Result() *http.Response }
		if i%2 == 0 {
			rec := c.post("/forgot/questions", url.Values{"answer1": {"aa"}, "answer2": {"bb"}, "answer3": {fmt.Sprint("cc", i)}})
			w = rec
		} else {
			rec := c.api("POST", "/api/v1/recovery/questions", map[string]any{"answers": []string{"aa", "bb", fmt.Sprint("cc", i)}}, "")
			if pb := decode[apitype.Error](t, rec); pb.Error.Counted {
				counted++
			}
			w = rec
		}
		counts[w.Result().StatusCode]++
	}
	if counts[http.StatusForbidden]+counts[http.StatusLocked] != 100 {
		t.Fatalf("statuses %v: want every wrong answer refused (403) or locked out (423)", counts)
	}
	if counts[http.StatusForbidden] != 5 {
		t.Errorf("%d tries counted, want 5 before the lock (statuses %v)", counts[http.StatusForbidden], counts)
	}
	network := h.core.Door(recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: mustAddr("192.0.2.1")})
	if why := network.Journey().Method(recovery.MethodQuestions).Why; why == nil || why.Code != texts.CodeLocked {
		t.Fatal("the network's questions are not locked")
	}
	// Even the right answers are refused over the network now.
	w := h.client("192.0.2.250").post("/forgot/questions", url.Values{"answer1": {answers[0]}, "answer2": {answers[1]}, "answer3": {answers[2]}})
	wantStatus(t, w, http.StatusLocked)
	wantBody(t, w, "bloccato per 30 min")
	// The console is not.
	console := h.core.Console()
	if j := console.Journey(); !j.Method(recovery.MethodQuestions).Usable || j.LoginRefused != nil {
		t.Fatalf("console locks: %+v", j)
	}
	ticket, err := console.VerifyAnswers(answers)
	if err != nil {
		t.Fatalf("the console refuses the right answers: %v", err)
	}
	if _, err := ticket.SetPassword("Proprietario!4"); err != nil {
		t.Fatal(err)
	}
}
