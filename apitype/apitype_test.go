package apitype

import (
	"encoding/json"
	"testing"

	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// oldTool is GET /api/v1/device as nvr-sadp read it before the journey
// (its deviceInfo, 2026-12-01): a tool in an installer's hands that
// must keep working against a newer recorder.
type oldTool struct {
	Serial            string `json:"serial"`
	Activated         bool   `json:"activated"`
	ActivationAllowed bool   `json:"activation_allowed"`
	Methods           map[string]struct {
		State         string `json:"state"`
		LockedSeconds int64  `json:"locked_seconds"`
	} `json:"methods"`
	LoginLockedSeconds int64  `json:"login_locked_seconds"`
	MaskedEmail        string `json:"masked_email"`
	ChallengePending   bool   `json:"challenge_pending"`
	PasswordPolicy     struct {
		MinLength int `json:"min_length"`
		MaxLength int `json:"max_length"`
	} `json:"password_policy"`
	CertFingerprint string `json:"cert_fingerprint"`
}

// TestDeviceKeepsItsFirstForm: the device answer carries the journey and,
// derived from it, the fields the API had before it, with the meaning they
// had: an older nvr-sadp reads the same states from a newer recorder.
func TestDeviceKeepsItsFirstForm(t *testing.T) {
	locked := &texts.Problem{Code: texts.CodeLocked, LockSeconds: 1800}
	j := journey.Journey{Activated: true, LoginRefused: &texts.Problem{Code: texts.CodeLocked, LockSeconds: 600}, Methods: []journey.Status{
		{Method: journey.Email, Offered: true, SetUp: true, Usable: true, MaskedEmail: "m***i@example.com", ChallengePending: true},
		{Method: journey.GUID, Offered: true, Expired: true, Why: &texts.Problem{Code: texts.CodeGUIDExpired}},
		{Method: journey.Questions, Offered: true, SetUp: true, Why: locked},
	}}
	data, err := json.Marshal(NewDevice("NVR1", "M", "v1", j, PasswordPolicy{8, 16}, "AA:BB"))
	if err != nil {
		t.Fatal(err)
	}
	var old oldTool
	if err := json.Unmarshal(data, &old); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]any{"email": {"ready", int64(0)}, "guid": {"expired", int64(0)}, "questions": {"ready", int64(1800)}}
	for m, w := range want {
		if got := old.Methods[m]; got.State != w[0] || got.LockedSeconds != w[1] {
			t.Errorf("%s: state %q locked %d, want %v", m, got.State, got.LockedSeconds, w)
		}
	}
	if !old.Activated || old.LoginLockedSeconds != 600 || old.MaskedEmail != "m***i@example.com" || !old.ChallengePending || old.PasswordPolicy.MaxLength != 16 {
		t.Errorf("the first form: %+v", old)
	}
	var now Device
	if err := json.Unmarshal(data, &now); err != nil {
		t.Fatal(err)
	}
	if st := now.Journey.Method(journey.Questions); st.Usable || st.Why == nil || st.Why.LockSeconds != 1800 {
		t.Errorf("the journey read back: %+v", st)
	}
	unavailable := NewDevice("NVR1", "M", "v1", journey.Journey{Activated: true, Methods: []journey.Status{{Method: journey.Email, Why: &texts.Problem{Code: texts.CodeUnavailable}}}}, PasswordPolicy{}, "")
	if unavailable.Methods[journey.Email].State != "unavailable" {
		t.Errorf("a method not offered: %+v", unavailable.Methods)
	}
}
