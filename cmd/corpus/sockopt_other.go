//go:build !linux

package main

import "net"

// lowatListener is the listener as it is where TCP_NOTSENT_LOWAT is not
// set (see sockopt_linux.go).
type lowatListener struct{ net.Listener }
