// Command recovery-issuer is the vendor's side of reserved-email recovery,
// standing in for the recovery mailbox and the phone app's server: it makes
// the vendor key pair and turns a recorder's QR code into the verification
// code and the address to mail it to.
//
//	recovery-issuer keygen -out vendor.key
//	recovery-issuer issue -key vendor.key -png qr.png
//	recovery-issuer issue -key vendor.key -payload 'NVRR1:...'
//	recovery-issuer issue -key vendor.key < payload.txt
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
