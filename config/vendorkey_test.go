package config_test

import (
	"errors"
	"strings"
	"testing"

	"nvrmenu/config"
	"nvrmenu/internal/payload"
)

// TestVendorKeyAgreesWithRecovery holds config's light check of the vendor
// key to the parser the recovery core uses: a key config accepts must be
// one the core can use, and the other way round.
func TestVendorKeyAgreesWithRecovery(t *testing.T) {
	const good = "nvrvk1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	for _, text := range []string{
		good,
		"nvrvk1:" + strings.Repeat("_", 42) + "w",
		"nvrvk1:" + strings.Repeat("-", 42) + "8",
		good[:len(good)-1] + "9", // stray bits in the last character
		good[:len(good)-1],
		good + "A",
		good + "=",
		"nvrvk1:",
		"nvrvk2:" + good[7:],
		"NVRVK1:" + good[7:],
		good[7:],
		"nvrvk1:" + strings.Repeat("+", 43),
		"nvrvk1: " + good[8:],
	} {
		t.Run(text, func(t *testing.T) {
			c := config.Default()
			c.Recovery.VendorPublicKey = text
			configErr := c.Validate()
			_, recoveryErr := payload.ParsePublicKey(text)
			if (configErr == nil) != (recoveryErr == nil) {
				t.Errorf("config says %v, recovery says %v; want both to accept or both to refuse", configErr, recoveryErr)
			}
			if configErr != nil && !errors.Is(configErr, config.ErrInvalid) {
				t.Errorf("got %v, want an error that wraps ErrInvalid", configErr)
			}
		})
	}
}
