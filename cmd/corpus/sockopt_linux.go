package main

import (
	"net"
	"syscall"
)

// tcpNotsentLowat is TCP_NOTSENT_LOWAT of linux/tcp.h (the syscall package
// does not name it).
const tcpNotsentLowat = 25

// notsentLowat is the most of an answer the kernel keeps unsent on a
// connection. Without it the send buffer autotunes to megabytes (tcp_wmem's
// maximum, 4 MiB) and a blocked write wakes only when about half of what is
// queued has gone: a client reading 32 KB/s then made no visible progress
// for over 30 s and was cut by the write stall (10 s) although it read
// steadily (cmd/corpus TestSlowClientsProcess). With it, a write resumes
// each time the client has taken about half of this, so a reader of a few
// KB/s keeps its download. Bytes in flight (the congestion window) are not
// limited, so a fast client is not slowed.
const notsentLowat = 128 << 10

// lowatListener sets notsentLowat on every connection it accepts.
type lowatListener struct{ net.Listener }

func (l lowatListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return c, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		if rc, err := tc.SyscallConn(); err == nil {
			// Best effort: a kernel without the option (before 3.12)
			// serves as before.
			_ = rc.Control(func(fd uintptr) {
				_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpNotsentLowat, notsentLowat)
			})
		}
	}
	return c, nil
}
