package perf

import (
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"nvrmenu/config"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
)

// Passwords and answers of the benchmark device. They pass the policy.
const (
	DevicePassword = "Qv7#tNw2pLx9"
	ResetPassword  = "Zr4!mKd8sBq3"
	Stick          = "KINGSTON"
)

// DeviceAnswers are the security answers set up on the device, in the order
// of DeviceQuestions.
var DeviceAnswers = [3]string{"Ravenna", "Via Roma", "Giulia"}

// DeviceQuestions are the three questions set up on the device.
var DeviceQuestions = [3]recovery.QuestionID{"first-job-city", "childhood-street", "grandmother-first-name"}

// Device is a demo device directory as `nvr-menud -demo DIR` keeps it,
// prepared past activation: the admin password is set at the cost the
// daemon's calibration picks on this machine, every recovery method is set
// up, a GUID file is on the stick DIR/media/KINGSTON and an email challenge
// is pending, its code decoded with the demo vendor key. Copies of it start
// the daemon straight at the login screen.
type Device struct {
	Dir string
	// KDF is the cost the calibration picked at activation.
	KDF recovery.KDFParams
	// EmailCode is the pending challenge's verification code.
	EmailCode string
	// GUIDFile is the exported file's name on the stick.
	GUIDFile string
}

// PrepareDevice makes the device in dir, which must not exist yet.
func PrepareDevice(dir string) (*Device, error) {
	d := &Device{Dir: dir}
	state, media := filepath.Join(dir, "state"), filepath.Join(dir, "media")
	for _, p := range []string{dir, state, filepath.Join(media, Stick)} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			return nil, err
		}
	}
	// The demo's own key file: nvr-menud -demo reads it and configures its
	// public half, as it does for a key it made itself.
	key, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "vendor.key"), payload.MarshalPrivateKey(key), 0o600); err != nil {
		return nil, err
	}
	cfg := config.Default()
	pub := key.Public()
	core, err := recovery.Open(recovery.Options{
		StateDir:        state,
		Serial:          cfg.Device.Serial,
		Policy:          pwpolicy.Policy{MinLength: pwpolicy.MinLength, MaxLength: cfg.Password.MaxLength},
		RecoveryAddress: cfg.Recovery.RecoveryAddress,
		CodeTTL:         cfg.Recovery.CodeTTL,
		VendorKey:       &pub,
		// The daemon's calibration, with the embedded default's cap and
		// target, as cmd/nvr-menud wires it.
		Calibrate: func() recovery.KDFParams {
			d.KDF = recovery.CalibrateKDF(uint32(cfg.KDF.MemoryCapMiB)*1024, cfg.KDF.TargetTime, recovery.MeasureKDF)
			return d.KDF
		},
	})
	if err != nil {
		return nil, err
	}
	defer core.Close()
	s, err := core.Console().Activate(DevicePassword)
	if err != nil {
		return nil, fmt.Errorf("activating: %w", err)
	}
	var qa [3]recovery.QuestionAnswer
	for i := range qa {
		qa[i] = recovery.QuestionAnswer{ID: DeviceQuestions[i], Answer: DeviceAnswers[i]}
	}
	if err := s.SetSecurityQuestions(qa); err != nil {
		return nil, fmt.Errorf("security questions: %w", err)
	}
	if err := s.SetRecoveryEmail("owner@example.com"); err != nil {
		return nil, fmt.Errorf("recovery email: %w", err)
	}
	e, err := s.NewGUIDExport()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(media, Stick, e.FileName), e.Data(), 0o600); err != nil {
		return nil, err
	}
	if err := s.ConfirmGUIDExport(e); err != nil {
		return nil, err
	}
	d.GUIDFile = e.FileName
	s.Logout()
	ch, err := core.Console().EmailChallenge()
	if err != nil {
		return nil, fmt.Errorf("email challenge: %w", err)
	}
	content, err := key.Open(ch.Payload)
	if err != nil {
		return nil, fmt.Errorf("opening the challenge: %w", err)
	}
	d.EmailCode = content.Code
	return d, nil
}

// Copy makes a fresh copy of the device in dir (which must not exist): one
// run's state, log and stick, the template untouched.
func (d *Device) Copy(dir string) (*Device, error) {
	err := filepath.WalkDir(d.Dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(d.Dir, path)
		to := filepath.Join(dir, rel)
		if e.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		if !e.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o600)
	})
	if err != nil {
		return nil, err
	}
	c := *d
	c.Dir = dir
	return &c, nil
}
