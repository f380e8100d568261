// Package sadp speaks the discovery half of SADP, the LAN protocol that
// installers' tools use to list recorders and cameras: UDP port 37020, plain
// XML, probes to the group 239.255.255.250 (and to 255.255.255.255), each
// answered to the probe's source address and port.
//
// The package has three parts: the messages (message.go: the wire types, a
// parser strict about structure, with bounded depth and element count and
// no DTD, and their marshalling; declaration.go: the XML declaration, read
// as liberally as clients write it, ASCII-compatible encodings under any
// name, but no byte misread), the responder the recorder runs
// (responder.go: one socket, the group joined on every suitable interface,
// interfaces followed through netlink, answers limited per source and
// overall; device.go: what an answer says, every element of the vendor's
// inquiry answer with a true or neutral value; routes.go and kernel.go:
// the kernel's tables it reads), and the client the installer's tool runs
// (client.go: probe every interface, collect the answers). The wire format
// is documented in docs/sadp.md.
//
// Only discovery is answered. The vendor's command messages (activation,
// network changes, its password reset) get <Result>denied</Result>:
// recovery never goes through SADP. The responder is Linux only (netlink,
// IP_PKTINFO); the messages and the client build everywhere, for the
// installer's laptop. Nothing here imports the recovery core or a door: the
// responder learns what to say through the Device interface.
package sadp
