// Package payload is the reserved-email challenge as it travels from the
// recorder to the vendor: the vendor's X25519 key pair, the sealed payload
// the recorder shows as a QR code (byte by byte in docs/qr-payload.md), the
// verification code's format, and the QR code itself.
//
// Both sides use it: the recorder's core seals with the public key, the
// vendor's recovery-issuer opens with the private key. It knows nothing of
// the core's state, the doors or the vendor's service, so that the vendor's
// program links none of the recorder's core. It never prints a code or a
// private key.
package payload
